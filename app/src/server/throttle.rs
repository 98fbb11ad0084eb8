//! Budgets of attempts in a sliding window, kept in the database so that every
//! instance of the server shares them: failed sign-ins per account and per client
//! address, CAPTCHAs and CEP lookups per client, password-reset mails per address and
//! per client.
//!
//! An attempt is *taken* from its budgets before the work it guards, in one
//! transaction that first takes the write lock (SQLite: the insert; PostgreSQL: an
//! advisory lock per key), inserts one row per budget and counts the rows in the
//! window, its own included. Over any limit, the transaction rolls back and the caller
//! is refused with nothing recorded. So N requests racing for the last free attempt get
//! exactly one of it. Sign-in gives its attempt back when the password was right.

use chrono::Duration;
use entity::login_attempt;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, Statement,
};

use crate::error::AppError;
use crate::state::AppState;

/// The longest key stored (the column holds 300 characters).
const KEY_MAX: usize = 300;

/// One budget: at most `limit` attempts under `key` within `window`.
#[derive(Clone, Debug)]
pub struct Budget {
    pub key: String,
    pub limit: u64,
    pub window: Duration,
}

impl Budget {
    pub fn new(key: String, limit: u64, window: Duration) -> Budget {
        // Keys embed user input (a login, an address): never longer than the column.
        let key = if key.chars().count() > KEY_MAX {
            key.chars().take(KEY_MAX).collect()
        } else {
            key
        };
        Budget { key, limit, window }
    }
}

/// Sign-in attempts against an account (by its id when the identifier names one, so
/// its login and its e-mail share one budget).
pub fn account_key(account: Option<i32>, identity_key: &str) -> String {
    match account {
        Some(id) => format!("user:{id}"),
        None => format!("login:{identity_key}"),
    }
}

/// Sign-in attempts from a client address (see `crate::server::client`).
pub fn client_key(addr: &str) -> String {
    format!("ip:{addr}")
}

/// The rows one successful `take` wrote, to give back if the attempt succeeded.
#[derive(Debug, Default)]
#[must_use = "an attempt is either kept (a failure) or given back"]
pub struct Taken {
    ids: Vec<i32>,
}

/// Takes one attempt from every budget, or from none: `Throttled` (with the time until
/// the first one frees up) when any of them is spent.
pub async fn take(state: &AppState, budgets: &[Budget]) -> Result<Taken, AppError> {
    let now = state.clock.now();
    let txn = crate::server::begin_write(&state.db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // Lock the keys in one order, so that two requests never wait on each other.
        let mut keys: Vec<&str> = budgets.iter().map(|b| b.key.as_str()).collect();
        keys.sort_unstable();
        keys.dedup();
        for key in keys {
            txn.execute_raw(Statement::from_sql_and_values(
                DatabaseBackend::Postgres,
                "SELECT pg_advisory_xact_lock(hashtext($1))",
                [key.into()],
            ))
            .await?;
        }
    }
    let mut ids = Vec::with_capacity(budgets.len());
    for budget in budgets {
        let row = login_attempt::ActiveModel {
            key: Set(budget.key.clone()),
            attempted_at: Set(now),
            ..Default::default()
        };
        ids.push(
            login_attempt::Entity::insert(row)
                .exec(&txn)
                .await?
                .last_insert_id,
        );
    }
    let mut retry_after = Duration::zero();
    for budget in budgets {
        let recent = login_attempt::Entity::find()
            .filter(login_attempt::Column::Key.eq(budget.key.as_str()))
            .filter(login_attempt::Column::AttemptedAt.gt(now - budget.window));
        if recent.clone().count(&txn).await? > budget.limit {
            // Free again when the oldest attempts that fill the budget leave the window
            // (this attempt itself is the newest row: skip it).
            let blocking = recent
                .filter(login_attempt::Column::Id.is_not_in(ids.iter().copied()))
                .order_by_desc(login_attempt::Column::AttemptedAt)
                .offset(budget.limit.saturating_sub(1))
                .one(&txn)
                .await?;
            let wait = blocking.map_or(budget.window, |attempt| {
                attempt.attempted_at + budget.window - now
            });
            retry_after = retry_after.max(wait);
        }
    }
    if retry_after > Duration::zero() {
        txn.rollback().await?;
        return Err(AppError::Throttled {
            retry_after_secs: retry_after.num_seconds().max(1) as u64,
        });
    }
    txn.commit().await?;
    Ok(Taken { ids })
}

/// Gives the attempt back (a right password does not count against anybody).
pub async fn give_back(state: &AppState, taken: Taken) -> Result<(), AppError> {
    if !taken.ids.is_empty() {
        login_attempt::Entity::delete_many()
            .filter(login_attempt::Column::Id.is_in(taken.ids))
            .exec(&state.db)
            .await?;
    }
    Ok(())
}

/// Forgets every attempt under `key` (a successful sign-in clears its account).
pub async fn clear(state: &AppState, key: &str) -> Result<(), AppError> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Key.eq(key))
        .exec(&state.db)
        .await?;
    Ok(())
}

/// Deletes attempts older than `keep` (no budget's window is longer). Run periodically.
pub async fn sweep(state: &AppState, keep: Duration) -> Result<u64, AppError> {
    Ok(login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(state.clock.now() - keep))
        .exec(&state.db)
        .await?
        .rows_affected)
}
