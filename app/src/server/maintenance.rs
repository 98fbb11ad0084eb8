//! Housekeeping that no request should wait for, run in the background every few
//! minutes by every server: expired CAPTCHAs, reset links and sessions, old throttle
//! entries, staged uploads nobody sent, and stored files no row refers to. Each step is
//! idempotent, so two servers sweeping the same database at once do no harm.

use chrono::Duration;
use entity::password_reset;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::error::AppError;
use crate::state::AppState;

/// How often the sweep runs.
pub const EVERY: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// Throttle entries are kept this long: longer than any budget's window.
const KEEP_ATTEMPTS: Duration = Duration::hours(24);

/// What one pass removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Swept {
    pub attempts: u64,
    pub captchas: u64,
    pub reset_links: u64,
    pub sessions: u64,
    pub orphan_files: u64,
}

/// One pass of every sweep.
pub async fn run_once(state: &AppState) -> Result<Swept, AppError> {
    let attempts = crate::server::throttle::sweep(state, KEEP_ATTEMPTS).await?;
    let captchas = crate::server::captcha::sweep(state).await?;
    let reset_links = password_reset::Entity::delete_many()
        .filter(password_reset::Column::ExpiresAt.lte(state.clock.now()))
        .exec(&state.db)
        .await?
        .rows_affected;
    let sessions = crate::server::session::sweep(state).await?;
    crate::server::attachments::sweep_stale(state).await?;
    let orphan_files = crate::server::attachments::sweep_orphans(state).await?;
    Ok(Swept {
        attempts,
        captchas,
        reset_links,
        sessions,
        orphan_files,
    })
}

/// The staff search's list of common trigrams is refreshed every this many passes, not
/// at start-up: it reads the whole index's vocabulary (SQLite) or a sample of every page
/// of `ticket` (PostgreSQL), seconds at a million tickets, and the list kept in the
/// database drifts slowly. Until the first refresh a search only looks up more trigrams.
const COMMON_TRIGRAMS_EVERY: u64 = 6;

/// Runs `run_once` every `EVERY`, the first time right away, until the task is dropped.
pub async fn run(state: AppState) {
    let mut tick = tokio::time::interval(EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut pass: u64 = 0;
    loop {
        tick.tick().await;
        if pass % COMMON_TRIGRAMS_EVERY == COMMON_TRIGRAMS_EVERY - 1 {
            if let Err(err) = crate::server::tickets::desk::refresh_common_trigrams(&state.db).await
            {
                tracing::warn!(error = ?err, "common trigrams not refreshed; trying again later");
            }
        }
        pass += 1;
        match run_once(&state).await {
            Ok(swept) if swept != Swept::default() => tracing::info!(?swept, "housekeeping"),
            Ok(_) => {}
            Err(err) => tracing::warn!(error = ?err, "housekeeping failed; trying again later"),
        }
    }
}
