//! "Configurações": settings administrators change in the app, stored in `setting` and
//! applied without a restart. A key never saved keeps the environment's value (the
//! defaults at first start). Each instance applies what it saves at once, and reloads
//! the table every few seconds for what other instances saved.

use std::time::Duration as StdDuration;

use entity::setting;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;

use crate::domain::attachment::{AttachmentLimits, known_types};
use crate::domain::settings::{SettingsData, SettingsInput, ValidSettings};
use crate::domain::{Field, Problem};
use crate::error::AppError;
use crate::server::audit::{self, Actor, Change};
use crate::state::{AppState, Runtime, TicketRules};

/// How often an instance reads the settings others may have saved.
pub const RELOAD_EVERY: StdDuration = StdDuration::from_secs(10);

const REOPEN_HOURS: &str = "reopen_hours";
const RATING_DAYS: &str = "rating_days";
const MAX_FILES: &str = "max_files";
const MAX_BYTES: &str = "max_bytes";
const ALLOWED_TYPES: &str = "allowed_types";
const TIME_ZONE: &str = "time_zone";
const AUTH_DOMAIN: &str = "auth_domain";
const PUBLIC_URL: &str = "public_url";
const MAIL_FROM: &str = "mail_from";

/// The settings in force, as the form shows them.
pub fn current(state: &AppState) -> SettingsInput {
    let live = state.live.get();
    let limits = state.attachments.limits();
    SettingsInput {
        reopen_hours: live.tickets.reopen_window.num_hours().to_string(),
        rating_days: live.tickets.rating_window.num_days().to_string(),
        max_files: limits.max_files.to_string(),
        max_megabytes: (limits.max_bytes / (1024 * 1024)).max(1).to_string(),
        allowed_types: live.allowed_types.clone(),
        time_zone: live.time_zone.name().to_owned(),
        auth_domain: live.auth_domain.clone(),
        public_url: live.public_url.clone(),
        mail_from: state.mailer.from().to_string(),
    }
}

pub fn data(state: &AppState) -> SettingsData {
    SettingsData {
        input: current(state),
        known_types: known_types(),
    }
}

/// The settings checked, the server's own checks included (the time zone in the IANA
/// database, the sender as a mailbox).
fn check(
    input: &SettingsInput,
) -> Result<(ValidSettings, chrono_tz::Tz, lettre::message::Mailbox), AppError> {
    let valid = input.validate(&known_types());
    let mut errors = valid.clone().err().unwrap_or_default();
    let zone = input.time_zone.trim().parse::<chrono_tz::Tz>().ok();
    if zone.is_none() && errors.get(Field::TimeZone).is_none() {
        errors.add(Field::TimeZone, Problem::InvalidTimeZone);
    }
    let from = input
        .mail_from
        .trim()
        .parse::<lettre::message::Mailbox>()
        .ok();
    if from.is_none() && errors.get(Field::MailFrom).is_none() {
        errors.add(Field::MailFrom, Problem::InvalidEmail);
    }
    match (valid, zone, from) {
        (Ok(valid), Some(zone), Some(from)) if errors.is_empty() => Ok((valid, zone, from)),
        _ => Err(errors.into()),
    }
}

/// Puts `valid` in force in this instance.
fn put_in_force(
    state: &AppState,
    valid: &ValidSettings,
    zone: chrono_tz::Tz,
    from: lettre::message::Mailbox,
) {
    state.live.set(Runtime {
        time_zone: zone,
        public_url: valid.public_url.clone(),
        tickets: TicketRules {
            rating_window: chrono::Duration::days(valid.rating_days.into()),
            reopen_window: chrono::Duration::hours(valid.reopen_hours.into()),
        },
        auth_domain: valid.auth_domain.clone(),
        allowed_types: valid.allowed_types.clone(),
    });
    state.attachments.set_limits(AttachmentLimits {
        max_bytes: valid.max_bytes,
        max_files: valid.max_files,
    });
    state.mailer.set_from(from);
}

fn rows(valid: &ValidSettings) -> Vec<(&'static str, String)> {
    vec![
        (REOPEN_HOURS, valid.reopen_hours.to_string()),
        (RATING_DAYS, valid.rating_days.to_string()),
        (MAX_FILES, valid.max_files.to_string()),
        (MAX_BYTES, valid.max_bytes.to_string()),
        (ALLOWED_TYPES, valid.allowed_types.join(",")),
        (TIME_ZONE, valid.time_zone.clone()),
        (AUTH_DOMAIN, valid.auth_domain.clone()),
        (PUBLIC_URL, valid.public_url.clone()),
        (MAIL_FROM, valid.mail_from.clone()),
    ]
}

fn as_json(input: &SettingsInput) -> serde_json::Value {
    json!({
        "reabrir_horas": input.reopen_hours, "pesquisa_dias": input.rating_days,
        "anexos_quantidade": input.max_files, "anexos_mb": input.max_megabytes,
        "anexos_tipos": input.allowed_types, "fuso": input.time_zone,
        "dominio_autenticacao": input.auth_domain, "endereco_publico": input.public_url,
        "remetente": input.mail_from,
    })
}

/// Saves the settings (with their audit entry) and puts them in force at once.
pub async fn save(state: &AppState, actor: &Actor, input: SettingsInput) -> Result<(), AppError> {
    let (valid, zone, from) = check(&input)?;
    let before = current(state);
    let txn = crate::server::begin_write(&state.db).await?;
    for (key, value) in rows(&valid) {
        setting::Entity::delete_many()
            .filter(setting::Column::Key.eq(key))
            .exec(&txn)
            .await?;
        setting::Entity::insert(setting::ActiveModel {
            key: Set(key.to_owned()),
            value: Set(value),
        })
        .exec_without_returning(&txn)
        .await?;
    }
    let after = SettingsInput {
        reopen_hours: valid.reopen_hours.to_string(),
        rating_days: valid.rating_days.to_string(),
        max_files: valid.max_files.to_string(),
        max_megabytes: (valid.max_bytes / (1024 * 1024)).to_string(),
        allowed_types: valid.allowed_types.clone(),
        time_zone: zone.name().to_owned(),
        auth_domain: valid.auth_domain.clone(),
        public_url: valid.public_url.clone(),
        mail_from: from.to_string(),
    };
    audit::record(
        &txn,
        state.clock.now(),
        Change {
            kind: "configuracao",
            action: "alterar",
            target: "Configurações".to_owned(),
            before: Some(as_json(&before)),
            after: Some(as_json(&after)),
            actor,
        },
    )
    .await?;
    txn.commit().await?;
    put_in_force(state, &valid, zone, from);
    Ok(())
}

/// Applies what is stored over what is in force (at start-up, and every
/// [`RELOAD_EVERY`] for what other instances saved). Stored values that no longer pass
/// the checks are left out, with a warning.
pub async fn load(state: &AppState) -> Result<(), AppError> {
    let stored = setting::Entity::find().all(&state.db).await?;
    if stored.is_empty() {
        return Ok(());
    }
    let mut input = current(state);
    for row in stored {
        let value = row.value;
        match row.key.as_str() {
            REOPEN_HOURS => input.reopen_hours = value,
            RATING_DAYS => input.rating_days = value,
            MAX_FILES => input.max_files = value,
            MAX_BYTES => {
                input.max_megabytes = value
                    .parse::<u64>()
                    .map(|b| (b / (1024 * 1024)).to_string())
                    .unwrap_or(value)
            }
            ALLOWED_TYPES => {
                input.allowed_types = value.split(',').map(str::to_owned).collect();
            }
            TIME_ZONE => input.time_zone = value,
            AUTH_DOMAIN => input.auth_domain = value,
            PUBLIC_URL => input.public_url = value,
            MAIL_FROM => input.mail_from = value,
            other => tracing::warn!(key = other, "unknown setting ignored"),
        }
    }
    if input == current(state) {
        return Ok(());
    }
    match check(&input) {
        Ok((valid, zone, from)) => {
            put_in_force(state, &valid, zone, from);
            Ok(())
        }
        Err(err) => {
            tracing::warn!(error = ?err, "stored settings not applied");
            Ok(())
        }
    }
}

/// Reloads the settings every [`RELOAD_EVERY`].
pub async fn run(state: AppState) {
    loop {
        tokio::time::sleep(RELOAD_EVERY).await;
        if let Err(err) = load(&state).await {
            tracing::warn!(error = %err, "settings not reloaded");
        }
    }
}
