//! The queue ("Fila de atendimento"): the tickets of the caller's groups (every ticket for
//! managers and administrators) under the queue's filters, one page of 50, with the
//! counts per situation. Filtered, searched, sorted, counted and paged in the database.
//!
//! The SLA status filter is `view::sla_status` written as SQL over the stored deadline,
//! `risk_at` and `closed_at`; the search looks in the ticket's key (number, service,
//! request, title, description) and in what staff also search by (the customer's name,
//! login and CPF/CNPJ), accent- and case-free like the keys.

use chrono::{DateTime, Utc};
use entity::ticket;
use futures_util::future::{try_join, try_join_all};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, Select, Statement,
};

use super::query::words;
use super::staff::{self, queue_scope};
use super::view;
use crate::domain::account::Role;
use crate::domain::desk::{
    Assigned, COUNT_CAP, QUEUE_PAGE_SIZE, QueueFilter, QueuePage, QueueSort,
};
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

/// At most this many tickets found through the full-text index are read at once
/// for a search (`found_page`); a search found in more is common: its matches are dense
/// among the queue's rows, which are read in order instead.
pub const STAFF_PROBE: u64 = 20_000;

/// The distinct trigrams of `text`, in order (the full-text index's terms).
fn trigrams(text: &str, into: &mut Vec<String>) {
    let chars: Vec<char> = text.chars().collect();
    for window in chars.windows(3) {
        let trigram: String = window.iter().collect();
        if !into.contains(&trigram) {
            into.push(trigram);
        }
    }
}

/// How a ticket's group is written in its full-text row (m0011): characters no key holds.
fn group_marker(group: i32) -> String {
    format!("\u{1}{group}\u{1}")
}

/// One FTS5 string per term, quoted (no word is read as an operator), ANDed.
fn all_of(terms: &[String]) -> String {
    terms
        .iter()
        .map(|t| format!("\"{}\"", t.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// The FTS5 query for tickets holding every one of `terms` and, with `groups`, in one
/// of those groups; `None` without terms. With `detail=none` the index knows which
/// trigrams a ticket holds, not where: it finds a superset, and the rows' conditions
/// check each word.
fn trigram_query(terms: &[String], groups: Option<&[i32]>) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    let mut query = all_of(terms);
    if let Some(groups) = groups {
        let any: Vec<String> = groups
            .iter()
            .map(|g| {
                let mut marker = Vec::new();
                trigrams(&group_marker(*g), &mut marker);
                format!("({})", all_of(&marker))
            })
            .collect();
        query = format!("({query}) AND ({})", any.join(" OR "));
    }
    Some(query)
}

/// The share of tickets above which a trigram is common (`ticket_find_common`), and the
/// least number of tickets that makes one so.
const COMMON_SHARE: u64 = 20;
const COMMON_AT_LEAST: u64 = 1_000;

/// PostgreSQL: how many tickets' keys are read to tell the common trigrams (a random
/// sample; every ticket when there are fewer).
const COMMON_SAMPLE: u64 = 20_000;

/// Lists in `ticket_find_common` the trigrams held by more than one ticket in
/// `COMMON_SHARE` (and more than `COMMON_AT_LEAST`), then written in one short
/// transaction; returns how many there are. SQLite reads them from its index's
/// vocabulary (seconds with a million tickets, outside any write); PostgreSQL counts
/// them in a random sample of the tickets' keys. Either way the list only decides which
/// trigrams a search looks up: a wrong one costs time, never results.
pub async fn refresh_common_trigrams(db: &sea_orm::DatabaseConnection) -> Result<u64, AppError> {
    let backend = db.get_database_backend();
    let tickets = ticket::Entity::find().count(db).await?;
    let above = Ord::max(tickets / COMMON_SHARE, COMMON_AT_LEAST);
    let terms = match backend {
        DbBackend::Sqlite => db
            .query_all_raw(Statement::from_sql_and_values(
                backend,
                "SELECT term FROM ticket_find_vocab WHERE doc > ?",
                [i64::try_from(above).unwrap_or(i64::MAX).into()],
            ))
            .await?
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<Vec<_>, _>>()?,
        _ => {
            let percent = if tickets == 0 {
                100.0
            } else {
                (COMMON_SAMPLE as f64 * 100.0 / tickets as f64).min(100.0)
            };
            let keys = db
                .query_all_raw(Statement::from_string(
                    backend,
                    format!(
                        "SELECT search_key || ' ' || staff_key FROM ticket \
                         TABLESAMPLE BERNOULLI ({percent:.6})"
                    ),
                ))
                .await?
                .iter()
                .map(|row| row.try_get_by_index::<String>(0))
                .collect::<Result<Vec<_>, _>>()?;
            common_in_sample(&keys, tickets, above)
        }
    };
    let txn = crate::server::begin_write(db).await?;
    txn.execute_unprepared("DELETE FROM ticket_find_common")
        .await?;
    for chunk in terms.chunks(500) {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("ticket_find_common"))
            .columns([Alias::new("term")]);
        for term in chunk {
            // One value for the one column.
            insert.values_panic([term.clone().into()]);
        }
        txn.execute_raw(backend.build(&insert)).await?;
    }
    txn.commit().await?;
    Ok(terms.len() as u64)
}

/// The trigrams held by more than `above` of `tickets` tickets, told by how many of the
/// sampled `keys` hold each.
fn common_in_sample(keys: &[String], tickets: u64, above: u64) -> Vec<String> {
    if keys.is_empty() {
        return Vec::new();
    }
    let mut held: std::collections::HashMap<String, u64> = std::collections::HashMap::new();
    let mut seen = std::collections::HashSet::new();
    for key in keys {
        seen.clear();
        let chars: Vec<char> = key.chars().collect();
        for window in chars.windows(3) {
            if seen.insert([window[0], window[1], window[2]]) {
                *held.entry(window.iter().collect()).or_default() += 1;
            }
        }
    }
    let sampled = keys.len() as u64;
    let mut common: Vec<String> = held
        .into_iter()
        .filter(|(_, n)| {
            u128::from(*n) * u128::from(tickets) > u128::from(above) * u128::from(sampled)
        })
        .map(|(term, _)| term)
        .collect();
    common.sort_unstable();
    common
}

/// The tickets whose search key and staff key together hold every trigram of the
/// search's words that is not common, in one of `groups` when given, if there are at
/// most `probe` of them; `None` when the index cannot narrow the search (only short
/// words or common trigrams, or more than `probe` tickets).
/// - SQLite: m0011's `ticket_find`, one lookup for all the words with the groups'
///   markers.
/// - PostgreSQL: m0006's and m0008's trigram indexes, each word's rare trigrams in
///   either key: left to itself, the planner intersects every trigram of the pattern,
///   and a login whose trigrams are all common ("cliente124") read them all.
pub async fn staff_matches(
    db: &impl ConnectionTrait,
    words: &[String],
    groups: Option<&[i32]>,
    probe: u64,
) -> Result<Option<Vec<i64>>, AppError> {
    if groups.is_some_and(|g| g.is_empty()) {
        // No group, no ticket.
        return Ok(Some(Vec::new()));
    }
    let Some(lookup) = lookup_statement(db, words, groups, probe).await? else {
        return Ok(None);
    };
    let rows = db.query_all_raw(lookup).await?;
    if rows.len() as u64 > probe {
        return Ok(None);
    }
    let mut ids = rows
        .iter()
        .map(|row| row.try_get_by_index::<i64>(0))
        .collect::<Result<Vec<_>, _>>()?;
    ids.sort_unstable();
    Ok(Some(ids))
}

/// The statement of `staff_matches`' lookup (up to `probe` + 1 ids), its words' common
/// trigrams left out; `None` when nothing is left to look up.
async fn lookup_statement(
    db: &impl ConnectionTrait,
    words: &[String],
    groups: Option<&[i32]>,
    probe: u64,
) -> Result<Option<Statement>, AppError> {
    let backend = db.get_database_backend();
    let mut per_word: Vec<Vec<String>> = words
        .iter()
        .map(|word| {
            let mut terms = Vec::new();
            trigrams(word, &mut terms);
            if backend == DbBackend::Postgres {
                // pg_trgm splits words at anything but letters and digits.
                terms.retain(|t| t.chars().all(char::is_alphanumeric));
            }
            terms
        })
        .collect();
    let mut terms: Vec<String> = Vec::new();
    for term in per_word.iter().flatten() {
        if !terms.contains(term) {
            terms.push(term.clone());
        }
    }
    if terms.is_empty() {
        return Ok(None);
    }
    let mut common_query = Query::select();
    common_query
        .column(Alias::new("term"))
        .from(Alias::new("ticket_find_common"))
        .and_where(Expr::col(Alias::new("term")).is_in(terms.iter().cloned()));
    let common = db
        .query_all_raw(backend.build(&common_query))
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?;
    terms.retain(|t| !common.contains(t));
    for word in &mut per_word {
        word.retain(|t| !common.contains(t));
    }
    per_word.retain(|word| !word.is_empty());
    let limit = i64::try_from(probe.saturating_add(1)).unwrap_or(i64::MAX);
    let statement = match backend {
        DbBackend::Sqlite => {
            let Some(query) = trigram_query(&terms, groups) else {
                return Ok(None);
            };
            Statement::from_sql_and_values(
                backend,
                "SELECT rowid FROM ticket_find WHERE ticket_find MATCH ? LIMIT ?",
                [query.into(), limit.into()],
            )
        }
        _ => {
            if per_word.is_empty() {
                return Ok(None);
            }
            use ticket::Column::{GroupId, Id, SearchKey, StaffKey};
            let holds = |column: ticket::Column, word: &[String]| {
                word.iter().fold(Condition::all(), |all, t| {
                    all.add(column.contains(t.as_str()))
                })
            };
            let mut condition = Condition::all();
            for word in &per_word {
                condition = condition.add(
                    Condition::any()
                        .add(holds(SearchKey, word))
                        .add(holds(StaffKey, word)),
                );
            }
            if let Some(groups) = groups {
                condition = condition.add(GroupId.is_in(groups.iter().copied()));
            }
            let query = ticket::Entity::find()
                .select_only()
                .column(Id)
                .filter(condition)
                .limit(probe.saturating_add(1));
            query.build(backend)
        }
    };
    Ok(Some(statement))
}

/// The groups a search of `me`'s queue under `filter` (already `allowed`) is limited
/// to, for the full-text index; `None` for everyone's tickets.
fn search_groups(me: &SessionUser, filter: &QueueFilter) -> Option<Vec<i32>> {
    match (filter.group, me.role) {
        (Some(group), _) => Some(vec![group.get()]),
        // As `queue_scope`.
        (None, Role::Agent | Role::Customer) => Some(me.groups.clone()),
        (None, _) => None,
    }
}

/// The ticket's search key or staff key contains `word` (lower-case and accent-free, as
/// the keys), checked on each row read: `instr` (SQLite) or `strpos` (PostgreSQL), which
/// no index serves. The full-text indexes are asked apart (`staff_matches`); a search
/// they do not narrow is common, and reading the queue's rows in order finds it sooner.
/// PostgreSQL's planner, given a `LIKE`, intersected a common word's trigram index
/// (160,000 tickets for "boleto") with the queue's, reading both whole for each count.
fn contains(backend: DbBackend, word: &str) -> Condition {
    let find = match backend {
        DbBackend::Postgres => "strpos",
        _ => "instr",
    };
    let holds = |column: ticket::Column| {
        Expr::expr(
            Func::cust(find)
                .arg(Expr::col((ticket::Entity, column)))
                .arg(word.to_owned()),
        )
        .gt(0)
    };
    Condition::any()
        .add(holds(ticket::Column::SearchKey))
        .add(holds(ticket::Column::StaffKey))
}

/// The queue's condition, the situation and the SLA status aside (they go together:
/// `in_situation`).
fn condition(backend: DbBackend, me: &SessionUser, filter: &QueueFilter) -> Condition {
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
        for word in &words {
            all_words = all_words.add(contains(backend, word));
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

/// `in_situation` for counting: disjoint parts whose counts add up, each read in an
/// index's order from where its tickets are (`sla_parts`); on PostgreSQL a search's
/// parts are each split once more by the keys' length (`by_key_length`).
fn count_parts(
    backend: DbBackend,
    base: &Condition,
    filter: &QueueFilter,
    situation: Situation,
    now: DateTime<Utc>,
) -> Vec<(Condition, Option<ticket::Column>)> {
    let parts = sla_parts(base, filter, situation, now);
    if backend == DbBackend::Postgres && !words(&filter.query).is_empty() {
        by_key_length(parts)
    } else {
        parts
    }
}

/// How many bytes a ticket's keys (search key and staff key together) take. Those with
/// at most `KEYS_IN_INDEX` are in PostgreSQL's covering index of the queue's keys
/// (m0013; a B-tree entry holds about 2,700 bytes), the others in its index of long
/// keys. Both predicates are written into the statement with the constant (not bound),
/// as the partial indexes' own, so the planner can prove them usable.
const KEYS_BYTES: &str =
    r#"octet_length("ticket"."search_key") + octet_length("ticket"."staff_key")"#;
const KEYS_IN_INDEX: u32 = 2_000;

/// Each part in two whose counts add up: the tickets whose keys are in m0013's
/// covering index (a common word counted from the index alone: 2.5 ms where reading
/// the rows took 25–50 ms) and the others, found through their own small index.
fn by_key_length(
    parts: Vec<(Condition, Option<ticket::Column>)>,
) -> Vec<(Condition, Option<ticket::Column>)> {
    parts
        .into_iter()
        .flat_map(|(condition, order)| {
            [
                (
                    condition
                        .clone()
                        .add(Expr::cust(format!("{KEYS_BYTES} <= {KEYS_IN_INDEX}"))),
                    order,
                ),
                (
                    condition.add(Expr::cust(format!("{KEYS_BYTES} > {KEYS_IN_INDEX}"))),
                    order,
                ),
            ]
        })
        .collect()
}

/// `count_parts` by SLA status (either engine). With a condition of its own, an open
/// ticket's SLA status read the risk index from its start, past every overdue ticket
/// (55,000 of 90,000 in the benchmark) before the first one to count:
/// - "normal" is those "A combinar" (no deadline) and those whose risk point is ahead,
///   each a range of an index;
/// - "em risco" is read backward from now by risk point: the tickets whose risk point
///   has just passed come first, long-overdue ones last.
fn sla_parts(
    base: &Condition,
    filter: &QueueFilter,
    situation: Situation,
    now: DateTime<Utc>,
) -> Vec<(Condition, Option<ticket::Column>)> {
    use ticket::Column::{Deadline, RiskAt};
    let Some(condition) = in_situation(base, filter, situation, now) else {
        return Vec::new();
    };
    match (filter.sla, situation) {
        (Some(SlaStatus::Normal), Situation::Open) => {
            let here = base
                .clone()
                .add(ticket::Column::Situation.eq(situation.code()));
            vec![
                (here.clone().add(Deadline.is_null()), None),
                (here.add(Deadline.is_not_null()).add(RiskAt.gt(now)), None),
            ]
        }
        (Some(SlaStatus::AtRisk), Situation::Open) => vec![(condition, Some(RiskAt))],
        _ => vec![(condition, None)],
    }
}

/// The situations the page lists.
fn listed(filter: &QueueFilter) -> Vec<Situation> {
    filter.situation.situations()
}

/// The statement counting the tickets under `condition`, up to `COUNT_CAP`: the count
/// stops reading once it gets there.
fn count_statement(
    backend: DbBackend,
    (condition, backward): (Condition, Option<ticket::Column>),
) -> Statement {
    let mut inner = ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .filter(condition);
    if let Some(column) = backward {
        inner = inner.order_by_desc(column);
    }
    let inner = inner.limit(COUNT_CAP).build(backend);
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

/// What the queue orders by.
#[derive(Clone, Copy)]
struct OrderKey {
    number: i64,
    priority: i16,
    deadline: Option<DateTime<Utc>>,
}

impl From<&ticket::Model> for OrderKey {
    fn from(t: &ticket::Model) -> Self {
        OrderKey {
            number: t.number,
            priority: t.priority,
            deadline: t.deadline,
        }
    }
}

/// The queue's order between two tickets (to merge situations read apart, and to order a
/// search's matches read at once).
fn compare(filter: &QueueFilter, a: OrderKey, b: OrderKey) -> std::cmp::Ordering {
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

/// What a search's match needs for the queue's counts, SLA filter and order.
#[derive(Debug, sea_orm::FromQueryResult)]
struct Candidate {
    id: i64,
    number: i64,
    situation: String,
    priority: i16,
    created_at: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    risk_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
}

/// Ids read per statement (well under SQLite's limit of bound values).
const CANDIDATE_CHUNK: usize = 5_000;

/// The statements reading, among `ids` (the full-text index's candidates), the tickets
/// under `base`: the caller's scope, the filters and every word checked on the row.
fn candidate_queries(base: &Condition, ids: &[i64]) -> Vec<Select<ticket::Entity>> {
    use ticket::Column as C;
    ids.chunks(CANDIDATE_CHUNK)
        .map(|chunk| {
            ticket::Entity::find()
                .select_only()
                .columns([
                    C::Id,
                    C::Number,
                    C::Situation,
                    C::Priority,
                    C::CreatedAt,
                    C::Deadline,
                    C::RiskAt,
                    C::ClosedAt,
                    C::PausedAt,
                ])
                .filter(base.clone().add(C::Id.is_in(chunk.iter().copied())))
        })
        .collect()
}

/// The matches of a search among `ids` (the full-text index's candidates), read in
/// chunks.
async fn read_candidates(
    db: &impl ConnectionTrait,
    base: &Condition,
    ids: &[i64],
) -> Result<Vec<Candidate>, AppError> {
    let mut found = Vec::new();
    for query in candidate_queries(base, ids) {
        found.extend(query.into_model::<Candidate>().all(db).await?);
    }
    Ok(found)
}

/// The counts and one page of a search from all its matches (`found`, under the
/// queue's condition): counted, filtered by SLA status, ordered and paged here, as the
/// row-by-row path does in the database (the reference test holds both to the same
/// answers).
async fn found_page(
    db: &impl ConnectionTrait,
    filter: &QueueFilter,
    found: Vec<Candidate>,
    now: DateTime<Utc>,
) -> Result<(Vec<(Situation, u64)>, u64, Vec<ticket::Model>), AppError> {
    let mut matches: Vec<(Situation, Candidate)> = Vec::new();
    for c in found {
        let Some(situation) = Situation::from_code(&c.situation) else {
            continue;
        };
        let keep = filter.sla.is_none_or(|status| {
            view::sla_status(
                c.created_at,
                c.deadline,
                c.risk_at,
                c.closed_at,
                c.paused_at,
                now,
            ) == status
        });
        if keep {
            matches.push((situation, c));
        }
    }
    let counts: Vec<(Situation, u64)> = Situation::ALL
        .into_iter()
        .map(|s| {
            let n = matches.iter().filter(|(m, _)| *m == s).count() as u64;
            (s, Ord::min(n, COUNT_CAP))
        })
        .collect();
    let listed = listed(filter);
    let mut hits: Vec<&Candidate> = matches
        .iter()
        .filter(|(s, _)| listed.contains(s))
        .map(|(_, c)| c)
        .collect();
    let total = Ord::min(hits.len() as u64, COUNT_CAP);
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    if listed.len() > 1 && offset >= COUNT_CAP {
        // Several situations are listed as far as they are counted, as below.
        return Ok((counts, total, Vec::new()));
    }
    let key = |c: &Candidate| OrderKey {
        number: c.number,
        priority: c.priority,
        deadline: c.deadline,
    };
    hits.sort_by(|a, b| compare(filter, key(a), key(b)));
    let page: Vec<i64> = hits
        .into_iter()
        .skip(usize::try_from(offset).unwrap_or(usize::MAX))
        .take(QUEUE_PAGE_SIZE as usize)
        .map(|c| c.id)
        .collect();
    let mut tickets = ticket::Entity::find()
        .filter(ticket::Column::Id.is_in(page.iter().copied()))
        .all(db)
        .await?;
    tickets.sort_by_key(|t| page.iter().position(|id| *id == t.id));
    Ok((counts, total, tickets))
}

/// The counts and one page of the queue read row by row in the database: each
/// situation counted up to the cap, and read in index order up to the page.
async fn read_page(
    db: &impl ConnectionTrait,
    backend: DbBackend,
    base: &Condition,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<(Vec<(Situation, u64)>, u64, Vec<ticket::Model>), AppError> {
    // The counts at once, each on its own connection (each may read up to the cap), and
    // beside them the page's tickets, which do not depend on them.
    let parts = Situation::ALL.into_iter().flat_map(|situation| {
        count_parts(backend, base, filter, situation, now)
            .into_iter()
            .map(move |part| (situation, part))
    });
    let counted = try_join_all(parts.map(|(situation, part)| async move {
        let n: i64 = match db.query_one_raw(count_statement(backend, part)).await? {
            Some(row) => row.try_get_by_index(0)?,
            None => 0,
        };
        Ok::<_, AppError>((situation, u64::try_from(n).unwrap_or(0)))
    }));
    let tickets = page_tickets(db, base, filter, now);
    let (counted, tickets) = try_join(counted, tickets).await?;
    let counts: Vec<(Situation, u64)> = Situation::ALL
        .into_iter()
        .map(|situation| {
            let n = counted
                .iter()
                .filter(|(s, _)| *s == situation)
                .map(|(_, n)| n)
                .sum::<u64>();
            (situation, Ord::min(n, COUNT_CAP))
        })
        .collect();
    let count_of = |situation: Situation| {
        counts
            .iter()
            .find(|(s, _)| *s == situation)
            .map_or(0, |(_, n)| *n)
    };
    let total = Ord::min(
        listed(filter).into_iter().map(count_of).sum::<u64>(),
        COUNT_CAP,
    );
    Ok((counts, total, tickets))
}

/// The tickets of the filter's page, in its order (without their counts).
async fn page_tickets(
    db: &impl ConnectionTrait,
    base: &Condition,
    filter: &QueueFilter,
    now: DateTime<Utc>,
) -> Result<Vec<ticket::Model>, AppError> {
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    match listed(filter).as_slice() {
        [situation] => match in_situation(base, filter, *situation, now) {
            Some(condition) => {
                ordered(
                    db,
                    condition,
                    *situation,
                    filter,
                    offset,
                    QUEUE_PAGE_SIZE,
                    now,
                )
                .await
            }
            None => Ok(Vec::new()),
        },
        // Several situations are listed as far as they are counted: to the cap.
        _ if offset >= COUNT_CAP => Ok(Vec::new()),
        situations => {
            // Each situation read in index order up to this page, then merged: no
            // sort of the whole queue.
            let reads = situations
                .iter()
                .copied()
                .filter_map(|s| in_situation(base, filter, s, now).map(|c| (s, c)))
                .map(|(situation, condition)| {
                    ordered(
                        db,
                        condition,
                        situation,
                        filter,
                        0,
                        offset + QUEUE_PAGE_SIZE,
                        now,
                    )
                });
            let mut merged: Vec<ticket::Model> =
                try_join_all(reads).await?.into_iter().flatten().collect();
            merged.sort_by(|a, b| compare(filter, a.into(), b.into()));
            Ok(merged
                .into_iter()
                .skip(offset as usize)
                .take(QUEUE_PAGE_SIZE as usize)
                .collect())
        }
    }
}

/// The statements of a page of `me`'s queue under `filter`, as `page` runs them (the
/// counts, then the first read of each situation listed; for a search the full-text
/// index narrowed, its lookup and the reads of its candidates; the query for the words'
/// common trigrams is run here, not returned): for the benchmark, which times them raw
/// beside the whole server function.
pub async fn statements(
    db: &impl ConnectionTrait,
    me: &SessionUser,
    filter: QueueFilter,
    now: DateTime<Utc>,
) -> Result<Vec<Statement>, AppError> {
    let backend = db.get_database_backend();
    let filter = allowed(me, filter);
    let base = condition(backend, me, &filter);
    let groups = search_groups(me, &filter);
    let words = words(&filter.query);
    if let Some(ids) = staff_matches(db, &words, groups.as_deref(), STAFF_PROBE).await? {
        let lookup = match groups.as_deref() {
            Some([]) => None,
            groups => lookup_statement(db, &words, groups, STAFF_PROBE).await?,
        };
        return Ok(lookup
            .into_iter()
            .chain(
                candidate_queries(&base, &ids)
                    .iter()
                    .map(|q| q.build(backend)),
            )
            .collect());
    }
    let offset = (filter.page - 1) * QUEUE_PAGE_SIZE;
    let mut statements: Vec<Statement> = Situation::ALL
        .into_iter()
        .flat_map(|s| count_parts(backend, &base, &filter, s, now))
        .map(|part| count_statement(backend, part))
        .collect();
    let (offset, limit) = match listed(&filter).len() {
        1 => (offset, QUEUE_PAGE_SIZE),
        // Listed as far as they are counted (`read_page`): nothing more is read.
        _ if offset >= COUNT_CAP => return Ok(statements),
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
    page_probing(state, me, filter, STAFF_PROBE).await
}

/// `page`, reading a search's matches at once when the full-text index finds at most
/// `probe` candidates; the tests also run the row-by-row path with 0.
pub async fn page_probing(
    state: &AppState,
    me: &SessionUser,
    filter: QueueFilter,
    probe: u64,
) -> Result<QueuePage, AppError> {
    let db = &state.db;
    let backend = db.get_database_backend();
    let filter = allowed(me, filter);
    let now = state.clock.now();
    let base = condition(backend, me, &filter);
    // The full-text index narrows a search to its candidates when it can (SQLite and
    // PostgreSQL alike, `staff_matches`); a common one is read row by row.
    let groups = search_groups(me, &filter);
    let tickets = async {
        match staff_matches(db, &words(&filter.query), groups.as_deref(), probe).await? {
            Some(ids) => {
                let found = read_candidates(db, &base, &ids).await?;
                found_page(db, &filter, found, now).await
            }
            None => read_page(db, backend, &base, &filter, now).await,
        }
    };
    // The filters' choices do not depend on the tickets: read beside them.
    let (labels, (counts, total, tickets)) =
        try_join(staff::QueueLabels::choices(db), tickets).await?;
    let labels = labels.with_names(db, &tickets).await?;
    let rows = labels.rows(state, tickets)?;
    let staff::QueueLabels {
        services,
        groups,
        tasks,
        ..
    } = labels;
    // An agent filters by their own groups only.
    let groups = match me.role {
        Role::Agent => groups
            .into_iter()
            .filter(|g| me.groups.contains(&g.id.get()))
            .collect(),
        _ => groups,
    };
    Ok(QueuePage {
        total,
        rows,
        counts,
        groups,
        services,
        tasks,
        filter,
    })
}

#[cfg(test)]
mod tests {
    use super::common_in_sample;

    #[test]
    fn common_trigrams_are_told_by_their_share_of_the_sample() {
        let keys: Vec<String> = ["boleto pago", "boleto novo", "segunda via", "boleto"]
            .into_iter()
            .map(String::from)
            .collect();
        // Four of 400 tickets sampled: "bol" is in three, about 300; "seg" in one.
        assert_eq!(
            common_in_sample(&keys, 400, 200),
            vec!["bol", "eto", "let", "ole"]
        );
        // Above 75 tickets, anything held by one of the four sampled is common too.
        let many = common_in_sample(&keys, 400, 75);
        assert!(many.contains(&"seg".to_string()) && many.contains(&"bol".to_string()));
        // A trigram is counted once per ticket, however often the key repeats it.
        let repeated = vec!["aaaaaa".to_string(), "bbb".to_string()];
        assert_eq!(common_in_sample(&repeated, 2, 1), Vec::<String>::new());
        assert!(common_in_sample(&[], 10, 0).is_empty());
    }
}
