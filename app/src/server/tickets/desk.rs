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
use sea_orm::sea_query::{Expr, ExprTrait, Func, Order};
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

/// The SQL form of `view::sla_status(…) == status` at `now` for tickets in `situation`,
/// or `None` when no ticket in that situation can have that status. Open tickets have no
/// `closed_at` and closed or cancelled ones have one (every writer keeps it so), so the
/// open statuses (normal, at risk, late) are read from the deadline and `risk_at` alone,
/// which the queue's indexes hold.
pub fn sla_condition(
    status: SlaStatus,
    situation: Situation,
    now: DateTime<Utc>,
) -> Option<Condition> {
    use ticket::Column::{ClosedAt, Deadline, PausedAt, RiskAt};
    // A suspended ticket is judged when it was paused; one in progress, now.
    let at = |_column: ticket::Column| -> sea_orm::sea_query::SimpleExpr {
        if situation == Situation::Suspended {
            Expr::col(PausedAt).into()
        } else {
            Expr::value(now).into()
        }
    };
    let open = situation.is_open();
    Some(match (status, open) {
        (SlaStatus::Normal, true) => Condition::any()
            .add(Deadline.is_null())
            .add(Expr::col(RiskAt).gt(at(RiskAt))),
        (SlaStatus::AtRisk, true) => Condition::all()
            .add(Expr::col(Deadline).gte(at(Deadline)))
            .add(Expr::col(RiskAt).lte(at(RiskAt))),
        (SlaStatus::Late, true) => Condition::all().add(Expr::col(Deadline).lt(at(Deadline))),
        (SlaStatus::Violated, false) => Condition::all()
            .add(Deadline.is_not_null())
            .add(Expr::col(ClosedAt).gt(Expr::col(Deadline))),
        (SlaStatus::Met, false) => Condition::any()
            .add(Deadline.is_null())
            .add(Expr::col(ClosedAt).lte(Expr::col(Deadline))),
        (SlaStatus::Normal | SlaStatus::AtRisk | SlaStatus::Late, false)
        | (SlaStatus::Met | SlaStatus::Violated, true) => return None,
    })
}

/// At most this many tickets found through the full-text indexes (SQLite) narrow a search
/// to their ids; a word found in more is common and narrows nothing.
pub const STAFF_PROBE: u64 = 2_000;

/// SQLite: the tickets whose search key or staff key contains each word of three letters
/// or more that is in at most `STAFF_PROBE` tickets (common words are left to the
/// conditions on the rows), through the FTS5 trigram indexes; `None` when no word
/// narrows the search. PostgreSQL's planner uses its trigram indexes by itself.
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
        // Each index on its own, each stopping at the probe's limit (a UNION would
        // collect both whole before any limit).
        let mut ids = HashSet::new();
        let mut common = false;
        for sql in [
            "SELECT rowid FROM ticket_search WHERE search_key LIKE ? LIMIT ?",
            "SELECT rowid FROM ticket_staff_search WHERE staff_key LIKE ? LIMIT ?",
        ] {
            let rows = db
                .query_all_raw(Statement::from_sql_and_values(
                    backend,
                    sql,
                    [pattern.clone().into(), ((STAFF_PROBE + 1) as i64).into()],
                ))
                .await?;
            if rows.len() as u64 > STAFF_PROBE {
                common = true;
                break;
            }
            for row in &rows {
                ids.insert(row.try_get_by_index::<i64>(0)?);
            }
        }
        if common {
            continue;
        }
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

/// `column` contains `word` (both lower-case and accent-free). PostgreSQL: `LIKE`, which
/// its trigram indexes serve. SQLite: `instr`, cheaper on every row read than `LIKE`'s
/// case folding; its full-text indexes are probed apart (`staff_matches`).
fn contains(backend: DbBackend, column: ticket::Column, word: &str) -> Condition {
    match backend {
        DbBackend::Postgres => Condition::all().add(column.contains(word)),
        _ => Condition::all().add(
            Expr::expr(
                Func::cust("instr")
                    .arg(Expr::col((ticket::Entity, column)))
                    .arg(word.to_owned()),
            )
            .gt(0),
        ),
    }
}

/// The queue's condition, the situation and the SLA status aside (they go together:
/// `in_situation`); `indexed`: the tickets the full-text indexes found for the search, if
/// they could.
fn condition(
    backend: DbBackend,
    me: &SessionUser,
    filter: &QueueFilter,
    indexed: Option<Vec<i64>>,
) -> Condition {
    let mut condition = queue_scope(me).restrict(Condition::all());
    if let Some(group) = filter.group {
        condition = condition.add(ticket::Column::GroupId.eq(group.get()));
    }
    if let Some(task) = &filter.task {
        condition = condition.add(ticket::Column::Task.eq(task.as_str()));
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
                    .add(contains(backend, ticket::Column::SearchKey, word))
                    .add(contains(backend, ticket::Column::StaffKey, word)),
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

/// `base` in `situation` with the filter's SLA status; `None` when nothing can match.
fn in_situation(
    base: &Condition,
    filter: &QueueFilter,
    situation: Situation,
    now: DateTime<Utc>,
) -> Option<Condition> {
    let condition = base
        .clone()
        .add(ticket::Column::Situation.eq(situation.code()));
    match filter.sla {
        Some(status) => Some(condition.add(sla_condition(status, situation, now)?)),
        None => Some(condition),
    }
}

/// The situations the page lists.
fn listed(filter: &QueueFilter) -> Vec<Situation> {
    filter.situation.situations()
}

/// The statement counting the tickets under `condition`, up to `COUNT_CAP`: the count
/// stops reading once it gets there.
fn count_statement(backend: DbBackend, condition: Condition) -> Statement {
    let inner = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .filter(condition)
        .limit(COUNT_CAP)
        .build(backend);
    Statement::from_sql_and_values(
        backend,
        format!("SELECT COUNT(*) FROM ({}) AS capped", inner.sql),
        inner.values.map(|values| values.0).unwrap_or_default(),
    )
}

/// The query of up to `limit` tickets from `offset` under `condition`, in the filter's
/// order (for the deadline order, `ordered` reads dated and undated tickets apart).
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

/// Up to `limit` tickets from `offset` under `condition` (one situation), in the filter's
/// order. By deadline: those with a deadline in its order, then those without ("A
/// combinar") by number, either way; two reads in index order instead of one sort of the
/// whole queue (`deadline IS NULL` in ORDER BY would force that sort).
async fn ordered(
    db: &impl ConnectionTrait,
    condition: Condition,
    situation: Situation,
    filter: &QueueFilter,
    offset: u64,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Vec<ticket::Model>, AppError> {
    if filter.sort != QueueSort::Deadline {
        return Ok(rows_query(condition, filter, offset, limit).all(db).await?);
    }
    let mut dated = condition
        .clone()
        .add(ticket::Column::Deadline.is_not_null());
    if filter.sla == Some(SlaStatus::Normal) && situation == Situation::Open {
        // Implied (a normal ticket in progress has its deadline ahead; a suspended one is
        // judged when it was paused), and where the index range starts: the late
        // tickets before it are not read one by one.
        dated = dated.add(ticket::Column::Deadline.gt(now));
    }
    let mut tickets = rows_query(dated.clone(), filter, offset, limit)
        .all(db)
        .await?;
    let missing = limit - tickets.len() as u64;
    if missing > 0 {
        // How many dated tickets come before: known when this page has some.
        let dated_count = if tickets.is_empty() {
            ticket::Entity::find().filter(dated).count(db).await?
        } else {
            offset + tickets.len() as u64
        };
        let by_number = QueueFilter {
            sort: QueueSort::Number,
            ..filter.clone()
        };
        tickets.extend(
            rows_query(
                condition.add(ticket::Column::Deadline.is_null()),
                &by_number,
                offset.saturating_sub(dated_count),
                missing,
            )
            .all(db)
            .await?,
        );
    }
    Ok(tickets)
}

/// The queue's order between two tickets (to merge situations read apart).
fn compare(filter: &QueueFilter, a: &ticket::Model, b: &ticket::Model) -> std::cmp::Ordering {
    let directed = |ordering: std::cmp::Ordering| {
        if filter.ascending {
            ordering
        } else {
            ordering.reverse()
        }
    };
    let number = directed(a.number.cmp(&b.number));
    match filter.sort {
        QueueSort::Number | QueueSort::Created => number,
        QueueSort::Priority => directed(a.priority.cmp(&b.priority)).then(number),
        // Without a deadline last either way.
        QueueSort::Deadline => (a.deadline.is_none().cmp(&b.deadline.is_none()))
            .then(directed(a.deadline.cmp(&b.deadline)))
            .then(number),
    }
}

/// The statements of a page of `me`'s queue under `filter`, as `page` runs them (the
/// counts, then the first read of each situation listed; the search's index probe is
/// run here, not returned): for the benchmark, which times them raw beside the whole
/// server function.
pub async fn statements(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    filter: QueueFilter,
    now: DateTime<Utc>,
) -> Result<Vec<Statement>, AppError> {
    let backend = db.get_database_backend();
    let filter = allowed(me, filter);
    let indexed = staff_matches(db, &words(&filter.query)).await?;
    let base = condition(backend, me, &filter, indexed);
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    let mut statements: Vec<Statement> = Situation::ALL
        .into_iter()
        .filter_map(|s| in_situation(&base, &filter, s, now))
        .map(|c| count_statement(backend, c))
        .collect();
    let (offset, limit) = match listed(&filter).len() {
        1 => (offset, QUEUE_PAGE_SIZE),
        _ => (0, offset + QUEUE_PAGE_SIZE),
    };
    for situation in listed(&filter) {
        if let Some(mut rows) = in_situation(&base, &filter, situation, now) {
            if filter.sort == QueueSort::Deadline {
                rows = rows.add(ticket::Column::Deadline.is_not_null());
                if filter.sla == Some(SlaStatus::Normal) && situation == Situation::Open {
                    rows = rows.add(ticket::Column::Deadline.gt(now));
                }
            }
            statements.push(rows_query(rows, &filter, offset, limit).build(backend));
        }
    }
    Ok(statements)
}

/// One page of `me`'s queue.
pub async fn page(
    state: &AppState,
    me: &SessionUser,
    filter: QueueFilter,
) -> Result<QueuePage, AppError> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let filter = allowed(me, filter);
    let now = state.clock.now();
    let indexed = staff_matches(db, &words(&filter.query)).await?;
    let base = condition(backend, me, &filter, indexed);
    let mut counts = Vec::with_capacity(Situation::ALL.len());
    for situation in Situation::ALL {
        let n: i64 = match in_situation(&base, &filter, situation, now) {
            Some(condition) => match db
                .query_one_raw(count_statement(backend, condition))
                .await?
            {
                Some(row) => row.try_get_by_index(0)?,
                None => 0,
            },
            None => 0,
        };
        counts.push((situation, u64::try_from(n).unwrap_or(0)));
    }
    let count_of = |situation: Situation| {
        counts
            .iter()
            .find(|(s, _)| *s == situation)
            .map_or(0, |(_, n)| *n)
    };
    let total = Ord::min(
        listed(&filter).into_iter().map(count_of).sum::<u64>(),
        COUNT_CAP,
    );
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    let tickets = match listed(&filter).as_slice() {
        [situation] => match in_situation(&base, &filter, *situation, now) {
            Some(condition) => {
                ordered(
                    db,
                    condition,
                    *situation,
                    &filter,
                    offset,
                    QUEUE_PAGE_SIZE,
                    now,
                )
                .await?
            }
            None => Vec::new(),
        },
        // Several situations are listed as far as they are counted: to the cap.
        _ if offset >= COUNT_CAP => Vec::new(),
        situations => {
            // Each situation read in index order up to this page, then merged: no sort
            // of the whole queue.
            let mut merged = Vec::new();
            for situation in situations.iter().copied() {
                if count_of(situation) == 0 {
                    continue;
                }
                if let Some(condition) = in_situation(&base, &filter, situation, now) {
                    merged.extend(
                        ordered(
                            db,
                            condition,
                            situation,
                            &filter,
                            0,
                            offset + QUEUE_PAGE_SIZE,
                            now,
                        )
                        .await?,
                    );
                }
            }
            merged.sort_by(|a, b| compare(&filter, a, b));
            merged
                .into_iter()
                .skip(offset as usize)
                .take(QUEUE_PAGE_SIZE as usize)
                .collect()
        }
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
