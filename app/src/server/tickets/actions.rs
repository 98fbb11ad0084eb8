//! What may be done with a ticket: a note and more files while it is open; an opinion,
//! the satisfaction survey and reopening once it is closed; and closing it (the
//! administrator's server function and the command line, until the staff desk exists).
//!
//! Each action checks the ticket's state before its transaction, for a precise message,
//! and again inside it, on the row it writes: of two actions at once, the second sees
//! what the first did.

use chrono::{DateTime, Utc};
use entity::{attachment, ticket, ticket_event};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, Set,
};

use super::query::{self, Scope};
use super::{OPEN, is_open, windows};
use crate::domain::ids::{AttachmentId, TicketId, TicketNumber, UserId};
use crate::domain::tickets::{self as rules, EventKind, Situation};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::notify::Notifier;
use crate::server::session::SessionUser;
use crate::state::AppState;

fn refuse(field: Field, problem: Problem) -> AppError {
    FieldErrors::single(field, problem).into()
}

/// The caller's own ticket with this number: customers act on the tickets they opened.
async fn own(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
) -> Result<ticket::Model, AppError> {
    query::one(&state.db, &Scope::Customer(me.user_id()), number).await
}

/// Writes one line of a ticket's history.
pub(crate) async fn record(
    db: &impl ConnectionTrait,
    notifier: &Notifier,
    ticket: TicketId,
    at: DateTime<Utc>,
    actor: Option<UserId>,
    kind: EventKind,
    detail: String,
) -> Result<(), AppError> {
    ticket_event::ActiveModel {
        ticket_id: Set(ticket.get()),
        at: Set(at),
        actor_id: Set(actor.map(UserId::get)),
        kind: Set(kind.code().to_owned()),
        detail: Set(detail.clone()),
        ..Default::default()
    }
    .insert(db)
    .await?;
    crate::server::notify::on_event(
        db,
        notifier,
        at,
        ticket.get(),
        kind,
        &detail,
        actor.map(UserId::get),
    )
    .await
}

/// `version = version + 1`: every change of a ticket bumps it, so that a staff action
/// based on what was there before is refused (see `super::staff`).
fn bump() -> (ticket::Column, sea_orm::sea_query::SimpleExpr) {
    (
        ticket::Column::Version,
        Expr::col(ticket::Column::Version).add(1),
    )
}

/// Touches the ticket inside `txn` only if it is still in one of `situations`; the
/// row lock (PostgreSQL) or the write lock (SQLite) it takes orders concurrent
/// actions on one ticket, so a state checked before the transaction is checked again
/// where it counts. False when the ticket moved on meanwhile.
async fn still_in(
    txn: &impl ConnectionTrait,
    ticket: TicketId,
    situations: &[Situation],
    now: DateTime<Utc>,
) -> Result<bool, AppError> {
    let (version, bumped) = bump();
    let updated = ticket::Entity::update_many()
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .col_expr(version, bumped)
        .filter(ticket::Column::Id.eq(ticket.get()))
        .filter(ticket::Column::Situation.is_in(situations.iter().map(|s| s.code())))
        .exec(txn)
        .await?;
    Ok(updated.rows_affected == 1)
}

/// "Anotação": a note on an open ticket, into its history.
pub async fn add_note(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
    text: &str,
) -> Result<(), AppError> {
    let text = rules::free_text(text, false).map_err(|p| refuse(Field::Note, p))?;
    let t = own(state, me, number).await?;
    if !is_open(&t) {
        return Err(refuse(Field::Note, Problem::TicketClosed));
    }
    let ticket = TicketId(t.id);
    let now = state.clock.now();
    let txn = crate::server::begin_write(&state.db).await?;
    if !still_in(&txn, ticket, &OPEN, now).await? {
        return Err(refuse(Field::Note, Problem::TicketClosed));
    }
    record(
        &txn,
        &Notifier::of(state),
        ticket,
        now,
        Some(me.user_id()),
        EventKind::Note,
        text,
    )
    .await?;
    // The customer answered a suspended ticket: it is back in progress, its pause over.
    let plan = super::staff::resumed(&txn, &t, now).await?;
    let mut update = ticket::Entity::update_many()
        .col_expr(
            ticket::Column::Situation,
            Expr::value(Situation::Open.code()),
        )
        .col_expr(
            ticket::Column::StatusReason,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            ticket::Column::PausedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    for (column, value) in plan.columns(t.sla_state, now) {
        update = update.col_expr(column, Expr::value(value));
    }
    let resumed = update
        .filter(ticket::Column::Id.eq(ticket.get()))
        .filter(ticket::Column::Situation.eq(Situation::Suspended.code()))
        .exec(&txn)
        .await?;
    if resumed.rows_affected == 1 {
        super::schedule::end_pause(&txn, ticket.get(), now).await?;
        record(
            &txn,
            &Notifier::of(state),
            ticket,
            now,
            None,
            EventKind::Resumed,
            String::new(),
        )
        .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// "Anexos": more files on an open ticket, from the caller's staged uploads.
pub async fn attach(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
    ids: Vec<AttachmentId>,
) -> Result<(), AppError> {
    let t = own(state, me, number).await?;
    if !is_open(&t) {
        return Err(refuse(Field::Attachments, Problem::TicketClosed));
    }
    let mut ids = ids;
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(refuse(Field::Attachments, Problem::Required));
    }
    let ticket = TicketId(t.id);
    let now = state.clock.now();
    let txn = crate::server::begin_write(&state.db).await?;
    // The state and the count are read after the ticket is locked: two attachments
    // at once cannot both pass the limit, nor land on a ticket closed meanwhile.
    if !still_in(&txn, ticket, &OPEN, now).await? {
        return Err(refuse(Field::Attachments, Problem::TicketClosed));
    }
    let already = attachment::Entity::find()
        .filter(attachment::Column::TicketId.eq(ticket.get()))
        .count(&txn)
        .await?;
    if already + ids.len() as u64 > u64::from(state.attachments.limits().max_files) {
        return Err(refuse(Field::Attachments, Problem::TooManyFiles));
    }
    super::create::attach_staged(&txn, me.user_id(), ticket, &ids, now).await?;
    txn.commit().await?;
    Ok(())
}

/// "Opinião": praise or complaint on a closed ticket (the latest one counts; each is
/// in the history).
pub async fn opinion(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
    kind: &str,
    text: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let kind = errors.check(Field::OpinionKind, rules::opinion_kind(kind));
    let text = errors.check(Field::Opinion, rules::free_text(text, false));
    let (Some(kind), Some(text)) = (kind, text) else {
        return Err(errors.into());
    };
    let t = own(state, me, number).await?;
    if Situation::from_code(&t.situation) != Some(Situation::Closed) {
        return Err(refuse(Field::Opinion, Problem::TicketNotClosed));
    }
    let ticket = TicketId(t.id);
    let now = state.clock.now();
    let txn = crate::server::begin_write(&state.db).await?;
    let updated = ticket::Entity::update_many()
        .col_expr(ticket::Column::OpinionKind, Expr::value(kind))
        .col_expr(ticket::Column::OpinionText, Expr::value(text.clone()))
        .col_expr(ticket::Column::OpinionAt, Expr::value(now))
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .col_expr(bump().0, bump().1)
        .filter(ticket::Column::Id.eq(ticket.get()))
        .filter(ticket::Column::Situation.eq(Situation::Closed.code()))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(refuse(Field::Opinion, Problem::TicketNotClosed));
    }
    record(
        &txn,
        &Notifier::of(state),
        ticket,
        now,
        Some(me.user_id()),
        EventKind::Opinion,
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
    number: TicketNumber,
    score: i16,
    comment: &str,
) -> Result<(), AppError> {
    let mut errors = FieldErrors::new();
    let score = errors.check(Field::Rating, rules::rating(score));
    let comment = errors.check(Field::RatingComment, rules::free_text(comment, true));
    let (Some(score), Some(comment)) = (score, comment) else {
        return Err(errors.into());
    };
    let t = own(state, me, number).await?;
    let now = state.clock.now();
    match windows(state, &t) {
        (None, _) => return Err(refuse(Field::Rating, Problem::TicketNotClosed)),
        (Some(until), _) if now > until => {
            return Err(refuse(Field::Rating, Problem::WindowExpired));
        }
        _ => {}
    }
    let ticket = TicketId(t.id);
    let txn = crate::server::begin_write(&state.db).await?;
    // Only a ticket not rated yet: two answers at once cannot both count.
    let updated = ticket::Entity::update_many()
        .col_expr(ticket::Column::Rating, Expr::value(score))
        .col_expr(ticket::Column::RatingComment, Expr::value(comment.clone()))
        .col_expr(ticket::Column::RatedAt, Expr::value(now))
        .col_expr(ticket::Column::UpdatedAt, Expr::value(now))
        .col_expr(bump().0, bump().1)
        .filter(ticket::Column::Id.eq(ticket.get()))
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
    record(
        &txn,
        &Notifier::of(state),
        ticket,
        now,
        Some(me.user_id()),
        EventKind::Rated,
        detail,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// "Reabrir": within the window, with a reason. The ticket goes back to "Em
/// Andamento" with the task and group it had; the SLA resumes with the business time
/// that was left when it closed.
pub async fn reopen(
    state: &AppState,
    me: &SessionUser,
    number: TicketNumber,
    reason: &str,
) -> Result<(), AppError> {
    let reason = rules::free_text(reason, false).map_err(|p| refuse(Field::Reason, p))?;
    let t = own(state, me, number).await?;
    let now = state.clock.now();
    let closed = match (windows(state, &t), t.closed_at) {
        ((_, Some(until)), Some(closed)) if now <= until => closed,
        ((_, Some(_)), _) => return Err(refuse(Field::Reason, Problem::WindowExpired)),
        _ => return Err(refuse(Field::Reason, Problem::TicketNotClosed)),
    };
    // The time it spent closed is a pause: the clock resumes with the time that was left.
    let Some(activity) = entity::activity::Entity::find_by_id(t.activity_id)
        .one(&state.db)
        .await?
    else {
        return Err(AppError::Internal);
    };
    let plan = super::schedule::of_ticket(
        &state.db,
        Some(t.id),
        &activity,
        super::schedule::Target::of(&t),
        t.created_at,
        Some((closed, Some(now))),
        now,
    )
    .await?;
    let ticket = TicketId(t.id);
    let txn = crate::server::begin_write(&state.db).await?;
    super::schedule::add_pause(&txn, t.id, closed, now).await?;
    let mut update = ticket::Entity::update_many()
        .col_expr(
            ticket::Column::Situation,
            Expr::value(Situation::Open.code()),
        )
        .col_expr(
            ticket::Column::ClosedAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        );
    for (column, value) in plan.columns(t.sla_state, now) {
        update = update.col_expr(column, Expr::value(value));
    }
    let updated = update
        .col_expr(bump().0, bump().1)
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
        .filter(ticket::Column::Id.eq(ticket.get()))
        .filter(ticket::Column::Situation.eq(Situation::Closed.code()))
        .exec(&txn)
        .await?;
    if updated.rows_affected != 1 {
        return Err(refuse(Field::Reason, Problem::TicketNotClosed));
    }
    record(
        &txn,
        &Notifier::of(state),
        ticket,
        now,
        Some(me.user_id()),
        EventKind::Reopened,
        reason,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Closes an open ticket with a solution: the command line (`atende ticket close`) and
/// the administrator's server function. The same code path as the desk's "Resolver"
/// (`super::staff`), on the ticket as it is now; `actor` is who closed it, `None` for the
/// command line.
pub async fn close(
    db: &DatabaseConnection,
    notifier: &Notifier,
    now: DateTime<Utc>,
    number: TicketNumber,
    solution: &str,
    actor: Option<&SessionUser>,
) -> Result<(), AppError> {
    super::staff::resolve_any(db, notifier, now, number, solution, actor).await
}
