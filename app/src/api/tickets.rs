//! "Meus Tickets": the signed-in customer's tickets (filtered, searched, sorted and
//! paged in the database), one ticket's description, attachments and history, and what
//! the customer may do with it: a note and more files while it is open; an opinion, the
//! satisfaction survey and reopening once it is closed. Plus the admin-only close that
//! stands in for the staff desk until it exists.
//!
//! Another customer's ticket is "not found", exactly like a number that does not exist.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::attachment::AttachmentLimits;
use crate::domain::request::{FieldValue, RequestProfileInput};
use crate::domain::tickets::TicketFilter;
use crate::error::AppError;

/// One row of "Meus Tickets", in the seed's columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub number: i64,
    pub ticket_type: String,
    pub service: String,
    pub request: String,
    /// dd/mm/aaaa hh:mm in the instance's time zone.
    pub created_at: String,
    pub task: String,
    pub group: String,
    /// em_andamento, suspensa, fechada, cancelada
    pub situation: String,
    /// Business hours of the SLA, `None` for "A combinar".
    pub sla_hours: Option<i32>,
    pub deadline: Option<String>,
    /// normal, em_risco, atrasado, cumprido
    pub sla_status: String,
    pub priority: i16,
    pub has_attachments: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    pub total: u64,
    pub filter: TicketFilter,
    pub rows: Vec<TicketRow>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttachmentRow {
    pub id: i64,
    pub name: String,
    pub size: u64,
    pub created_at: String,
}

/// One line of "Histórico".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HistoryRow {
    pub at: String,
    /// The person's name; empty for the system.
    pub who: String,
    /// opened, attachment, note, closed, reopened, opinion, rated …
    pub kind: String,
    pub detail: String,
}

/// Everything the ticket page shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketDetail {
    pub row: TicketRow,
    pub title: String,
    pub description: String,
    pub fields: Vec<FieldValue>,
    pub profile: RequestProfileInput,
    pub attachments: Vec<AttachmentRow>,
    pub history: Vec<HistoryRow>,
    pub solution: Option<String>,
    pub closed_at: Option<String>,
    /// (elogio|queixa, text)
    pub opinion: Option<(String, String)>,
    /// (score, comment)
    pub rating: Option<(i16, String)>,
    /// Until when the survey and reopening are offered (local time), while they are.
    pub rating_until: Option<String>,
    pub reopen_until: Option<String>,
    pub limits: AttachmentLimits,
}

impl TicketDetail {
    pub fn is_open(&self) -> bool {
        matches!(self.row.situation.as_str(), "em_andamento" | "suspensa")
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use entity::{
        activity, attachment, service, support_group, ticket, ticket_event, user_account,
    };
    use sea_orm::sea_query::{Expr, ExprTrait, Func, Order};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, DbBackend,
        EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, Statement,
        TransactionTrait,
    };

    use super::*;
    use crate::domain::documents::search_key;
    use crate::domain::ids::{AttachmentId, TicketId};
    use crate::domain::request::RequestProfile;
    use crate::domain::tickets::{self as rules, PAGE_SIZE, Situation, SortBy};
    use crate::domain::{Field, FieldErrors, Problem};
    use crate::server::session::SessionUser;
    use crate::server::sla;
    use crate::state::AppState;

    pub fn local(state: &AppState, at: DateTime<Utc>) -> String {
        at.with_timezone(&state.time_zone)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    /// Normal, "em risco" once 75 % of the time is used, "atrasado" past the deadline;
    /// once closed, "cumprido" when closed in time (else it stays "atrasado").
    pub fn sla_status(
        created: DateTime<Utc>,
        deadline: Option<DateTime<Utc>>,
        closed: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> &'static str {
        let at = closed.unwrap_or(now);
        match deadline {
            None if closed.is_some() => "cumprido",
            None => "normal",
            Some(deadline) if at > deadline => "atrasado",
            Some(_) if closed.is_some() => "cumprido",
            Some(deadline) if (now - created) * 4 >= (deadline - created) * 3 => "em_risco",
            Some(_) => "normal",
        }
    }

    fn refuse(field: Field, problem: Problem) -> AppError {
        FieldErrors::single(field, problem).into()
    }

    /// The words of a search, lower-case and accent-free, without LIKE wildcards.
    fn words(query: &str) -> Vec<String> {
        search_key(query)
            .split_whitespace()
            .map(|w| w.replace(['%', '_', '\\'], ""))
            .filter(|w| !w.is_empty())
            .take(8)
            .collect()
    }

    /// A search whose words (of three letters or more) the full-text index finds in at
    /// most this many tickets of the whole instance starts from those tickets; above it,
    /// the customer's own tickets are the smaller set and are read instead.
    pub const INDEX_PROBE: u64 = 256;

    /// SQLite: the tickets whose search key contains every word of three letters or
    /// more, through the FTS5 trigram index, when there are at most `INDEX_PROBE` of
    /// them (reading at most `INDEX_PROBE + 1` index entries to find out); `None` when
    /// the index cannot narrow the search (a common word, only short words). PostgreSQL
    /// needs no probe: its planner weighs the trigram index against the customer's index
    /// itself.
    pub async fn indexed_matches(
        db: &impl ConnectionTrait,
        words: &[String],
    ) -> Result<Option<Vec<i64>>, AppError> {
        let long: Vec<&String> = words.iter().filter(|w| w.chars().count() >= 3).collect();
        if long.is_empty() || db.get_database_backend() != DbBackend::Sqlite {
            return Ok(None);
        }
        let mut sql = String::from("SELECT rowid FROM ticket_search WHERE ");
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(long.len() + 1);
        for (i, word) in long.iter().enumerate() {
            if i > 0 {
                sql.push_str(" AND ");
            }
            sql.push_str("search_key LIKE ?");
            values.push(format!("%{word}%").into());
        }
        sql.push_str(" LIMIT ?");
        values.push(((INDEX_PROBE + 1) as i64).into());
        let rows = db
            .query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                sql,
                values,
            ))
            .await?;
        if rows.len() as u64 > INDEX_PROBE {
            return Ok(None);
        }
        let ids = rows
            .iter()
            .map(|row| row.try_get_by_index::<i64>(0))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Some(ids))
    }

    /// The list's condition: the customer, the situation and the search (narrowed to
    /// `indexed` when the full-text index found few tickets). A search that is a number
    /// also finds the ticket with that number.
    fn condition(
        backend: DbBackend,
        customer: i32,
        filter: &TicketFilter,
        words: &[String],
        indexed: Option<Vec<i64>>,
    ) -> Condition {
        let mut condition = Condition::all().add(ticket::Column::CustomerId.eq(customer));
        if let Some(situation) = filter.situation {
            condition = condition.add(ticket::Column::Situation.eq(situation.code()));
        }
        if !words.is_empty() {
            let mut all_words = Condition::all();
            if let Some(ids) = indexed {
                all_words = all_words.add(ticket::Column::Id.is_in(ids));
            }
            // Only the longest word is an indexable LIKE. PostgreSQL estimates each LIKE
            // on its own and multiplies: two common words looked rare together and sent
            // it through the trigram index (27 ms) where the customer's rows take 4 ms.
            // The other words are checked on the rows found, with a function no index
            // serves (`strpos` / `instr`: the key and the words are both lower-case).
            let longest = words
                .iter()
                .enumerate()
                .max_by_key(|(_, word)| word.chars().count())
                .map(|(i, _)| i);
            let position = match backend {
                DbBackend::Postgres => "strpos",
                _ => "instr",
            };
            for (i, word) in words.iter().enumerate() {
                all_words = all_words.add(if Some(i) == longest {
                    ticket::Column::SearchKey.contains(word.as_str())
                } else {
                    Expr::expr(
                        Func::cust(position)
                            .arg(Expr::col((ticket::Entity, ticket::Column::SearchKey)))
                            .arg(word.clone()),
                    )
                    .gt(0)
                });
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

    /// One page of the customer's tickets. Every sort ends with the number in the same
    /// direction, so the order is total and paging is stable.
    pub async fn list(
        state: &AppState,
        customer: i32,
        filter: TicketFilter,
    ) -> Result<TicketPage, AppError> {
        let filter = filter.normalized();
        let words = words(&filter.query);
        let indexed = indexed_matches(&state.db, &words).await?;
        let backend = state.db.get_database_backend();
        let query =
            ticket::Entity::find().filter(condition(backend, customer, &filter, &words, indexed));
        let total = query.clone().count(&state.db).await?;
        let order = if filter.ascending {
            Order::Asc
        } else {
            Order::Desc
        };
        let query = match filter.sort {
            SortBy::Created => query.order_by(ticket::Column::CreatedAt, order.clone()),
            SortBy::Number => query,
            // Tickets without a deadline ("A combinar") come last either way.
            SortBy::Deadline => query
                .order_by(Expr::col(ticket::Column::Deadline).is_null(), Order::Asc)
                .order_by(ticket::Column::Deadline, order.clone()),
            SortBy::Priority => query.order_by(ticket::Column::Priority, order.clone()),
            SortBy::Situation => query.order_by(ticket::Column::Situation, order.clone()),
        };
        let tickets = query
            .order_by(ticket::Column::Number, order)
            .limit(PAGE_SIZE)
            .offset((filter.page - 1) * PAGE_SIZE)
            .all(&state.db)
            .await?;
        let rows = rows(state, tickets).await?;
        Ok(TicketPage {
            total,
            filter,
            rows,
        })
    }

    /// Rows for these tickets: one query per related table for all of them, never one
    /// per ticket.
    async fn rows(
        state: &AppState,
        tickets: Vec<ticket::Model>,
    ) -> Result<Vec<TicketRow>, AppError> {
        let names = |pairs: Vec<(i32, String)>| pairs.into_iter().collect::<HashMap<_, _>>();
        let services = names(
            service::Entity::find()
                .select_only()
                .column(service::Column::Id)
                .column(service::Column::Name)
                .filter(service::Column::Id.is_in(tickets.iter().map(|t| t.service_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let activities = names(
            activity::Entity::find()
                .select_only()
                .column(activity::Column::Id)
                .column(activity::Column::Name)
                .filter(activity::Column::Id.is_in(tickets.iter().map(|t| t.activity_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let groups = names(
            support_group::Entity::find()
                .select_only()
                .column(support_group::Column::Id)
                .column(support_group::Column::Name)
                .filter(support_group::Column::Id.is_in(tickets.iter().map(|t| t.group_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let with_files: std::collections::HashSet<i64> = attachment::Entity::find()
            .select_only()
            .column(attachment::Column::TicketId)
            .filter(attachment::Column::TicketId.is_in(tickets.iter().map(|t| t.id)))
            .distinct()
            .into_tuple::<Option<i64>>()
            .all(&state.db)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let now = state.clock.now();
        Ok(tickets
            .into_iter()
            .map(|t| TicketRow {
                number: t.number,
                ticket_type: t.ticket_type,
                service: services.get(&t.service_id).cloned().unwrap_or_default(),
                request: activities.get(&t.activity_id).cloned().unwrap_or_default(),
                created_at: local(state, t.created_at),
                task: t.task,
                group: groups.get(&t.group_id).cloned().unwrap_or_default(),
                situation: t.situation,
                sla_hours: t.sla_hours,
                deadline: t.deadline.map(|d| local(state, d)),
                sla_status: sla_status(t.created_at, t.deadline, t.closed_at, now).to_owned(),
                priority: t.priority,
                has_attachments: with_files.contains(&t.id),
            })
            .collect())
    }

    /// The customer's ticket with this number, or "not found" (also when it is someone
    /// else's).
    pub async fn own(
        db: &impl ConnectionTrait,
        customer: i32,
        number: i64,
    ) -> Result<ticket::Model, AppError> {
        ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .filter(ticket::Column::CustomerId.eq(customer))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)
    }

    fn is_open(t: &ticket::Model) -> bool {
        matches!(
            Situation::from_code(&t.situation),
            Some(Situation::Open | Situation::Suspended)
        )
    }

    /// When the survey and reopening windows of a closed ticket end.
    fn windows(
        state: &AppState,
        t: &ticket::Model,
    ) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
        match (t.situation.as_str(), t.closed_at) {
            ("fechada", Some(closed)) => (
                Some(closed + state.tickets.rating_window),
                Some(closed + state.tickets.reopen_window),
            ),
            _ => (None, None),
        }
    }

    pub async fn detail(
        state: &AppState,
        me: &SessionUser,
        number: i64,
    ) -> Result<TicketDetail, AppError> {
        let t = own(&state.db, me.id, number).await?;
        let files = attachment::Entity::find()
            .filter(attachment::Column::TicketId.eq(t.id))
            .order_by_asc(attachment::Column::Id)
            .all(&state.db)
            .await?;
        let events = ticket_event::Entity::find()
            .filter(ticket_event::Column::TicketId.eq(t.id))
            .order_by_asc(ticket_event::Column::At)
            .order_by_asc(ticket_event::Column::Id)
            .all(&state.db)
            .await?;
        let people: HashMap<i32, String> = user_account::Entity::find()
            .select_only()
            .column(user_account::Column::Id)
            .column(user_account::Column::Name)
            .filter(user_account::Column::Id.is_in(events.iter().filter_map(|e| e.actor_id)))
            .into_tuple::<(i32, String)>()
            .all(&state.db)
            .await?
            .into_iter()
            .collect();
        let now = state.clock.now();
        let (rating_until, reopen_until) = windows(state, &t);
        let fields: Vec<FieldValue> = serde_json::from_str(&t.fields).unwrap_or_default();
        let profile = serde_json::from_str::<RequestProfile>(&t.profile)
            .map(|p| p.as_input())
            .unwrap_or_default();
        let t_clone = t.clone();
        let row = rows(state, vec![t_clone])
            .await?
            .pop()
            .ok_or(AppError::Internal)?;
        Ok(TicketDetail {
            row,
            title: t.title,
            description: t.description,
            fields,
            profile,
            attachments: files
                .into_iter()
                .map(|f| AttachmentRow {
                    id: f.id,
                    name: f.name,
                    size: u64::try_from(f.size).unwrap_or(0),
                    created_at: local(state, f.created_at),
                })
                .collect(),
            history: events
                .into_iter()
                .map(|e| HistoryRow {
                    at: local(state, e.at),
                    who: e
                        .actor_id
                        .and_then(|id| people.get(&id).cloned())
                        .unwrap_or_default(),
                    kind: e.kind,
                    detail: e.detail,
                })
                .collect(),
            solution: t.solution,
            closed_at: t.closed_at.map(|c| local(state, c)),
            opinion: t.opinion_kind.zip(t.opinion_text),
            rating: t.rating.map(|r| (r, t.rating_comment.unwrap_or_default())),
            rating_until: rating_until
                .filter(|until| now <= *until && t.rating.is_none())
                .map(|u| local(state, u)),
            reopen_until: reopen_until
                .filter(|until| now <= *until)
                .map(|u| local(state, u)),
            limits: state.attachments.limits,
        })
    }

    async fn event(
        db: &impl ConnectionTrait,
        ticket_id: i64,
        at: DateTime<Utc>,
        actor: Option<i32>,
        kind: &str,
        detail: String,
    ) -> Result<(), AppError> {
        ticket_event::ActiveModel {
            ticket_id: Set(ticket_id),
            at: Set(at),
            actor_id: Set(actor),
            kind: Set(kind.to_owned()),
            detail: Set(detail),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(())
    }

    /// Touches the ticket inside `txn` only if it is still in one of `situations`; the
    /// row lock (PostgreSQL) or the write lock (SQLite) it takes orders concurrent
    /// actions on one ticket, so a state checked before the transaction is checked again
    /// where it counts. False when the ticket moved on meanwhile.
    async fn still_in(
        txn: &impl ConnectionTrait,
        ticket_id: i64,
        situations: &[Situation],
        now: DateTime<Utc>,
    ) -> Result<bool, AppError> {
        let updated = ticket::Entity::update_many()
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(ticket_id))
            .filter(ticket::Column::Situation.is_in(situations.iter().map(|s| s.code())))
            .exec(txn)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    const OPEN: [Situation; 2] = [Situation::Open, Situation::Suspended];

    /// "Anotação": a note on an open ticket, into its history.
    pub async fn add_note(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        text: &str,
    ) -> Result<(), AppError> {
        let text = rules::free_text(text, false).map_err(|p| refuse(Field::Note, p))?;
        let t = own(&state.db, me.id, number).await?;
        if !is_open(&t) {
            return Err(refuse(Field::Note, Problem::TicketClosed));
        }
        let now = state.clock.now();
        let txn = state.db.begin().await?;
        if !still_in(&txn, t.id, &OPEN, now).await? {
            return Err(refuse(Field::Note, Problem::TicketClosed));
        }
        event(&txn, t.id, now, Some(me.id), "note", text).await?;
        txn.commit().await?;
        Ok(())
    }

    /// "Anexos": more files on an open ticket, from the caller's staged uploads.
    pub async fn attach(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        ids: Vec<i64>,
    ) -> Result<(), AppError> {
        let t = own(&state.db, me.id, number).await?;
        if !is_open(&t) {
            return Err(refuse(Field::Attachments, Problem::TicketClosed));
        }
        let mut ids = ids;
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(refuse(Field::Attachments, Problem::Required));
        }
        let now = state.clock.now();
        let txn = state.db.begin().await?;
        // The state and the count are read after the ticket is locked: two attachments
        // at once cannot both pass the limit, nor land on a ticket closed meanwhile.
        if !still_in(&txn, t.id, &OPEN, now).await? {
            return Err(refuse(Field::Attachments, Problem::TicketClosed));
        }
        let already = attachment::Entity::find()
            .filter(attachment::Column::TicketId.eq(t.id))
            .count(&txn)
            .await?;
        if already + ids.len() as u64 > u64::from(state.attachments.limits.max_files) {
            return Err(refuse(Field::Attachments, Problem::TooManyFiles));
        }
        let ids: Vec<AttachmentId> = ids.into_iter().map(AttachmentId).collect();
        crate::server::tickets::create::attach_staged(
            &txn,
            me.user_id(),
            TicketId(t.id),
            &ids,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// "Opinião": praise or complaint on a closed ticket (the latest one counts; each is
    /// in the history).
    pub async fn opinion(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        kind: &str,
        text: &str,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        let kind = errors.check(Field::OpinionKind, rules::opinion_kind(kind));
        let text = errors.check(Field::Opinion, rules::free_text(text, false));
        let (Some(kind), Some(text)) = (kind, text) else {
            return Err(errors.into());
        };
        let t = own(&state.db, me.id, number).await?;
        if t.situation != Situation::Closed.code() {
            return Err(refuse(Field::Opinion, Problem::TicketNotClosed));
        }
        let now = state.clock.now();
        let txn = state.db.begin().await?;
        let updated = ticket::Entity::update_many()
            .col_expr(ticket::Column::OpinionKind, Expr::value(kind))
            .col_expr(ticket::Column::OpinionText, Expr::value(text.clone()))
            .col_expr(ticket::Column::OpinionAt, Expr::value(now))
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(t.id))
            .filter(ticket::Column::Situation.eq(Situation::Closed.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(refuse(Field::Opinion, Problem::TicketNotClosed));
        }
        event(
            &txn,
            t.id,
            now,
            Some(me.id),
            "opinion",
            format!("{kind}: {text}"),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// "Pesquisa de satisfação": once per closure, within the window.
    pub async fn rate(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        score: i16,
        comment: &str,
    ) -> Result<(), AppError> {
        let mut errors = FieldErrors::new();
        let score = errors.check(Field::Rating, rules::rating(score));
        let comment = errors.check(Field::RatingComment, rules::free_text(comment, true));
        let (Some(score), Some(comment)) = (score, comment) else {
            return Err(errors.into());
        };
        let t = own(&state.db, me.id, number).await?;
        let now = state.clock.now();
        match windows(state, &t) {
            (None, _) => return Err(refuse(Field::Rating, Problem::TicketNotClosed)),
            (Some(until), _) if now > until => {
                return Err(refuse(Field::Rating, Problem::WindowExpired));
            }
            _ => {}
        }
        let txn = state.db.begin().await?;
        // Only a ticket not rated yet: two answers at once cannot both count.
        let updated = ticket::Entity::update_many()
            .col_expr(ticket::Column::Rating, Expr::value(score))
            .col_expr(ticket::Column::RatingComment, Expr::value(comment.clone()))
            .col_expr(ticket::Column::RatedAt, Expr::value(now))
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(t.id))
            .filter(ticket::Column::Rating.is_null())
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(refuse(Field::Rating, Problem::AlreadyRated));
        }
        let detail = if comment.is_empty() {
            score.to_string()
        } else {
            format!("{score}: {comment}")
        };
        event(&txn, t.id, now, Some(me.id), "rated", detail).await?;
        txn.commit().await?;
        Ok(())
    }

    /// "Reabrir": within the window, with a reason. The ticket goes back to "Em
    /// Andamento" with the task and group it had; the SLA resumes with the business time
    /// that was left when it closed.
    pub async fn reopen(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        let reason = rules::free_text(reason, false).map_err(|p| refuse(Field::Reason, p))?;
        let t = own(&state.db, me.id, number).await?;
        let now = state.clock.now();
        let closed = match (windows(state, &t), t.closed_at) {
            ((_, Some(until)), Some(closed)) if now <= until => closed,
            ((_, Some(_)), _) => return Err(refuse(Field::Reason, Problem::WindowExpired)),
            _ => return Err(refuse(Field::Reason, Problem::TicketNotClosed)),
        };
        let deadline = t.deadline.map(|deadline| {
            let left = sla::between(closed, deadline, state.time_zone);
            sla::add(now, left, state.time_zone).unwrap_or(now)
        });
        let txn = state.db.begin().await?;
        let updated = ticket::Entity::update_many()
            .col_expr(
                ticket::Column::Situation,
                Expr::value(Situation::Open.code()),
            )
            .col_expr(
                ticket::Column::ClosedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(ticket::Column::Deadline, Expr::value(deadline))
            .col_expr(ticket::Column::Rating, Expr::value(Option::<i16>::None))
            .col_expr(
                ticket::Column::RatingComment,
                Expr::value(Option::<String>::None),
            )
            .col_expr(
                ticket::Column::RatedAt,
                Expr::value(Option::<DateTime<Utc>>::None),
            )
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(t.id))
            .filter(ticket::Column::Situation.eq(Situation::Closed.code()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(refuse(Field::Reason, Problem::TicketNotClosed));
        }
        event(&txn, t.id, now, Some(me.id), "reopened", reason).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Closes an open ticket with a solution (admin server function and the CLI, until
    /// the staff desk exists).
    pub async fn close(
        db: &DatabaseConnection,
        now: DateTime<Utc>,
        number: i64,
        solution: &str,
        actor: Option<i32>,
    ) -> Result<(), AppError> {
        let solution = rules::free_text(solution, false).map_err(|p| refuse(Field::Solution, p))?;
        let t = ticket::Entity::find()
            .filter(ticket::Column::Number.eq(number))
            .one(db)
            .await?
            .ok_or(AppError::NotFound)?;
        if !is_open(&t) {
            return Err(refuse(Field::Solution, Problem::TicketClosed));
        }
        let txn = db.begin().await?;
        // Closed by whoever changes the row: of two closings at once, one is recorded.
        let updated = ticket::Entity::update_many()
            .col_expr(
                ticket::Column::Situation,
                Expr::value(Situation::Closed.code()),
            )
            .col_expr(ticket::Column::ClosedAt, Expr::value(now))
            .col_expr(ticket::Column::Solution, Expr::value(solution.clone()))
            .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
            .filter(ticket::Column::Id.eq(t.id))
            .filter(ticket::Column::Situation.is_in(OPEN.iter().map(|s| s.code())))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(refuse(Field::Solution, Problem::TicketClosed));
        }
        event(&txn, t.id, now, actor, "closed", solution).await?;
        txn.commit().await?;
        Ok(())
    }

    #[cfg(test)]
    mod tests {
        use chrono::{Duration, TimeZone, Utc};

        #[test]
        fn sla_status_thresholds() {
            let created = Utc
                .with_ymd_and_hms(2026, 1, 5, 12, 0, 0)
                .single()
                .unwrap_or_default();
            let deadline = Some(created + Duration::hours(8));
            let status = |d, closed, now| super::sla_status(created, d, closed, now);
            assert_eq!(status(None, None, created + Duration::days(30)), "normal");
            assert_eq!(
                status(deadline, None, created + Duration::hours(5)),
                "normal"
            );
            assert_eq!(
                status(deadline, None, created + Duration::hours(6)),
                "em_risco"
            );
            assert_eq!(
                status(deadline, None, created + Duration::hours(9)),
                "atrasado"
            );
            let closed_in_time = Some(created + Duration::hours(7));
            assert_eq!(
                status(deadline, closed_in_time, created + Duration::days(9)),
                "cumprido"
            );
            let closed_late = Some(created + Duration::hours(10));
            assert_eq!(
                status(deadline, closed_late, created + Duration::days(9)),
                "atrasado"
            );
        }
    }
}

/// The signed-in customer's tickets, filtered, searched, sorted and paged.
#[server(endpoint = "my-tickets", input = Json)]
pub async fn my_tickets(filter: TicketFilter) -> Result<TicketPage, AppError> {
    crate::server::guard::as_customer(
        |state, me| async move { ssr::list(&state, me.id, filter).await },
    )
    .await
}

/// One of the customer's tickets, with its attachments and history.
#[server(endpoint = "ticket", input = Json)]
pub async fn load_ticket(number: i64) -> Result<TicketDetail, AppError> {
    crate::server::guard::as_customer(
        |state, me| async move { ssr::detail(&state, &me, number).await },
    )
    .await
}

/// "Anotação".
#[server(endpoint = "ticket-note", input = Json)]
pub async fn add_note(number: i64, text: String) -> Result<(), AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::add_note(&state, &me, number, &text).await
    })
    .await
}

/// "Anexos": attaches the caller's uploaded files to an open ticket.
#[server(endpoint = "ticket-attach", input = Json)]
pub async fn attach_files(number: i64, attachments: Vec<i64>) -> Result<(), AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::attach(&state, &me, number, attachments).await
    })
    .await
}

/// "Opinião": elogio or queixa.
#[server(endpoint = "ticket-opinion", input = Json)]
pub async fn give_opinion(number: i64, kind: String, text: String) -> Result<(), AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::opinion(&state, &me, number, &kind, &text).await
    })
    .await
}

/// "Pesquisa de satisfação".
#[server(endpoint = "ticket-rate", input = Json)]
pub async fn rate_ticket(number: i64, score: i16, comment: String) -> Result<(), AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::rate(&state, &me, number, score, &comment).await
    })
    .await
}

/// "Reabrir".
#[server(endpoint = "ticket-reopen", input = Json)]
pub async fn reopen_ticket(number: i64, reason: String) -> Result<(), AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::reopen(&state, &me, number, &reason).await
    })
    .await
}

/// Closes a ticket with its solution: administrators only, until the staff desk exists.
#[server(endpoint = "ticket-close", input = Json)]
pub async fn close_ticket(number: i64, solution: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, me| async move {
        ssr::close(&state.db, state.clock.now(), number, &solution, Some(me.id)).await
    })
    .await
}
