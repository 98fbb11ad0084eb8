//! Server-side sessions. The browser holds a random token in an HttpOnly, SameSite=Lax
//! cookie; the database holds its SHA-256 with the user, the last activity and an
//! absolute expiry. A session ends after `session_idle` without activity or at
//! `expires_at`, whichever comes first.

use axum::http::header::{COOKIE, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue};
use chrono::{DateTime, Duration, Utc};
use entity::{session, user_account, user_group};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, JoinType, QueryFilter, QuerySelect, RelationTrait,
    Set,
};

use crate::domain::account::Role;
use crate::error::AppError;
use crate::server::tokens::{hash_token, random_token};
use crate::state::AppState;

pub const COOKIE_NAME: &str = "atende_session";
/// The name when cookies are `Secure`: browsers accept a `__Host-` cookie only from an
/// https page, for the whole host (no `Domain`), so no subdomain can set or shadow it.
pub const SECURE_COOKIE_NAME: &str = "__Host-atende_session";

fn cookie_name(state: &AppState) -> &'static str {
    if state.auth.secure_cookies {
        SECURE_COOKIE_NAME
    } else {
        COOKIE_NAME
    }
}

/// Activity is written back at most this often, not on every request.
const TOUCH_EVERY: Duration = Duration::seconds(60);

/// Who is calling, as far as the server is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionUser {
    pub id: i32,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub groups: Vec<i32>,
    /// The hash of this session's token, to end it or to keep it while ending others.
    pub session_hash: String,
}

impl SessionUser {
    pub fn is(&self, roles: &[Role]) -> bool {
        roles.contains(&self.role)
    }

    /// The caller's id, typed, for the server layer's signatures.
    pub fn user_id(&self) -> crate::domain::ids::UserId {
        crate::domain::ids::UserId(self.id)
    }
}

fn request_token(state: &AppState) -> Option<String> {
    token_in(state, &use_context::<Parts>()?.headers)
}

/// The session token in these request headers' cookies.
fn token_in(state: &AppState, headers: &HeaderMap) -> Option<String> {
    let name = cookie_name(state);
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|header| crate::cookies::find(header, name).map(str::to_owned))
        .filter(|token| !token.is_empty())
}

fn cookie(state: &AppState, value: &str, max_age_secs: i64) -> Option<HeaderValue> {
    let secure = if state.auth.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}",
        name = cookie_name(state)
    ))
    .ok()
}

fn set_cookie(header: Option<HeaderValue>) {
    if let (Some(response), Some(header)) = (use_context::<ResponseOptions>(), header) {
        response.append_header(SET_COOKIE, header);
    }
}

/// Starts a session for `user_id` with a new id and sets its cookie. The session this
/// browser had before (if any) is deleted: an id is never reused across sign-ins.
pub async fn start(state: &AppState, user_id: i32) -> Result<(), AppError> {
    forget_caller();
    let now = state.clock.now();
    if let Some(previous) = request_token(state) {
        session::Entity::delete_by_id(hash_token(&previous))
            .exec(&state.db)
            .await?;
    }
    // Sessions nobody came back to are dead: sweep them while we are here.
    sweep(state).await?;
    let token = random_token();
    let expires_at = now + state.auth.session_absolute;
    session::ActiveModel {
        id_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(expires_at),
    }
    .insert(&state.db)
    .await?;
    set_cookie(cookie(
        state,
        &token,
        state.auth.session_absolute.num_seconds(),
    ));
    Ok(())
}

/// Deletes sessions past their absolute or idle end. Returns how many.
pub async fn sweep(state: &AppState) -> Result<u64, AppError> {
    let now = state.clock.now();
    Ok(session::Entity::delete_many()
        .filter(
            sea_orm::Condition::any()
                .add(session::Column::ExpiresAt.lte(now))
                .add(session::Column::LastSeenAt.lte(now - state.auth.session_idle)),
        )
        .exec(&state.db)
        .await?
        .rows_affected)
}

/// The signed-in user of this request, if any. Expired sessions are deleted.
pub async fn current(state: &AppState) -> Result<Option<SessionUser>, AppError> {
    let cache = use_context::<RequestCaller>();
    if let Some(known) = cache.as_ref().and_then(RequestCaller::get) {
        return Ok(known);
    }
    let found = current_with(state, request_token(state)).await?;
    if let Some(cache) = cache {
        cache.set(Some(found.clone()));
    }
    Ok(found)
}

/// The caller of one request, looked up once: a page asks for it in the header and
/// again in each server function it calls while rendering (two to three session
/// queries per page without this). Provided fresh for every request.
#[derive(Clone, Debug, Default)]
pub struct RequestCaller(std::sync::Arc<std::sync::Mutex<Option<Option<SessionUser>>>>);

impl RequestCaller {
    fn get(&self) -> Option<Option<SessionUser>> {
        self.0.lock().ok().and_then(|known| known.clone())
    }

    fn set(&self, value: Option<Option<SessionUser>>) {
        if let Ok(mut known) = self.0.lock() {
            *known = value;
        }
    }
}

/// Forgets this request's caller (after signing in or out, the next lookup asks the
/// database again).
fn forget_caller() {
    if let Some(cache) = use_context::<RequestCaller>() {
        cache.set(None);
    }
}

/// The signed-in user of a request handled outside Leptos (a plain axum route).
pub async fn current_from(
    state: &AppState,
    headers: &HeaderMap,
) -> Result<Option<SessionUser>, AppError> {
    current_with(state, token_in(state, headers)).await
}

/// What `current_with` reads of a session: the session's times, its user and one of the
/// user's groups (a row per group; one row with none for a user in no group).
#[derive(Debug, sea_orm::FromQueryResult)]
struct SessionRow {
    user_id: i32,
    last_seen_at: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    login: String,
    name: String,
    role: String,
    active: bool,
    group_id: Option<i32>,
}

async fn current_with(
    state: &AppState,
    token: Option<String>,
) -> Result<Option<SessionUser>, AppError> {
    let Some(token) = token else {
        return Ok(None);
    };
    let id_hash = hash_token(&token);
    // One statement for every page and server function: the session, its user and the
    // user's groups together (a customer is in none: their one row has no group).
    let rows = session::Entity::find_by_id(id_hash.clone())
        .select_only()
        .columns([
            session::Column::UserId,
            session::Column::LastSeenAt,
            session::Column::ExpiresAt,
        ])
        .columns([
            user_account::Column::Login,
            user_account::Column::Name,
            user_account::Column::Role,
            user_account::Column::Active,
        ])
        .column(user_group::Column::GroupId)
        .join(JoinType::InnerJoin, session::Relation::User.def())
        .join(JoinType::LeftJoin, user_account::Relation::UserGroup.def())
        .into_model::<SessionRow>()
        .all(&state.db)
        .await?;
    let mut rows = rows.into_iter();
    let Some(first) = rows.next() else {
        return Ok(None);
    };
    let now = state.clock.now();
    let alive = now < first.expires_at && now < first.last_seen_at + state.auth.session_idle;
    if !alive || !first.active {
        session::Entity::delete_by_id(id_hash)
            .exec(&state.db)
            .await?;
        return Ok(None);
    }
    if now - first.last_seen_at >= TOUCH_EVERY {
        // Best effort: a busy database must not turn a read into an error. At worst the
        // session looks idle a minute longer than it was.
        let touched = session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::IdHash.eq(id_hash.clone()))
            .exec(&state.db)
            .await;
        if let Err(err) = touched {
            tracing::warn!(error = %err, user = first.user_id, "session activity not recorded");
        }
    }
    let Some(role) = Role::from_code(&first.role) else {
        tracing::error!(user = first.user_id, role = %first.role, "unknown role in database");
        return Ok(None);
    };
    // Only staff work in groups (a customer's queue is none, whatever an earlier role
    // left behind).
    let mut groups: Vec<i32> = if role == Role::Customer {
        Vec::new()
    } else {
        std::iter::once(first.group_id)
            .chain(rows.map(|row| row.group_id))
            .flatten()
            .collect()
    };
    groups.sort_unstable();
    groups.dedup();
    Ok(Some(SessionUser {
        id: first.user_id,
        login: first.login,
        name: first.name,
        role,
        groups,
        session_hash: id_hash,
    }))
}

/// The signed-in user, or `Unauthenticated`.
pub async fn require(state: &AppState) -> Result<SessionUser, AppError> {
    current(state).await?.ok_or(AppError::Unauthenticated)
}

/// The signed-in user if they have one of `roles`; `Forbidden` otherwise.
pub async fn require_role(state: &AppState, roles: &[Role]) -> Result<SessionUser, AppError> {
    let user = require(state).await?;
    if user.is(roles) {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

/// Ends this request's session (if any) and clears its cookie.
pub async fn end_current(state: &AppState) -> Result<(), AppError> {
    forget_caller();
    if let Some(token) = request_token(state) {
        session::Entity::delete_by_id(hash_token(&token))
            .exec(&state.db)
            .await?;
    }
    set_cookie(cookie(state, "", 0));
    Ok(())
}

/// Ends every session of `user_id` except `keep` (a session hash), e.g. after a
/// password change.
pub async fn end_others(
    state: &AppState,
    user_id: i32,
    keep: Option<&str>,
) -> Result<(), AppError> {
    forget_caller();
    let mut delete = session::Entity::delete_many().filter(session::Column::UserId.eq(user_id));
    if let Some(keep) = keep {
        delete = delete.filter(session::Column::IdHash.ne(keep));
    }
    delete.exec(&state.db).await?;
    Ok(())
}
