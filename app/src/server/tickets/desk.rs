//! The queue ("Fila de atendimento"): the tickets of the caller's groups (every ticket for
//! managers and administrators) under the queue's filters, one page of 50, with the
//! counts per situation. Filtered, searched, sorted, counted and paged in the database.
//!
//! The SLA status filter is `view::sla_status` written as SQL over the stored deadline,
//! `risk_at` and `closed_at`; the search looks in the ticket's key (number, service,
//! request, title, description) and in what staff also search by (the customer's name,
//! login and CPF/CNPJ), accent- and case-free like the keys.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{service, ticket};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::query::words;
use super::staff::{self, queue_scope};
use crate::domain::account::Role;
use crate::domain::desk::{Assigned, Choice, QUEUE_PAGE_SIZE, QueueFilter, QueuePage, QueueSort};
use crate::domain::ids::ServiceId;
use crate::domain::tickets::{Situation, SlaStatus};
use crate::error::AppError;
use crate::server::session::SessionUser;
use crate::state::AppState;

/// The SQL form of `view::sla_status(…) == status` at `now`.
pub fn sla_condition(status: SlaStatus, now: DateTime<Utc>) -> Condition {
    use ticket::Column::{ClosedAt, Deadline, RiskAt};
    match status {
        SlaStatus::Late => Condition::all().add(Deadline.is_not_null()).add(
            Condition::any()
                .add(
                    Condition::all()
                        .add(ClosedAt.is_null())
                        .add(Deadline.lt(now)),
                )
                .add(
                    Condition::all()
                        .add(ClosedAt.is_not_null())
                        .add(Expr::col(ClosedAt).gt(Expr::col(Deadline))),
                ),
        ),
        SlaStatus::Met => Condition::all().add(ClosedAt.is_not_null()).add(
            Condition::any()
                .add(Deadline.is_null())
                .add(Expr::col(ClosedAt).lte(Expr::col(Deadline))),
        ),
        SlaStatus::AtRisk => Condition::all()
            .add(ClosedAt.is_null())
            .add(Deadline.gte(now))
            .add(RiskAt.lte(now)),
        SlaStatus::Normal => Condition::all().add(ClosedAt.is_null()).add(
            Condition::any()
                .add(Deadline.is_null())
                .add(Condition::all().add(Deadline.gte(now)).add(RiskAt.gt(now))),
        ),
    }
}

/// The queue's condition, the situation aside (the counts are per situation).
fn condition(me: &SessionUser, filter: &QueueFilter, now: DateTime<Utc>) -> Condition {
    let mut condition = queue_scope(me).restrict(Condition::all());
    if let Some(group) = filter.group {
        condition = condition.add(ticket::Column::GroupId.eq(group.get()));
    }
    if let Some(task) = &filter.task {
        condition = condition.add(ticket::Column::Task.eq(task.as_str()));
    }
    if let Some(status) = filter.sla {
        condition = condition.add(sla_condition(status, now));
    }
    if let Some(priority) = filter.priority {
        condition = condition.add(ticket::Column::Priority.eq(priority));
    }
    match filter.assigned {
        Assigned::Anyone => {}
        Assigned::Me => condition = condition.add(ticket::Column::AssigneeId.eq(me.id)),
        Assigned::Nobody => condition = condition.add(ticket::Column::AssigneeId.is_null()),
    }
    if let Some(service) = filter.service {
        condition = condition.add(ticket::Column::ServiceId.eq(service.get()));
    }
    let words = words(&filter.query);
    if !words.is_empty() {
        let mut all_words = Condition::all();
        for word in &words {
            all_words = all_words.add(
                Condition::any()
                    .add(ticket::Column::SearchKey.contains(word.as_str()))
                    .add(ticket::Column::StaffKey.contains(word.as_str())),
            );
        }
        condition = match filter.query.trim().parse::<i64>() {
            Ok(number) => condition.add(
                Condition::any()
                    .add(ticket::Column::Number.eq(number))
                    .add(all_words),
            ),
            Err(_) => condition.add(all_words),
        };
    }
    condition
}

/// The filter as the caller may apply it: a group that is not theirs is no filter.
fn allowed(me: &SessionUser, filter: QueueFilter) -> QueueFilter {
    let filter = filter.normalized();
    let group = filter
        .group
        .filter(|g| me.role != Role::Agent || me.groups.contains(&g.get()));
    QueueFilter { group, ..filter }
}

/// One page of `me`'s queue.
pub async fn page(
    state: &AppState,
    me: &SessionUser,
    filter: QueueFilter,
) -> Result<QueuePage, AppError> {
    let db = &state.db;
    let filter = allowed(me, filter);
    let now = state.clock.now();
    let base = condition(me, &filter, now);
    let counted: Vec<(String, i64)> = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Situation)
        .column_as(Expr::col(ticket::Column::Id).count(), "n")
        .filter(base.clone())
        .group_by(ticket::Column::Situation)
        .into_tuple()
        .all(db)
        .await?;
    let counted: HashMap<String, i64> = counted.into_iter().collect();
    let counts: Vec<(Situation, u64)> = Situation::ALL
        .into_iter()
        .map(|s| {
            let n = counted.get(s.code()).copied().unwrap_or(0);
            (s, u64::try_from(n).unwrap_or(0))
        })
        .collect();
    let total = match filter.situation {
        Some(situation) => counts
            .iter()
            .find(|(s, _)| *s == situation)
            .map_or(0, |(_, n)| *n),
        None => counts.iter().map(|(_, n)| n).sum(),
    };
    let mut query = ticket::Entity::find().filter(base);
    if let Some(situation) = filter.situation {
        query = query.filter(ticket::Column::Situation.eq(situation.code()));
    }
    let order = if filter.ascending {
        Order::Asc
    } else {
        Order::Desc
    };
    let query = match filter.sort {
        // Numbers are given in order of creation.
        QueueSort::Number | QueueSort::Created => query,
        // Tickets without a deadline ("A combinar") come last either way.
        QueueSort::Deadline => query
            .order_by(Expr::col(ticket::Column::Deadline).is_null(), Order::Asc)
            .order_by(ticket::Column::Deadline, order.clone()),
        QueueSort::Priority => query.order_by(ticket::Column::Priority, order.clone()),
    };
    let tickets = query
        .order_by(ticket::Column::Number, order)
        .limit(QUEUE_PAGE_SIZE)
        .offset((filter.page - 1) * QUEUE_PAGE_SIZE)
        .all(db)
        .await?;
    let groups = match me.role {
        Role::Agent => staff::groups(db)
            .await?
            .into_iter()
            .filter(|g| me.groups.contains(&g.id.get()))
            .collect(),
        _ => staff::groups(db).await?,
    };
    let services = service::Entity::find()
        .order_by_asc(service::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|s| Choice {
            id: ServiceId(s.id),
            name: s.name,
        })
        .collect();
    Ok(QueuePage {
        total,
        rows: staff::rows(state, tickets).await?,
        counts,
        groups,
        services,
        tasks: staff::all_tasks(db).await?,
        filter,
    })
}
