//! The audit trail: every administrative change is written here, in the transaction of
//! the change itself (so there is never a change without its entry, nor an entry for a
//! change that did not happen). Entries are only ever inserted and read: there is no
//! function, route or page that edits or deletes one.

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use entity::audit_entry;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde_json::Value;

use crate::domain::admin::{AuditFilter, AuditPage, AuditRow};
use crate::error::AppError;
use crate::server::session::SessionUser;
use crate::state::AppState;

/// The actor of the command line.
pub const COMMAND_LINE: &str = "linha de comando";
/// Rows per page of the audit page.
pub const PAGE_SIZE: u64 = 100;
/// The most rows one CSV export holds.
pub const EXPORT_MAX: u64 = 100_000;

/// Who makes a change, and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    pub id: Option<i32>,
    pub login: String,
    pub address: String,
}

impl Actor {
    /// `atende …` on the server's machine.
    pub fn command_line() -> Actor {
        Actor {
            id: None,
            login: COMMAND_LINE.to_owned(),
            address: String::new(),
        }
    }

    /// The signed-in caller of this request, with the client's address.
    pub async fn of(state: &AppState, me: &SessionUser) -> Actor {
        Actor {
            id: Some(me.id),
            // Logins are case-insensitive: kept lower-cased, so the filter is too.
            login: me.login.to_lowercase(),
            address: crate::server::client::current_address(&state.auth.trusted_proxies).await,
        }
    }
}

/// One change: what kind of thing (`usuario`, `grupo`, …), the action, the item, and
/// the item before and after.
pub struct Change<'a> {
    pub kind: &'static str,
    pub action: &'static str,
    pub target: String,
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub actor: &'a Actor,
}

/// Writes the entry; call it with the transaction that makes the change.
pub async fn record(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    change: Change<'_>,
) -> Result<(), DbErr> {
    let clip = |text: String, max: usize| text.chars().take(max).collect::<String>();
    audit_entry::Entity::insert(audit_entry::ActiveModel {
        at: Set(now),
        actor_id: Set(change.actor.id),
        actor: Set(clip(change.actor.login.clone(), 100)),
        address: Set(clip(change.actor.address.clone(), 100)),
        kind: Set(change.kind.to_owned()),
        action: Set(change.action.to_owned()),
        target: Set(clip(change.target, 300)),
        before: Set(change.before.map(|v| v.to_string())),
        after: Set(change.after.map(|v| v.to_string())),
        ..Default::default()
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// The first instant of a day in `zone`, as UTC (the earliest, where DST makes it
/// ambiguous; the next hour where midnight does not exist).
fn start_of(zone: chrono_tz::Tz, (y, m, d): (i32, u32, u32)) -> Option<DateTime<Utc>> {
    let day = NaiveDate::from_ymd_opt(y, m, d)?;
    (0..3).find_map(|hour| {
        zone.from_local_datetime(&day.and_hms_opt(hour, 0, 0)?)
            .earliest()
            .map(|t| t.with_timezone(&Utc))
    })
}

/// The entries the filter selects, newest first, at most `limit`.
async fn select(
    state: &AppState,
    filter: &AuditFilter,
    limit: u64,
) -> Result<Vec<audit_entry::Model>, AppError> {
    let (from, to) = filter.period()?;
    let mut query = audit_entry::Entity::find();
    let who = filter.who.trim().to_lowercase();
    if !who.is_empty() {
        query = query.filter(audit_entry::Column::Actor.contains(who));
    }
    if !filter.kind.is_empty() {
        query = query.filter(audit_entry::Column::Kind.eq(filter.kind.clone()));
    }
    if let Some(from) = from.and_then(|day| start_of(state.time_zone(), day)) {
        query = query.filter(audit_entry::Column::At.gte(from));
    }
    if let Some((y, m, d)) = to {
        let next = NaiveDate::from_ymd_opt(y, m, d)
            .and_then(|day| day.succ_opt())
            .and_then(|day| {
                use chrono::Datelike;
                start_of(state.time_zone(), (day.year(), day.month(), day.day()))
            });
        if let Some(next) = next {
            query = query.filter(audit_entry::Column::At.lt(next));
        }
    }
    if let Some(before) = filter.before {
        query = query.filter(audit_entry::Column::Id.lt(before));
    }
    Ok(query
        .order_by_desc(audit_entry::Column::Id)
        .limit(limit)
        .all(&state.db)
        .await?)
}

fn row(state: &AppState, entry: audit_entry::Model) -> AuditRow {
    AuditRow {
        id: entry.id,
        at: entry
            .at
            .with_timezone(&state.time_zone())
            .format("%d/%m/%Y %H:%M:%S")
            .to_string(),
        actor: entry.actor,
        address: entry.address,
        kind: entry.kind,
        action: entry.action,
        target: entry.target,
        before: entry.before.unwrap_or_default(),
        after: entry.after.unwrap_or_default(),
    }
}

/// One page of the trail.
pub async fn page(state: &AppState, filter: &AuditFilter) -> Result<AuditPage, AppError> {
    let mut entries = select(state, filter, PAGE_SIZE + 1).await?;
    let next = if entries.len() as u64 > PAGE_SIZE {
        entries.truncate(PAGE_SIZE as usize);
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok(AuditPage {
        rows: entries.into_iter().map(|e| row(state, e)).collect(),
        next,
    })
}

/// A CSV field: quoted when it must be, and never read as a formula by a spreadsheet
/// (a leading `=`, `+`, `-`, `@` gets a `'`).
fn csv_field(value: &str) -> String {
    let value = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_owned()
    };
    if value.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value
    }
}

/// Every entry the filter selects (at most [`EXPORT_MAX`]), as CSV with a header line.
pub async fn csv(state: &AppState, filter: &AuditFilter) -> Result<String, AppError> {
    let entries = select(state, filter, EXPORT_MAX).await?;
    let mut out = String::from("id,quando,quem,endereco,tipo,acao,item,antes,depois\r\n");
    for entry in entries {
        let r = row(state, entry);
        let fields = [
            r.id.to_string(),
            r.at,
            r.actor,
            r.address,
            r.kind,
            r.action,
            r.target,
            r.before,
            r.after,
        ];
        out.push_str(
            &fields
                .iter()
                .map(|f| csv_field(f))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    Ok(out)
}

/// Where the CSV export of the trail is served (the page's filters in its query).
pub const CSV_PATH: &str = "/admin/auditoria.csv";

/// The export route, to merge into the application's router.
pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route(CSV_PATH, axum::routing::get(export))
}

/// `GET /admin/auditoria.csv?quem=…&tipo=…&de=…&ate=…`: administrators and managers;
/// visitors 401, everyone else 404.
async fn export(
    axum::extract::State(state): axum::extract::State<AppState>,
    headers: axum::http::HeaderMap,
    axum::extract::Query(pairs): axum::extract::Query<Vec<(String, String)>>,
) -> axum::response::Response {
    use crate::domain::account::Role;
    use axum::http::{StatusCode, header};
    use axum::response::IntoResponse;
    let result = async {
        let me = crate::server::session::current_from(&state, &headers)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        if !me.is(&[Role::Admin, Role::Manager]) {
            return Err(AppError::NotFound);
        }
        let filter = AuditFilter::from_query(|name| {
            pairs
                .iter()
                .find(|(key, _)| key == name)
                .map(|(_, value)| value.clone())
        });
        csv(&state, &filter).await
    }
    .await;
    match result {
        // With a byte-order mark, spreadsheets read the accents right.
        Ok(body) => (
            [
                (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"auditoria.csv\"",
                ),
                (header::CACHE_CONTROL, "no-store"),
            ],
            format!("\u{feff}{body}"),
        )
            .into_response(),
        Err(err) => (
            StatusCode::from_u16(err.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR),
            err.message(crate::i18n::Lang::Pt),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_and_never_formulas() {
        assert_eq!(csv_field("simples"), "simples");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("diz \"oi\""), "\"diz \"\"oi\"\"\"");
        assert_eq!(csv_field("=1+1"), "'=1+1");
        assert_eq!(csv_field("-2,5"), "\"'-2,5\"");
        assert_eq!(csv_field("linha\noutra"), "\"linha\noutra\"");
    }

    #[test]
    fn a_day_starts_at_local_midnight() {
        let zone: chrono_tz::Tz = "America/Sao_Paulo".parse().unwrap_or(chrono_tz::UTC);
        let start = start_of(zone, (2026, 12, 1)).map(|t| t.to_rfc3339());
        assert_eq!(start.as_deref(), Some("2026-12-01T03:00:00+00:00"));
        // 04/11/2018: clocks went from 00:00 to 01:00 in São Paulo.
        let start = start_of(zone, (2018, 11, 4)).map(|t| t.to_rfc3339());
        assert_eq!(start.as_deref(), Some("2018-11-04T03:00:00+00:00"));
    }
}
