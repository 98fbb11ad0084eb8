//! The queue ("Fila de atendimento"): the tickets of the caller's groups (every ticket for
//! managers and administrators) under the queue's filters, one page of 50, with the
//! counts per situation. Filtered, searched, sorted, counted and paged in the database.
//!
//! The SLA status filter is `view::sla_status` written as SQL over the stored deadline,
//! `risk_at` and `closed_at`; the search looks in the ticket's key (number, service,
//! request, title, description) and in what staff also search by (the customer's name,
//! login and CPF/CNPJ), accent- and case-free like the keys.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use entity::{service, ticket};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Statement,
};

use super::query::words;
use super::staff::{self, queue_scope};
use crate::domain::account::Role;
use crate::domain::desk::{
    Assigned, COUNT_CAP, Choice, QUEUE_PAGE_SIZE, QueueFilter, QueuePage, QueueSort,
};
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

/// At most this many tickets found through the full-text indexes (SQLite) narrow a search
/// to their ids; a word found in more is common, and the queue is read instead.
pub const STAFF_PROBE: u64 = 2_000;

/// SQLite: the tickets whose search key or staff key contains every word of three
/// letters or more, through the FTS5 trigram indexes, when each such word is in at most
/// `STAFF_PROBE` tickets; `None` when the indexes cannot narrow the search. PostgreSQL's
/// planner uses its trigram indexes by itself.
async fn staff_matches(
    db: &impl ConnectionTrait,
    words: &[String],
) -> Result<Option<Vec<i64>>, AppError> {
    let backend = db.get_database_backend();
    let long: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 3).collect();
    if long.is_empty() || backend != DbBackend::Sqlite {
        return Ok(None);
    }
    let mut found: Option<HashSet<i64>> = None;
    for word in long {
        let pattern = format!("%{word}%");
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT rowid FROM ticket_search WHERE search_key LIKE ? \
                 UNION SELECT rowid FROM ticket_staff_search WHERE staff_key LIKE ? LIMIT ?",
                [
                    pattern.clone().into(),
                    pattern.into(),
                    ((STAFF_PROBE + 1) as i64).into(),
                ],
            ))
            .await?;
        if rows.len() as u64 > STAFF_PROBE {
            return Ok(None);
        }
        let ids = rows
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<Result<HashSet<_>, _>>()?;
        found = Some(match found {
            None => ids,
            Some(before) => before.intersection(&ids).copied().collect(),
        });
    }
    Ok(found.map(|ids| {
        let mut ids: Vec<i64> = ids.into_iter().collect();
        ids.sort_unstable();
        ids
    }))
}

/// The queue's condition, the situation aside (the counts are per situation); `indexed`:
/// the tickets the full-text indexes found for the search, if they could.
fn condition(
    me: &SessionUser,
    filter: &QueueFilter,
    now: DateTime<Utc>,
    indexed: Option<Vec<i64>>,
) -> Condition {
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
        if let Some(ids) = indexed {
            all_words = all_words.add(ticket::Column::Id.is_in(ids));
        }
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

/// The statements counting the queue's tickets in each situation (in the order of
/// `Situation::ALL`), each up to `COUNT_CAP`: a count stops reading once it gets there.
fn count_statements(backend: DbBackend, base: &Condition) -> Vec<Statement> {
    Situation::ALL
        .into_iter()
        .map(|situation| {
            let inner = ticket::Entity::find()
                .select_only()
                .column(ticket::Column::Id)
                .filter(
                    base.clone()
                        .add(ticket::Column::Situation.eq(situation.code())),
                )
                .limit(COUNT_CAP)
                .build(backend);
            Statement::from_sql_and_values(
                backend,
                format!("SELECT COUNT(*) FROM ({}) AS capped", inner.sql),
                inner.values.map(|values| values.0).unwrap_or_default(),
            )
        })
        .collect()
}

/// The query of a page's rows under `condition`, in the filter's order (the deadline
/// order reads only tickets with a deadline: see `page`).
fn rows_query(
    condition: Condition,
    filter: &QueueFilter,
    offset: u64,
    limit: u64,
) -> Select<ticket::Entity> {
    let order = if filter.ascending {
        Order::Asc
    } else {
        Order::Desc
    };
    let query = ticket::Entity::find().filter(condition);
    let query = match filter.sort {
        // Numbers are given in order of creation.
        QueueSort::Number | QueueSort::Created => query,
        QueueSort::Deadline => query.order_by(ticket::Column::Deadline, order.clone()),
        QueueSort::Priority => query.order_by(ticket::Column::Priority, order.clone()),
    };
    query
        .order_by(ticket::Column::Number, order)
        .limit(limit)
        .offset(offset)
}

/// The condition with the filter's situation.
fn in_situation(base: Condition, filter: &QueueFilter) -> Condition {
    match filter.situation {
        Some(situation) => base.add(ticket::Column::Situation.eq(situation.code())),
        None => base,
    }
}

/// The statements of a page of `me`'s queue under `filter`, as `page` runs them (the
/// counts, then the rows; the search's index probe already done): for the benchmark,
/// which times them raw beside the whole server function.
pub async fn statements(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    filter: QueueFilter,
    now: DateTime<Utc>,
) -> Result<Vec<Statement>, AppError> {
    let backend = db.get_database_backend();
    let filter = allowed(me, filter);
    let indexed = staff_matches(db, &words(&filter.query)).await?;
    let base = condition(me, &filter, now, indexed);
    let mut rows = in_situation(base.clone(), &filter);
    if filter.sort == QueueSort::Deadline {
        rows = rows.add(ticket::Column::Deadline.is_not_null());
    }
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    let mut statements = count_statements(backend, &base);
    statements.push(rows_query(rows, &filter, offset, QUEUE_PAGE_SIZE).build(backend));
    Ok(statements)
}

/// Tickets per situation under `base`, each up to `COUNT_CAP`.
async fn counts(
    db: &impl ConnectionTrait,
    base: &Condition,
) -> Result<Vec<(Situation, u64)>, AppError> {
    let mut counts = Vec::with_capacity(Situation::ALL.len());
    for (situation, statement) in Situation::ALL
        .into_iter()
        .zip(count_statements(db.get_database_backend(), base))
    {
        let n: i64 = match db.query_one_raw(statement).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        counts.push((situation, u64::try_from(n).unwrap_or(0)));
    }
    Ok(counts)
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
    let indexed = staff_matches(db, &words(&filter.query)).await?;
    let base = condition(me, &filter, now, indexed);
    let counts = counts(db, &base).await?;
    let total = match filter.situation {
        Some(situation) => counts
            .iter()
            .find(|(s, _)| *s == situation)
            .map_or(0, |(_, n)| *n),
        None => Ord::min(counts.iter().map(|(_, n)| n).sum::<u64>(), COUNT_CAP),
    };
    let listed = in_situation(base, &filter);
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    let tickets = if filter.sort == QueueSort::Deadline {
        // Tickets with a deadline in its order, then those without ("A combinar") by
        // number, either way. Two reads in index order instead of one sort of every
        // ticket of the queue (an expression such as `deadline IS NULL` in ORDER BY
        // would force that sort).
        let dated = listed.clone().add(ticket::Column::Deadline.is_not_null());
        let mut tickets = rows_query(dated.clone(), &filter, offset, QUEUE_PAGE_SIZE)
            .all(db)
            .await?;
        let missing = QUEUE_PAGE_SIZE - tickets.len() as u64;
        if missing > 0 {
            // How many dated tickets come before: known when this page has some.
            let dated_count = if tickets.is_empty() {
                ticket::Entity::find().filter(dated).count(db).await?
            } else {
                offset + tickets.len() as u64
            };
            let undated = listed.add(ticket::Column::Deadline.is_null());
            let by_number = QueueFilter {
                sort: QueueSort::Number,
                ..filter.clone()
            };
            tickets.extend(
                rows_query(
                    undated,
                    &by_number,
                    offset.saturating_sub(dated_count),
                    missing,
                )
                .all(db)
                .await?,
            );
        }
        tickets
    } else {
        rows_query(listed, &filter, offset, QUEUE_PAGE_SIZE)
            .all(db)
            .await?
    };
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
