//! "Meus Tickets": the signed-in customer's tickets (filtered, searched, sorted and
//! paged in the database), one ticket's description, attachments and history, and what
//! the customer may do with it: a note and more files while it is open; an opinion, the
//! satisfaction survey and reopening once it is closed. Plus the admin-only close that
//! stands in for the staff desk until it exists.
//!
//! Another customer's ticket is "not found", exactly like a number that does not exist.
//! The work is done in `crate::server::tickets`; these functions say who may call them
//! and in which scope.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::ids::{AttachmentId, TicketNumber};
use crate::domain::tickets::TicketFilter;
pub use crate::domain::tickets::{AttachmentRow, HistoryRow, TicketDetail, TicketPage, TicketRow};
use crate::error::AppError;

/// The functions that lived here before `crate::server::tickets`, at their old paths,
/// for code written against them (the no-JavaScript forms). Those whose signature took
/// bare numbers keep it here and pass typed ids on; remove once nothing uses them.
#[cfg(feature = "ssr")]
pub mod ssr {
    pub use crate::server::tickets::query::{INDEX_PROBE, indexed_matches};
    pub use crate::server::tickets::view::local;

    use crate::domain::ids::{AttachmentId, TicketNumber};
    use crate::error::AppError;
    use crate::server::session::SessionUser;
    use crate::server::tickets::actions;
    use crate::state::AppState;

    /// `crate::server::tickets::actions::add_note` with a bare ticket number.
    pub async fn add_note(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        text: &str,
    ) -> Result<(), AppError> {
        actions::add_note(state, me, TicketNumber(number), text).await
    }

    /// `crate::server::tickets::actions::attach` with bare numbers.
    pub async fn attach(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        ids: Vec<i64>,
    ) -> Result<(), AppError> {
        let ids = ids.into_iter().map(AttachmentId).collect();
        actions::attach(state, me, TicketNumber(number), ids).await
    }

    /// `crate::server::tickets::actions::opinion` with a bare ticket number.
    pub async fn opinion(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        kind: &str,
        text: &str,
    ) -> Result<(), AppError> {
        actions::opinion(state, me, TicketNumber(number), kind, text).await
    }

    /// `crate::server::tickets::actions::rate` with a bare ticket number.
    pub async fn rate(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        score: i16,
        comment: &str,
    ) -> Result<(), AppError> {
        actions::rate(state, me, TicketNumber(number), score, comment).await
    }

    /// `crate::server::tickets::actions::reopen` with a bare ticket number.
    pub async fn reopen(
        state: &AppState,
        me: &SessionUser,
        number: i64,
        reason: &str,
    ) -> Result<(), AppError> {
        actions::reopen(state, me, TicketNumber(number), reason).await
    }
}

/// The signed-in customer's tickets, filtered, searched, sorted and paged.
#[server(endpoint = "my-tickets", input = Json)]
pub async fn my_tickets(filter: TicketFilter) -> Result<TicketPage, AppError> {
    use crate::server::tickets::{query::Scope, view};
    crate::server::guard::as_customer(|state, me| async move {
        view::list(&state, &Scope::Customer(me.user_id()), filter).await
    })
    .await
}

/// One of the customer's tickets, with its attachments and history.
#[server(endpoint = "ticket", input = Json)]
pub async fn load_ticket(number: TicketNumber) -> Result<TicketDetail, AppError> {
    use crate::server::tickets::{query::Scope, view};
    crate::server::guard::as_customer(|state, me| async move {
        view::detail(&state, &Scope::Customer(me.user_id()), number).await
    })
    .await
}

/// "Anotação".
#[server(endpoint = "ticket-note", input = Json)]
pub async fn add_note(number: TicketNumber, text: String) -> Result<(), AppError> {
    use crate::server::tickets::actions;
    crate::server::guard::as_customer(|state, me| async move {
        actions::add_note(&state, &me, number, &text).await
    })
    .await
}

/// "Anexos": attaches the caller's uploaded files to an open ticket.
#[server(endpoint = "ticket-attach", input = Json)]
pub async fn attach_files(
    number: TicketNumber,
    attachments: Vec<AttachmentId>,
) -> Result<(), AppError> {
    use crate::server::tickets::actions;
    crate::server::guard::as_customer(|state, me| async move {
        actions::attach(&state, &me, number, attachments).await
    })
    .await
}

/// "Opinião": elogio or queixa.
#[server(endpoint = "ticket-opinion", input = Json)]
pub async fn give_opinion(
    number: TicketNumber,
    kind: String,
    text: String,
) -> Result<(), AppError> {
    use crate::server::tickets::actions;
    crate::server::guard::as_customer(|state, me| async move {
        actions::opinion(&state, &me, number, &kind, &text).await
    })
    .await
}

/// "Pesquisa de satisfação".
#[server(endpoint = "ticket-rate", input = Json)]
pub async fn rate_ticket(
    number: TicketNumber,
    score: i16,
    comment: String,
) -> Result<(), AppError> {
    use crate::server::tickets::actions;
    crate::server::guard::as_customer(|state, me| async move {
        actions::rate(&state, &me, number, score, &comment).await
    })
    .await
}

/// "Reabrir".
#[server(endpoint = "ticket-reopen", input = Json)]
pub async fn reopen_ticket(number: TicketNumber, reason: String) -> Result<(), AppError> {
    use crate::server::tickets::actions;
    crate::server::guard::as_customer(|state, me| async move {
        actions::reopen(&state, &me, number, &reason).await
    })
    .await
}

/// Closes a ticket with its solution: administrators only, until the staff desk exists.
#[server(endpoint = "ticket-close", input = Json)]
pub async fn close_ticket(number: TicketNumber, solution: String) -> Result<(), AppError> {
    use crate::domain::account::Role;
    use crate::server::tickets::actions;
    crate::server::guard::as_staff(&[Role::Admin], |state, me| async move {
        let now = state.clock.now();
        let notifier = crate::server::notify::Notifier::of(&state);
        actions::close(&state.db, &notifier, now, number, &solution, Some(&me)).await
    })
    .await
}
