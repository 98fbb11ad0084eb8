//! Tickets on the server: which tickets a caller sees and the list's query (`query`),
//! what the pages show of them (`view`), what may be done with them (`actions`) and how
//! a request becomes one (`create`).
//!
//! The server functions of `crate::api::tickets` and `crate::api::requests`, the
//! command line and the tests all come here; nothing here knows about HTTP. Every lookup
//! takes a `query::Scope` (one customer, some groups, everyone), so the customer's list
//! and a staff queue are one query with another scope, not two copies.

pub mod actions;
pub mod create;
pub mod desk;
pub mod query;
pub mod schedule;
pub mod staff;
pub mod view;

use chrono::{DateTime, Utc};
use entity::ticket;

use crate::domain::tickets::Situation;
use crate::error::AppError;
use crate::state::AppState;

/// The situations a ticket is worked in; only these can be noted, attached to or closed.
pub(crate) const OPEN: [Situation; 2] = [Situation::Open, Situation::Suspended];

/// The ticket's situation. The column only ever holds `Situation` codes (nothing else
/// writes it); anything else is a damaged row, refused as an internal error rather than
/// shown as something it is not.
pub(crate) fn situation(t: &ticket::Model) -> Result<Situation, AppError> {
    situation_of(t.id, &t.situation)
}

/// The situation stored as `code` on the ticket with row id `id` (logged when unknown).
pub(crate) fn situation_of(id: i64, code: &str) -> Result<Situation, AppError> {
    Situation::from_code(code).ok_or_else(|| {
        tracing::error!(ticket = id, situation = %code, "unknown ticket situation");
        AppError::Internal
    })
}

pub(crate) fn is_open(t: &ticket::Model) -> bool {
    Situation::from_code(&t.situation).is_some_and(Situation::is_open)
}

/// When the survey and reopening windows of a closed ticket end: (survey, reopening).
pub(crate) fn windows(
    state: &AppState,
    t: &ticket::Model,
) -> (Option<DateTime<Utc>>, Option<DateTime<Utc>>) {
    match (Situation::from_code(&t.situation), t.closed_at) {
        (Some(Situation::Closed), Some(closed)) => (
            Some(closed + state.tickets().rating_window),
            Some(closed + state.tickets().reopen_window),
        ),
        _ => (None, None),
    }
}
