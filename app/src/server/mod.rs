//! The server side of the application (compiled with `ssr` only): the service catalog
//! (`catalog`) and the tickets (`tickets`: query with its scopes, view, actions,
//! creation), the guards every server function starts with (`guard`), and the building
//! blocks under them: clock, passwords, sessions, throttling, mail, CEP lookup, CAPTCHA,
//! attachments and accounts.
//!
//! The server functions in `crate::api` are thin: a guard, then a call into this layer.
//! The command line, the tests and `AppState` use this layer directly, never `api`.

pub mod accounts;
pub mod attachments;
pub mod audit;
pub mod captcha;
pub mod catalog;
pub mod catalog_admin;
pub mod cep;
pub mod client;
pub mod clock;
pub mod forms;
pub mod group_commit;
pub mod guard;
pub mod leases;
pub mod mail;
pub mod maintenance;
pub mod notify;
pub mod outbox;
pub mod password;
pub mod people;
pub mod session;
pub mod settings;
pub mod sla;
pub mod sla_settings;
pub mod sla_watch;
pub mod throttle;
pub mod tickets;
pub mod tokens;

use sea_orm::{DbErr, SqliteTransactionMode, TransactionOptions, TransactionTrait};

use crate::error::AppError;
use crate::state::AppState;

/// Starts a transaction that will write. On SQLite it takes the write lock at once
/// (`BEGIN IMMEDIATE`), waiting up to the busy timeout for it: a deferred transaction
/// that reads first and writes later fails at once ("database is locked", a 500) when
/// another connection committed in between, instead of waiting its turn. PostgreSQL
/// ignores the mode. Every read-then-write transaction of this layer starts here.
pub async fn begin_write<C: TransactionTrait>(db: &C) -> Result<C::Transaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// The application state, from the Leptos context of the current request.
pub fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}

/// Sets the HTTP status of a server function's response to match its error, so that
/// clients and logs see 401/403/404/422/429 rather than a blanket 500. A server function
/// called while rendering a page leaves the page's status alone.
pub fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    let called_over_http = leptos::prelude::use_context::<axum::http::request::Parts>()
        .is_some_and(|parts| parts.uri.path().starts_with("/api/"));
    if let (Err(err), true) = (&result, called_over_http) {
        if let (Some(response), Ok(status)) = (
            leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
            axum::http::StatusCode::from_u16(err.status()),
        ) {
            response.set_status(status);
        }
    }
    result
}
