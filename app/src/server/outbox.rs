//! The outbox: every notification is a row here, written in the transaction of the change
//! that causes it (a ticket is never changed without its mail, nor mail queued for a
//! change that rolled back). A worker sends the rows through the mail sender:
//!
//! - one row per recipient, each sent on its own: a refused recipient or a failing
//!   message never holds up the others;
//! - a temporary failure (4xx, the server unreachable) is retried with exponential
//!   backoff (`Jobs::mail_retry`, doubled each attempt, at most an hour) up to
//!   `MAX_ATTEMPTS`; a permanent refusal (5xx) is recorded and not retried;
//! - a row is marked sent only after the server accepted the message, and every attempt
//!   carries the same `Message-ID`. After a crash the rows not marked are sent again:
//!   a message accepted in the instant between the server's "250" and the row's update
//!   would go twice, recognisable by its Message-ID; nothing is lost.
//! - one instance sends at a time (the `outbox` lease).

use chrono::{DateTime, Duration, Utc};
use entity::outbox;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::error::AppError;
use crate::state::AppState;

pub const PENDING: &str = "pendente";
pub const SENT: &str = "enviada";
pub const FAILED: &str = "falhou";

/// After this many failed attempts a message is given up (about a day with the default
/// first retry of 30 s and the one-hour cap).
pub const MAX_ATTEMPTS: i32 = 30;
/// Rows read per pass.
const BATCH: u64 = 200;
/// The lease's name and how long a pass may hold it.
const LEASE: &str = "outbox";
const LEASE_TTL: Duration = Duration::seconds(30);

/// One e-mail to one recipient, rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// What it announces (`crate::server::notify::Notice::code`).
    pub kind: &'static str,
    pub ticket_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// A fresh Message-ID's left part; the sender adds `@` and its own domain.
fn message_id() -> String {
    format!("{:032x}.atende", rand::random::<u128>())
}

/// Queues `letters` inside the caller's transaction.
pub async fn enqueue(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    letters: Vec<Letter>,
) -> Result<(), DbErr> {
    enqueue_each(db, letters.into_iter().map(|letter| (now, letter))).await
}

/// Queues letters each written at its own time, in one statement, inside the caller's
/// transaction.
pub async fn enqueue_each(
    db: &impl ConnectionTrait,
    letters: impl IntoIterator<Item = (DateTime<Utc>, Letter)>,
) -> Result<(), DbErr> {
    let rows: Vec<outbox::ActiveModel> = letters
        .into_iter()
        .map(|(now, letter)| outbox::ActiveModel {
            message_id: Set(message_id()),
            kind: Set(letter.kind.to_owned()),
            ticket_id: Set(letter.ticket_id),
            recipient: Set(letter.recipient),
            subject: Set(letter.subject),
            body_text: Set(letter.text),
            body_html: Set(letter.html),
            state: Set(PENDING.to_owned()),
            attempts: Set(0),
            next_attempt_at: Set(now),
            last_error: Set(None),
            created_at: Set(now),
            sent_at: Set(None),
            ..Default::default()
        })
        .collect();
    if rows.is_empty() {
        return Ok(());
    }
    outbox::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// What one pass did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pass {
    pub sent: u64,
    pub retried: u64,
    pub failed: u64,
    /// Another instance holds the lease: nothing was tried.
    pub skipped: bool,
}

/// The delay before attempt `attempts + 1`.
pub fn backoff(first: Duration, attempts: i32) -> Duration {
    let factor = 1i64 << attempts.clamp(0, 20);
    let first = first.max(Duration::seconds(1));
    (first * factor as i32).min(Duration::hours(1))
}

/// Sends what is due, each message on its own, a few at a time.
pub async fn pass(state: &AppState) -> Result<Pass, AppError> {
    let jobs = &state.jobs;
    let _turn = jobs.outbox_turn.lock().await;
    let mut done = Pass::default();
    let mut first = true;
    loop {
        let due = outbox::Entity::find()
            .filter(outbox::Column::State.eq(PENDING))
            .filter(outbox::Column::NextAttemptAt.lte(state.clock.now()))
            .order_by_asc(outbox::Column::Id)
            .limit(BATCH)
            .all(&state.db)
            .await?;
        if due.is_empty() {
            return Ok(done);
        }
        // The lease is taken only when there is something to send (an idle instance
        // does not write every second), and renewed before each batch.
        let now = state.clock.now();
        if !crate::server::leases::acquire(&state.db, LEASE, &jobs.instance, now, LEASE_TTL).await?
        {
            done.skipped = first;
            return Ok(done);
        }
        first = false;
        let mut rows = due.into_iter();
        let mut sending = tokio::task::JoinSet::new();
        // Keeps `mail_concurrency` messages in flight; each row is settled as soon as
        // its answer comes (marking a row sent never waits for its neighbours).
        loop {
            while sending.len() < jobs.mail_concurrency.max(1) {
                let Some(row) = rows.next() else { break };
                let state = state.clone();
                sending.spawn(async move { send_one(&state, row).await });
            }
            match sending.join_next().await {
                Some(Ok(Ok(outcome))) => match outcome {
                    Outcome::Sent => done.sent += 1,
                    Outcome::Retry => done.retried += 1,
                    Outcome::Failed => done.failed += 1,
                },
                Some(Ok(Err(err))) => return Err(err),
                Some(Err(_)) => return Err(AppError::Internal),
                None => break,
            }
        }
    }
}

enum Outcome {
    Sent,
    Retry,
    Failed,
}

async fn send_one(state: &AppState, row: outbox::Model) -> Result<Outcome, AppError> {
    let result = state
        .mailer
        .deliver(
            &row.message_id,
            &row.recipient,
            &row.subject,
            row.body_text.clone(),
            row.body_html.clone(),
        )
        .await;
    let now = state.clock.now();
    let attempts = row.attempts + 1;
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Attempts, Expr::value(attempts))
        .filter(outbox::Column::Id.eq(row.id))
        .filter(outbox::Column::State.eq(PENDING));
    let outcome = match result {
        Ok(()) => {
            update = update
                .col_expr(outbox::Column::State, Expr::value(SENT))
                .col_expr(outbox::Column::SentAt, Expr::value(Some(now)))
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value(Option::<String>::None),
                );
            Outcome::Sent
        }
        Err(err) => {
            let permanent = err.is_permanent();
            tracing::warn!(
                outbox = row.id,
                kind = %row.kind,
                attempts,
                permanent,
                error = %err,
                "mail not sent"
            );
            update = update.col_expr(outbox::Column::LastError, Expr::value(err.to_string()));
            if permanent || attempts >= MAX_ATTEMPTS {
                update = update.col_expr(outbox::Column::State, Expr::value(FAILED));
                Outcome::Failed
            } else {
                update = update.col_expr(
                    outbox::Column::NextAttemptAt,
                    Expr::value(now + backoff(state.jobs.mail_retry, row.attempts)),
                );
                Outcome::Retry
            }
        }
    };
    update.exec(&state.db).await?;
    Ok(outcome)
}

/// Runs `pass` whenever mail is queued on this instance, and every `Jobs::outbox_every`
/// (mail queued by another instance, retries coming due), until the task is dropped.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(state.jobs.outbox_every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            () = state.jobs.outbox_wake.notified() => {}
        }
        match pass(&state).await {
            Ok(done) if done.sent + done.retried + done.failed > 0 => {
                tracing::info!(
                    sent = done.sent,
                    retried = done.retried,
                    failed = done.failed,
                    "outbox"
                )
            }
            Ok(_) => {}
            Err(err) => tracing::warn!(error = ?err, "outbox pass failed; trying again later"),
        }
    }
}

pub use crate::domain::notices::{OutboxRow, OutboxStatus};

pub async fn status(state: &AppState) -> Result<OutboxStatus, AppError> {
    let count = |s: &'static str| {
        outbox::Entity::find()
            .filter(outbox::Column::State.eq(s))
            .count(&state.db)
    };
    let (pending, sent, failed) = (
        count(PENDING).await?,
        count(SENT).await?,
        count(FAILED).await?,
    );
    let rows = outbox::Entity::find()
        .filter(outbox::Column::State.ne(SENT))
        .order_by_desc(outbox::Column::Id)
        .limit(50)
        .all(&state.db)
        .await?;
    let local = |t: DateTime<Utc>| crate::server::tickets::view::local(state, t);
    Ok(OutboxStatus {
        pending,
        sent,
        failed,
        problems: rows
            .into_iter()
            .map(|row| OutboxRow {
                id: row.id,
                kind: row.kind,
                recipient: row.recipient,
                subject: row.subject,
                next_attempt_at: (row.state == PENDING).then(|| local(row.next_attempt_at)),
                state: row.state,
                attempts: row.attempts,
                created_at: local(row.created_at),
                last_error: row.last_error,
            })
            .collect(),
    })
}
