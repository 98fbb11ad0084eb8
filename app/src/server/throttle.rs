//! Throttling of password guessing: failures are counted per account and per client
//! address inside a sliding window; past the limit, attempts are refused until the
//! oldest failure leaves the window. A successful sign-in clears the account's count.

use chrono::Duration;
use entity::login_attempt;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::error::AppError;
use crate::state::AppState;

pub fn account_key(login_key: &str) -> String {
    format!("login:{login_key}")
}

pub fn client_key(addr: &str) -> String {
    format!("ip:{addr}")
}

/// Refuses with `Throttled` when any of `keys` reached its limit in the window.
pub async fn check(state: &AppState, keys: &[(String, u64)]) -> Result<(), AppError> {
    let now = state.clock.now();
    let window = state.auth.throttle_window;
    let since = now - window;
    let mut retry_after = Duration::zero();
    for (key, limit) in keys {
        let recent = login_attempt::Entity::find()
            .filter(login_attempt::Column::Key.eq(key.as_str()))
            .filter(login_attempt::Column::AttemptedAt.gt(since));
        if recent.clone().count(&state.db).await? >= *limit {
            // Free again when enough of the oldest failures have left the window.
            let blocking = recent
                .order_by_desc(login_attempt::Column::AttemptedAt)
                .offset(limit.saturating_sub(1))
                .one(&state.db)
                .await?;
            if let Some(attempt) = blocking {
                retry_after = retry_after.max(attempt.attempted_at + window - now);
            }
        }
    }
    if retry_after > Duration::zero() {
        Err(AppError::Throttled {
            retry_after_secs: retry_after.num_seconds().max(1) as u64,
        })
    } else {
        Ok(())
    }
}

pub async fn record_failure(state: &AppState, keys: &[String]) -> Result<(), AppError> {
    let now = state.clock.now();
    for key in keys {
        login_attempt::ActiveModel {
            key: Set(key.clone()),
            attempted_at: Set(now),
            ..Default::default()
        }
        .insert(&state.db)
        .await?;
    }
    // Old failures no longer count for anything.
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::AttemptedAt.lt(now - state.auth.throttle_window))
        .exec(&state.db)
        .await?;
    Ok(())
}

pub async fn clear(state: &AppState, key: &str) -> Result<(), AppError> {
    login_attempt::Entity::delete_many()
        .filter(login_attempt::Column::Key.eq(key))
        .exec(&state.db)
        .await?;
    Ok(())
}
