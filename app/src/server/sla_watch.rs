//! The SLA watcher: a background job (every `Jobs::sla_every`, 30 s by default) that
//! marks the tickets in progress that became at risk or overdue since its last pass and
//! queues the notices to their groups, each step once per ticket (`ticket.sla_state`).
//!
//! It reads only the tickets that crossed a step, through two partial indexes (open
//! tickets by `sla_state`, then `risk_at` or `deadline`), never the whole table. One
//! instance runs it at a time (the `sla-watcher` lease). Suspended tickets are left
//! alone: their clock stands still.
//!
//! A pass marks at most `Jobs::sla_pass_max` tickets (500), so that no pass holds the
//! database long, however many tickets crossed at once (the first pass over an existing
//! base, or after a long stop); when it had more, the next pass follows at once instead
//! of a period later.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use entity::ticket;
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::domain::notices::Notice;
use crate::error::AppError;
use crate::server::outbox;
use crate::state::AppState;

/// `ticket.sla_state`: what has been announced.
pub const NORMAL: i16 = 0;
pub const AT_RISK: i16 = 1;
pub const OVERDUE: i16 = 2;

const LEASE: &str = "sla-watcher";
/// Tickets handled per transaction.
const BATCH: u64 = 500;
/// Tickets marked per pass, by default.
pub const PASS_MAX: u64 = 500;

/// The step a ticket with these dates has reached at `now`.
pub fn level(
    risk_at: Option<DateTime<Utc>>,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> i16 {
    match (risk_at, deadline) {
        (_, Some(deadline)) if now >= deadline => OVERDUE,
        (Some(risk), _) if now >= risk => AT_RISK,
        _ => NORMAL,
    }
}

/// After a deadline moved (resumed, reclassified, reopened): what stays announced. Never
/// raised here (the watcher raises it, with its notice), lowered when the ticket is no
/// longer that late, so that the step is announced again when it comes back.
pub fn after_change(
    announced: i16,
    risk_at: Option<DateTime<Utc>>,
    deadline: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> i16 {
    announced.min(level(risk_at, deadline, now))
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Watch {
    pub at_risk: u64,
    pub overdue: u64,
    /// Another instance holds the lease.
    pub skipped: bool,
    /// The pass stopped at its maximum: more tickets are waiting.
    pub more: bool,
}

pub async fn pass(state: &AppState) -> Result<Watch, AppError> {
    let now = state.clock.now();
    let ttl = Duration::from_std(state.jobs.sla_every * 2)
        .unwrap_or(Duration::minutes(1))
        .max(Duration::minutes(1));
    if !crate::server::leases::acquire(&state.db, LEASE, &state.jobs.instance, now, ttl).await? {
        return Ok(Watch {
            skipped: true,
            ..Watch::default()
        });
    }
    // Overdue first: a ticket that crossed both steps since the last pass is told late
    // only.
    let budget = state.jobs.sla_pass_max.max(1);
    let (overdue, more_overdue) = step(state, now, OVERDUE, budget).await?;
    let (at_risk, more_at_risk) = if more_overdue {
        (0, true)
    } else {
        step(state, now, AT_RISK, budget - overdue).await?
    };
    if overdue + at_risk > 0 {
        state.jobs.outbox_wake.notify_one();
    }
    Ok(Watch {
        at_risk,
        overdue,
        skipped: false,
        more: more_overdue || more_at_risk,
    })
}

/// Open tickets, written as a literal: the partial indexes' condition is matched only by
/// the same constant in the query (never by a bound parameter, on either engine).
fn in_progress() -> SimpleExpr {
    Expr::cust("ticket.situation = 'em_andamento'")
}

/// Marks the tickets that reached `to` and queues their notices, a batch of ids read
/// by index at a time, at most `budget` of them; says whether it stopped at the budget
/// with more waiting.
async fn step(
    state: &AppState,
    now: DateTime<Utc>,
    to: i16,
    budget: u64,
) -> Result<(u64, bool), AppError> {
    let (column, notice) = match to {
        OVERDUE => (ticket::Column::Deadline, Notice::Overdue),
        _ => (ticket::Column::RiskAt, Notice::AtRisk),
    };
    let notifier = crate::server::notify::Notifier::of(state);
    let mut done = 0;
    // Each earlier step on its own, read in the index's order: with the LIMIT, both
    // engines walk the partial index (PostgreSQL, judging from table-wide statistics in
    // which most closed tickets are past their deadline, would otherwise scan the table).
    for from in NORMAL..to {
        loop {
            if done >= budget {
                // Anything left? One row says.
                let left = ticket::Entity::find()
                    .select_only()
                    .column(ticket::Column::Id)
                    .filter(in_progress())
                    .filter(ticket::Column::SlaState.is_in(NORMAL..to))
                    .filter(column.lte(now))
                    .limit(1)
                    .into_tuple::<i64>()
                    .one(&state.db)
                    .await?;
                return Ok((done, left.is_some()));
            }
            let take = BATCH.min(budget - done);
            let due: Vec<i64> = ticket::Entity::find()
                .select_only()
                .column(ticket::Column::Id)
                .filter(in_progress())
                .filter(ticket::Column::SlaState.eq(from))
                .filter(column.lte(now))
                .order_by_asc(column)
                .limit(take)
                .into_tuple()
                .all(&state.db)
                .await?;
            if due.is_empty() {
                break;
            }
            done += mark(state, &notifier, now, &due, from, to, column, notice).await?;
            if (due.len() as u64) < take {
                break;
            }
        }
    }
    Ok((done, false))
}

/// Marks `due` (read at step `from`) as having reached `to`, and queues their notices,
/// in one transaction: one conditional update returning those it marked (an agent may
/// have moved a deadline since the read), the names and the groups' agents read once.
#[allow(clippy::too_many_arguments)]
async fn mark(
    state: &AppState,
    notifier: &crate::server::notify::Notifier,
    now: DateTime<Utc>,
    due: &[i64],
    from: i16,
    to: i16,
    column: ticket::Column,
    notice: Notice,
) -> Result<u64, AppError> {
    let txn = crate::server::begin_write(&state.db).await?;
    let marked = ticket::Entity::update_many()
        .col_expr(ticket::Column::SlaState, Expr::value(to))
        .filter(ticket::Column::Id.is_in(due.iter().copied()))
        .filter(in_progress())
        .filter(ticket::Column::SlaState.eq(from))
        .filter(column.lte(now))
        .exec_with_returning(&txn)
        .await?;
    let names = crate::server::tickets::view::Names::of(&txn, &marked).await?;
    let mut groups: HashMap<i32, Vec<crate::server::notify::Person>> = HashMap::new();
    let mut letters = Vec::new();
    for t in &marked {
        let people = match groups.get(&t.group_id) {
            Some(people) => people.clone(),
            None => {
                let people = crate::server::notify::recipients(
                    &txn,
                    notice,
                    t.customer_id,
                    t.group_id,
                    None,
                    None,
                )
                .await?;
                groups.insert(t.group_id, people.clone());
                people
            }
        };
        let facts = crate::server::notify::facts_of(notifier, t, &names, "");
        letters.extend(crate::server::notify::letters(
            notifier, notice, &facts, &people,
        ));
    }
    outbox::enqueue(&txn, now, letters).await?;
    txn.commit().await?;
    Ok(marked.len() as u64)
}

/// Runs `pass` every `Jobs::sla_every` (at once again while a pass leaves more
/// waiting), until the task is dropped.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(state.jobs.sla_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut more = false;
    loop {
        if more {
            // Let requests in between.
            tokio::task::yield_now().await;
        } else {
            tick.tick().await;
        }
        more = match pass(&state).await {
            Ok(watch) => {
                if watch.at_risk + watch.overdue > 0 {
                    tracing::info!(
                        at_risk = watch.at_risk,
                        overdue = watch.overdue,
                        more = watch.more,
                        "SLA watcher"
                    );
                }
                watch.more
            }
            Err(err) => {
                tracing::warn!(error = ?err, "SLA watcher pass failed; trying again later");
                false
            }
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_lowered_never_raised_by_a_change() {
        let t0 = DateTime::<Utc>::UNIX_EPOCH;
        let (risk, deadline) = (Some(t0 + Duration::hours(3)), Some(t0 + Duration::hours(4)));
        assert_eq!(level(risk, deadline, t0), NORMAL);
        assert_eq!(level(risk, deadline, t0 + Duration::hours(3)), AT_RISK);
        assert_eq!(level(risk, deadline, t0 + Duration::hours(4)), OVERDUE);
        assert_eq!(level(None, None, t0 + Duration::days(400)), NORMAL);
        // Announced overdue, deadline pushed back: at risk again, not re-announced late.
        assert_eq!(
            after_change(OVERDUE, risk, deadline, t0 + Duration::hours(3)),
            AT_RISK
        );
        // Not yet announced: a change never announces.
        assert_eq!(
            after_change(NORMAL, risk, deadline, t0 + Duration::hours(5)),
            NORMAL
        );
    }
}
