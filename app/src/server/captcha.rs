//! The registration CAPTCHA of the seed: "Complete a operação a + [] = c". The browser
//! gets an id, `a` and `c`; the missing operand stays in the database. Every answer,
//! right or wrong, deletes the challenge, so none can be replayed; it expires after
//! `captcha_ttl` in any case.

use entity::captcha;
use rand::Rng;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use crate::api::accounts::CaptchaChallenge;
use crate::domain::Problem;
use crate::error::AppError;
use crate::server::tokens::random_token;
use crate::state::AppState;

pub async fn issue(state: &AppState) -> Result<CaptchaChallenge, AppError> {
    let now = state.clock.now();
    let (a, b) = {
        let mut rng = rand::rng();
        (rng.random_range(1..=9), rng.random_range(1..=9))
    };
    let id = random_token();
    captcha::ActiveModel {
        id: Set(id.clone()),
        answer: Set(b),
        expires_at: Set(now + state.auth.captcha_ttl),
    }
    .insert(&state.db)
    .await?;
    // Expired challenges are of no use to anyone.
    captcha::Entity::delete_many()
        .filter(captcha::Column::ExpiresAt.lt(now))
        .exec(&state.db)
        .await?;
    Ok(CaptchaChallenge { id, a, sum: a + b })
}

/// Deletes challenges past their time (run periodically; `issue` does it too).
pub async fn sweep(state: &AppState) -> Result<u64, AppError> {
    Ok(captcha::Entity::delete_many()
        .filter(captcha::Column::ExpiresAt.lt(state.clock.now()))
        .exec(&state.db)
        .await?
        .rows_affected)
}

/// Consumes the challenge `id` and checks `answer` against it.
pub async fn check(
    state: &AppState,
    id: &str,
    answer: &str,
) -> Result<Result<(), Problem>, AppError> {
    // Ids are tokens of URL-safe characters; anything else names no challenge (and
    // never reaches the database: PostgreSQL refuses a NUL in a string).
    if id.is_empty()
        || id.len() > 64
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Ok(Err(Problem::CaptchaExpired));
    }
    let Some(challenge) = captcha::Entity::find_by_id(id.to_owned())
        .one(&state.db)
        .await?
    else {
        return Ok(Err(Problem::CaptchaExpired));
    };
    // Only the request that deletes the row may use it (two at once: one wins).
    let deleted = captcha::Entity::delete_by_id(id.to_owned())
        .exec(&state.db)
        .await?;
    if deleted.rows_affected != 1 || challenge.expires_at <= state.clock.now() {
        return Ok(Err(Problem::CaptchaExpired));
    }
    let answer = answer.trim();
    if answer.is_empty() {
        return Ok(Err(Problem::Required));
    }
    Ok(match answer.parse::<i32>() {
        Ok(value) if value == challenge.answer => Ok(()),
        _ => Err(Problem::CaptchaWrong),
    })
}
