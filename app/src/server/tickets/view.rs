//! What the pages show of tickets: list rows, a ticket's detail and its history, with
//! dates in the instance's time zone and the SLA status as of now.
//!
//! `TicketDetail` is what a customer may see. Its history comes from `public_history`
//! only, which reads nothing but entries whose kind is `Visibility::Public`: an internal
//! note cannot reach it by a filter forgotten somewhere else.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{activity, attachment, service, support_group, ticket, ticket_event, user_account};
use sea_orm::sea_query::{Expr, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, Select, SelectModel, Selector,
};

use super::query::{self, Scope};
use super::{situation_of, windows};
use crate::domain::ids::{AttachmentId, TicketId, TicketNumber};
use crate::domain::request::{FieldValue, RequestProfile, RequestProfileInput};
use crate::domain::tickets::{
    AttachmentRow, EventKind, HistoryRow, SlaStatus, TicketDetail, TicketFilter, TicketPage,
    TicketRow, Visibility,
};
use crate::error::AppError;
use crate::state::AppState;

/// dd/mm/aaaa hh:mm in the instance's time zone.
pub fn local(state: &AppState, at: DateTime<Utc>) -> String {
    day_and_time(at.with_timezone(&state.time_zone()))
}

/// dd/mm/aaaa hh:mm of `at`, written out rather than through chrono's `format`, which
/// parses its pattern at every call (twice a row on every list).
fn day_and_time(at: DateTime<chrono_tz::Tz>) -> String {
    use chrono::{Datelike, Timelike};
    format!(
        "{:02}/{:02}/{:04} {:02}:{:02}",
        at.day(),
        at.month(),
        at.year(),
        at.hour(),
        at.minute()
    )
}

/// When a ticket opened at `created` with this deadline becomes "em risco": once three
/// quarters of the time are used (in whole seconds, rounded up). Stored with the
/// deadline (`ticket.risk_at`) so that the queue filters by it.
pub fn risk_at(created: DateTime<Utc>, deadline: DateTime<Utc>) -> DateTime<Utc> {
    let span = (deadline - created).num_seconds().max(0);
    // Rounded up: 3/4 of the span, at least.
    created + chrono::Duration::seconds((span * 3 + 3) / 4)
}

/// The one rule of "Status do SLA", for every list, page, queue and export: normal, "em
/// risco" from `risk` (75 % of the target used, see `schedule`), "atrasado" past the
/// deadline; a suspended ticket keeps the status it had when paused (its clock stands
/// still); once closed, "cumprido" or "violado", frozen at closing. The queue's SLA
/// filter is the same rule in SQL (`super::desk::sla_condition`).
pub fn sla_status(
    created: DateTime<Utc>,
    deadline: Option<DateTime<Utc>>,
    risk: Option<DateTime<Utc>>,
    closed: Option<DateTime<Utc>>,
    paused: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> SlaStatus {
    let at = closed.or(paused).unwrap_or(now);
    match deadline {
        None if closed.is_some() => SlaStatus::Met,
        None => SlaStatus::Normal,
        Some(deadline) if closed.is_some() && at > deadline => SlaStatus::Violated,
        Some(_) if closed.is_some() => SlaStatus::Met,
        Some(deadline) if at > deadline => SlaStatus::Late,
        Some(deadline) if at >= risk.unwrap_or_else(|| risk_at(created, deadline)) => {
            SlaStatus::AtRisk
        }
        Some(_) => SlaStatus::Normal,
    }
}

/// One page of the tickets in `scope`, as list rows: one statement reads the page's
/// rows with their catalog names (see `Listed`), one more counts them.
pub async fn list(
    state: &AppState,
    scope: &Scope,
    filter: TicketFilter,
) -> Result<TicketPage, AppError> {
    let found = query::page_as(&state.db, scope, filter, listed).await?;
    let now = state.clock.now();
    Ok(TicketPage {
        total: found.total,
        filter: found.filter,
        rows: found
            .tickets
            .into_iter()
            .map(|t| t.row(state, now))
            .collect::<Result<_, _>>()?,
    })
}

/// What a list row shows of a ticket, and no more: read with the names of its service,
/// activity and group and whether it has files, in the statement that finds it (the
/// whole row holds some forty columns, the description and both search keys among
/// them).
#[derive(Debug, FromQueryResult)]
pub struct Listed {
    id: i64,
    number: i64,
    situation: String,
    ticket_type: String,
    service: Option<String>,
    request: Option<String>,
    created_at: DateTime<Utc>,
    task: String,
    group: Option<String>,
    sla_hours: Option<i32>,
    deadline: Option<DateTime<Utc>>,
    risk_at: Option<DateTime<Utc>>,
    closed_at: Option<DateTime<Utc>>,
    paused_at: Option<DateTime<Utc>>,
    priority: i16,
    has_attachments: bool,
}

/// `query` reading `Listed` rows.
pub fn listed(query: Select<ticket::Entity>) -> Selector<SelectModel<Listed>> {
    use sea_orm::sea_query::ExprTrait;
    use ticket::Column as T;
    /// The `name` of the row of `table` whose `id` is the ticket's `key`.
    fn name_of<E: EntityTrait>(table: E, name: E::Column, id: E::Column, key: T) -> SimpleExpr {
        let name = Query::select()
            .column(name)
            .from(table)
            .and_where(Expr::col((table, id)).equals((ticket::Entity, key)))
            .to_owned();
        SimpleExpr::SubQuery(None, Box::new(name.into()))
    }
    let files = Query::select()
        .expr(Expr::val(1))
        .from(attachment::Entity)
        .and_where(
            Expr::col((attachment::Entity, attachment::Column::TicketId))
                .equals((ticket::Entity, T::Id)),
        )
        .to_owned();
    query
        .select_only()
        .columns([
            T::Id,
            T::Number,
            T::Situation,
            T::TicketType,
            T::CreatedAt,
            T::Task,
            T::SlaHours,
            T::Deadline,
            T::RiskAt,
            T::ClosedAt,
            T::PausedAt,
            T::Priority,
        ])
        .expr_as(
            name_of(
                service::Entity,
                service::Column::Name,
                service::Column::Id,
                T::ServiceId,
            ),
            "service",
        )
        .expr_as(
            name_of(
                activity::Entity,
                activity::Column::Name,
                activity::Column::Id,
                T::ActivityId,
            ),
            "request",
        )
        .expr_as(
            name_of(
                support_group::Entity,
                support_group::Column::Name,
                support_group::Column::Id,
                T::GroupId,
            ),
            "group",
        )
        .expr_as(Expr::exists(files), "has_attachments")
        .into_model()
}

impl Listed {
    /// The row as the lists show it, its SLA status as of `now`.
    fn row(self, state: &AppState, now: DateTime<Utc>) -> Result<TicketRow, AppError> {
        Ok(TicketRow {
            number: TicketNumber(self.number),
            situation: situation_of(self.id, &self.situation)?,
            ticket_type: self.ticket_type,
            service: self.service.unwrap_or_default(),
            request: self.request.unwrap_or_default(),
            created_at: local(state, self.created_at),
            task: self.task,
            group: self.group.unwrap_or_default(),
            sla_hours: self.sla_hours,
            deadline: self.deadline.map(|d| local(state, d)),
            sla_status: sla_status(
                self.created_at,
                self.deadline,
                self.risk_at,
                self.closed_at,
                self.paused_at,
                now,
            ),
            priority: self.priority,
            has_attachments: self.has_attachments,
        })
    }
}

/// The names of the services, activities and groups of some tickets, by id: one query
/// per table for all of them, never one per ticket. Every list of tickets shows them.
pub struct Names {
    pub services: HashMap<i32, String>,
    pub activities: HashMap<i32, String>,
    pub groups: HashMap<i32, String>,
}

impl Names {
    pub async fn of(
        db: &impl ConnectionTrait,
        tickets: &[ticket::Model],
    ) -> Result<Names, AppError> {
        let pairs = |list: Vec<(i32, String)>| list.into_iter().collect::<HashMap<_, _>>();
        Ok(Names {
            services: pairs(
                service::Entity::find()
                    .select_only()
                    .column(service::Column::Id)
                    .column(service::Column::Name)
                    .filter(service::Column::Id.is_in(tickets.iter().map(|t| t.service_id)))
                    .into_tuple()
                    .all(db)
                    .await?,
            ),
            activities: pairs(
                activity::Entity::find()
                    .select_only()
                    .column(activity::Column::Id)
                    .column(activity::Column::Name)
                    .filter(activity::Column::Id.is_in(tickets.iter().map(|t| t.activity_id)))
                    .into_tuple()
                    .all(db)
                    .await?,
            ),
            groups: pairs(
                support_group::Entity::find()
                    .select_only()
                    .column(support_group::Column::Id)
                    .column(support_group::Column::Name)
                    .filter(support_group::Column::Id.is_in(tickets.iter().map(|t| t.group_id)))
                    .into_tuple()
                    .all(db)
                    .await?,
            ),
        })
    }
}

/// The ticket with this number in `scope`, as its page shows it to the customer:
/// description, attachments, public history, solution, opinion, survey and the windows
/// still open.
pub async fn detail(
    state: &AppState,
    scope: &Scope,
    number: TicketNumber,
) -> Result<TicketDetail, AppError> {
    let t = query::one(&state.db, scope, number).await?;
    let attachments = attachments(state, TicketId(t.id)).await?;
    let history = public_history(state, TicketId(t.id)).await?;
    let now = state.clock.now();
    let (rating_until, reopen_until) = windows(state, &t);
    let (fields, profile) = as_sent(&t);
    let row = listed(ticket::Entity::find().filter(ticket::Column::Id.eq(t.id)))
        .one(&state.db)
        .await?
        .ok_or(AppError::Internal)?
        .row(state, now)?;
    Ok(TicketDetail {
        row,
        title: t.title,
        description: t.description,
        fields,
        profile,
        attachments,
        history,
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
        limits: state.attachments.limits(),
    })
}

/// A ticket's files ("Anexos"), in the order they came.
pub async fn attachments(
    state: &AppState,
    ticket: TicketId,
) -> Result<Vec<AttachmentRow>, AppError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket.get()))
        .order_by_asc(attachment::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|f| AttachmentRow {
            id: AttachmentId(f.id),
            name: f.name,
            size: u64::try_from(f.size).unwrap_or(0),
            created_at: local(state, f.created_at),
        })
        .collect())
}

/// What the customer sent with the request: the activity's fields and the profile as it
/// was at opening (empty when a stored value cannot be read).
pub fn as_sent(t: &ticket::Model) -> (Vec<FieldValue>, RequestProfileInput) {
    let fields: Vec<FieldValue> = serde_json::from_str(&t.fields).unwrap_or_default();
    let profile = serde_json::from_str::<RequestProfile>(&t.profile)
        .map(|p| p.as_input())
        .unwrap_or_default();
    (fields, profile)
}

/// A ticket's history as its customer may read it, oldest first: only entries whose
/// kind is public. The database is asked for public kinds only, and each entry's kind is
/// checked again on the way out (an unknown kind is left out, never guessed).
pub async fn public_history(
    state: &AppState,
    ticket: TicketId,
) -> Result<Vec<HistoryRow>, AppError> {
    let events = history_of(&state.db, ticket, Visibility::Public).await?;
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
    Ok(events
        .into_iter()
        .filter_map(|e| {
            let kind = EventKind::from_code(&e.kind)
                .filter(|kind| kind.visibility() == Visibility::Public)?;
            Some(HistoryRow {
                at: local(state, e.at),
                who: e
                    .actor_id
                    .and_then(|id| people.get(&id).cloned())
                    .unwrap_or_default(),
                kind,
                detail: e.detail,
            })
        })
        .collect())
}

/// The entries of a ticket's history whose kind has this visibility, oldest first.
async fn history_of(
    db: &impl ConnectionTrait,
    ticket: TicketId,
    visibility: Visibility,
) -> Result<Vec<ticket_event::Model>, AppError> {
    Ok(ticket_event::Entity::find()
        .filter(ticket_event::Column::TicketId.eq(ticket.get()))
        .filter(
            ticket_event::Column::Kind
                .is_in(EventKind::with_visibility(visibility).map(EventKind::code)),
        )
        .order_by_asc(ticket_event::Column::At)
        .order_by_asc(ticket_event::Column::Id)
        .all(db)
        .await?)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};

    use crate::domain::tickets::SlaStatus;

    #[test]
    fn dates_read_as_chrono_formats_them() {
        let zone = chrono_tz::America::Sao_Paulo;
        for (y, mo, d, h, mi) in [
            (2026, 1, 5, 12, 0),
            (2026, 12, 31, 23, 59),
            (2027, 1, 1, 0, 7),
            (987, 3, 4, 5, 6),
        ] {
            let at = Utc
                .with_ymd_and_hms(y, mo, d, h, mi, 30)
                .single()
                .unwrap_or_default()
                .with_timezone(&zone);
            assert_eq!(
                super::day_and_time(at),
                at.format("%d/%m/%Y %H:%M").to_string()
            );
        }
    }

    #[test]
    fn sla_status_thresholds() {
        let created = Utc
            .with_ymd_and_hms(2026, 1, 5, 12, 0, 0)
            .single()
            .unwrap_or_default();
        let deadline = Some(created + Duration::hours(8));
        let status = |d, closed, now| super::sla_status(created, d, None, closed, None, now);
        assert_eq!(
            status(None, None, created + Duration::days(30)),
            SlaStatus::Normal
        );
        assert_eq!(
            status(deadline, None, created + Duration::hours(5)),
            SlaStatus::Normal
        );
        assert_eq!(
            status(deadline, None, created + Duration::hours(6)),
            SlaStatus::AtRisk
        );
        assert_eq!(
            status(deadline, None, created + Duration::hours(9)),
            SlaStatus::Late
        );
        let closed_in_time = Some(created + Duration::hours(7));
        assert_eq!(
            status(deadline, closed_in_time, created + Duration::days(9)),
            SlaStatus::Met
        );
        let closed_late = Some(created + Duration::hours(10));
        assert_eq!(
            status(deadline, closed_late, created + Duration::days(9)),
            SlaStatus::Violated
        );
        // Suspended at hour 5: still normal days later (the clock stands still).
        let paused = Some(created + Duration::hours(5));
        assert_eq!(
            super::sla_status(
                created,
                deadline,
                None,
                None,
                paused,
                created + Duration::days(9)
            ),
            SlaStatus::Normal
        );
    }
}
