//! One guard per kind of caller. Every server function starts by saying who may call it
//! (`as_anyone`, `as_signed_in`, `as_customer`, `as_staff`); the guard takes the state
//! from the request's context, checks the caller once, runs the function's body with the
//! proof (the `SessionUser`) in hand, and sets the response's status from its error
//! (`crate::server::respond`). The body cannot run without the check, and the check is
//! written once rather than in every function.
//!
//! The body gets the state and the caller by value (both are cheap to clone: handles and
//! a few strings), so it can be a plain `async move` block.

use std::future::Future;

use crate::domain::account::Role;
use crate::error::AppError;
use crate::server::session::{self, SessionUser};
use crate::server::{respond, state};
use crate::state::AppState;

/// Anybody, signed in or not: sign-in, registration, CAPTCHA, CEP lookup, password
/// reset. Functions that treat visitors and users differently look at the session
/// themselves.
pub async fn as_anyone<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = state()?;
            body(state).await
        }
        .await,
    )
}

/// Any signed-in user, whatever the role (the portal, "Meu perfil"); `Unauthenticated`
/// (401) otherwise.
pub async fn as_signed_in<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = state()?;
            let me = session::require(&state).await?;
            body(state, me).await
        }
        .await,
    )
}

/// The caller as a customer: opening requests and acting on the tickets they opened
/// (the body must look tickets up in `Scope::Customer` of `me`). Any signed-in user may
/// do this, staff included (they open requests of their own), so the check is the same as
/// `as_signed_in`; the name says what the function is for and is where a stricter rule
/// would go.
pub async fn as_customer<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    as_signed_in(body).await
}

/// A signed-in user with one of `roles`: `Unauthenticated` (401) for visitors,
/// `Forbidden` (403) for everybody else.
pub async fn as_staff<T, F, Fut>(roles: &[Role], body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = state()?;
            let me = session::require_role(&state, roles).await?;
            body(state, me).await
        }
        .await,
    )
}

/// Staff at the desk (agents, managers, administrators): `Unauthenticated` (401) for
/// visitors; "not found" (404) for customers, as for a page or ticket that does not
/// exist: the desk does not tell a customer it is there. What each role may then see and
/// do with a ticket is `crate::server::tickets::staff::access`.
pub async fn as_desk<T, F, Fut>(body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = state()?;
            let me = session::require(&state).await?;
            if !me.role.is_staff() {
                return Err(AppError::NotFound);
            }
            body(state, me).await
        }
        .await,
    )
}

/// Administration (`roles`: who may): `Unauthenticated` (401) for visitors, "not found"
/// (404) for every other signed-in user, as for a page that does not exist.
pub async fn as_admin<T, F, Fut>(roles: &[Role], body: F) -> Result<T, AppError>
where
    F: FnOnce(AppState, SessionUser) -> Fut,
    Fut: Future<Output = Result<T, AppError>>,
{
    respond(
        async {
            let state = state()?;
            let me = session::require(&state).await?;
            if !me.is(roles) {
                return Err(AppError::NotFound);
            }
            body(state, me).await
        }
        .await,
    )
}
