//! SLA settings, for administrators: business calendars and their holidays, each
//! activity's calendar and targets, and the outbox's state. Tickets already open keep
//! the deadline they have; the new settings apply to tickets opened (or reclassified,
//! resumed, reopened) afterwards.

use chrono::NaiveDate;
use entity::{activity, calendar, holiday, service};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseTransaction, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, Set,
};
use serde_json::{Value, json};

use crate::domain::calendar::{
    ActivitySlaInput, ActivitySlaRow, CalendarInput, CalendarRow, HolidayInput, HolidayRow,
    SlaSettings,
};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
use crate::server::audit::{self, Actor, Change};
use crate::state::AppState;

pub async fn settings(state: &AppState) -> Result<SlaSettings, AppError> {
    let holidays = holiday::Entity::find()
        .order_by_asc(holiday::Column::Day)
        .all(&state.db)
        .await?;
    let calendars = calendar::Entity::find()
        .order_by_asc(calendar::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|c| CalendarRow {
            holidays: holidays
                .iter()
                .filter(|h| h.calendar_id == c.id)
                .map(|h| HolidayRow {
                    id: h.id,
                    date: h.day.format("%d/%m/%Y").to_string(),
                    name: h.name.clone(),
                })
                .collect(),
            id: c.id,
            name: c.name,
            time_zone: c.time_zone,
            week: c.week,
            national_holidays: c.national_holidays,
            optional_points: c.optional_points,
        })
        .collect();
    let services = service::Entity::find().all(&state.db).await?;
    let service_name = |id: i32| {
        services
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.name.clone())
            .unwrap_or_default()
    };
    let mut activities: Vec<ActivitySlaRow> = activity::Entity::find()
        .filter(activity::Column::Active.eq(true))
        .all(&state.db)
        .await?
        .into_iter()
        .map(|a| ActivitySlaRow {
            id: a.id,
            name: format!("{} / {}", service_name(a.service_id), a.name),
            calendar: a
                .calendar_id
                .unwrap_or(crate::server::tickets::schedule::DEFAULT_CALENDAR),
            sla_hours: a.sla_hours,
            first_response_hours: a.first_response_hours,
        })
        .collect();
    activities.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(SlaSettings {
        calendars,
        activities,
        outbox: crate::server::outbox::status(state).await?,
    })
}

/// Creates or changes a calendar.
pub async fn save_calendar(
    state: &AppState,
    actor: &Actor,
    input: CalendarInput,
) -> Result<i32, AppError> {
    let mut errors = FieldErrors::new();
    let valid = input.validate();
    if let Err(problems) = &valid {
        for (field, problem) in problems.iter() {
            errors.add(field, problem);
        }
    }
    let zone = input.time_zone.trim();
    if !zone.is_empty() && zone.parse::<chrono_tz::Tz>().is_err() {
        errors.add(Field::TimeZone, Problem::InvalidTimeZone);
    }
    let Ok((name, week)) = valid else {
        return Err(errors.into());
    };
    // Another calendar with this name?
    let clash = calendar::Entity::find()
        .filter(calendar::Column::Name.eq(name.clone()))
        .one(&state.db)
        .await?
        .is_some_and(|c| Some(c.id) != input.id);
    if clash {
        errors.add(Field::CalendarName, Problem::NameTaken);
    }
    if !errors.is_empty() {
        return Err(errors.into());
    }
    let txn = crate::server::begin_write(&state.db).await?;
    let (row, before) = match input.id {
        Some(id) => {
            let found = calendar::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let before = calendar_json(&found);
            let mut row = found.into_active_model();
            row.name = Set(name);
            row.time_zone = Set(zone.to_owned());
            row.week = Set(week);
            row.national_holidays = Set(input.national_holidays);
            row.optional_points = Set(input.optional_points);
            (row.update(&txn).await?, Some(before))
        }
        None => {
            let row = calendar::ActiveModel {
                name: Set(name),
                time_zone: Set(zone.to_owned()),
                week: Set(week),
                national_holidays: Set(input.national_holidays),
                optional_points: Set(input.optional_points),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            (row, None)
        }
    };
    let action = if before.is_some() {
        "alterar-calendario"
    } else {
        "criar-calendario"
    };
    record(
        state,
        &txn,
        actor,
        action,
        row.name.clone(),
        before,
        Some(calendar_json(&row)),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

pub async fn add_holiday(
    state: &AppState,
    actor: &Actor,
    input: HolidayInput,
) -> Result<(), AppError> {
    let ((y, m, d), name) = input.validate()?;
    let day = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| FieldErrors::single(Field::HolidayDate, Problem::InvalidDate))?;
    let Some(owner) = calendar::Entity::find_by_id(input.calendar)
        .one(&state.db)
        .await?
    else {
        return Err(FieldErrors::single(Field::Calendar, Problem::InvalidChoice).into());
    };
    let exists = holiday::Entity::find()
        .filter(holiday::Column::CalendarId.eq(input.calendar))
        .filter(holiday::Column::Day.eq(day))
        .one(&state.db)
        .await?
        .is_some();
    if exists {
        return Err(FieldErrors::single(Field::HolidayDate, Problem::NameTaken).into());
    }
    let txn = crate::server::begin_write(&state.db).await?;
    let added = holiday::ActiveModel {
        calendar_id: Set(input.calendar),
        day: Set(day),
        name: Set(name),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let target = format!("{} — {}", owner.name, added.name);
    record(
        state,
        &txn,
        actor,
        "adicionar-feriado",
        target,
        None,
        Some(holiday_json(&added)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn remove_holiday(state: &AppState, actor: &Actor, id: i32) -> Result<(), AppError> {
    let txn = crate::server::begin_write(&state.db).await?;
    let found = holiday::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let removed = holiday::Entity::delete_by_id(id).exec(&txn).await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let owner = calendar::Entity::find_by_id(found.calendar_id)
        .one(&txn)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    let target = format!("{owner} — {}", found.name);
    record(
        state,
        &txn,
        actor,
        "remover-feriado",
        target,
        Some(holiday_json(&found)),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_activity_sla(
    state: &AppState,
    actor: &Actor,
    input: ActivitySlaInput,
) -> Result<(), AppError> {
    let (target, first) = input.validate()?;
    if calendar::Entity::find_by_id(input.calendar)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Err(FieldErrors::single(Field::Calendar, Problem::InvalidChoice).into());
    }
    let txn = crate::server::begin_write(&state.db).await?;
    let Some(before) = activity::Entity::find_by_id(input.activity)
        .one(&txn)
        .await?
    else {
        return Err(AppError::NotFound);
    };
    let updated = activity::Entity::update_many()
        .col_expr(
            activity::Column::CalendarId,
            Expr::value(Some(input.calendar)),
        )
        .col_expr(activity::Column::SlaHours, Expr::value(target))
        .col_expr(activity::Column::FirstResponseHours, Expr::value(first))
        .filter(activity::Column::Id.eq(input.activity))
        .exec(&txn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    let sla = |a: &activity::Model| {
        json!({ "calendario": a.calendar_id.unwrap_or(crate::server::tickets::schedule::DEFAULT_CALENDAR),
                "prazo_horas": a.sla_hours, "primeira_resposta_horas": a.first_response_hours })
    };
    let after = activity::Model {
        calendar_id: Some(input.calendar),
        sla_hours: target,
        first_response_hours: first,
        ..before.clone()
    };
    record(
        state,
        &txn,
        actor,
        "alterar-sla-atividade",
        before.name.clone(),
        Some(sla(&before)),
        Some(sla(&after)),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

fn calendar_json(c: &calendar::Model) -> Value {
    json!({ "nome": c.name, "fuso": c.time_zone, "horario": c.week,
            "feriados_nacionais": c.national_holidays, "pontos_facultativos": c.optional_points })
}

fn holiday_json(h: &holiday::Model) -> Value {
    json!({ "data": h.day.format("%d/%m/%Y").to_string(), "nome": h.name })
}

/// The audit entry of an SLA change, in its transaction.
async fn record(
    state: &AppState,
    txn: &DatabaseTransaction,
    actor: &Actor,
    action: &'static str,
    target: String,
    before: Option<Value>,
    after: Option<Value>,
) -> Result<(), AppError> {
    audit::record(
        txn,
        state.clock.now(),
        Change {
            kind: "sla",
            action,
            target,
            before,
            after,
            actor,
        },
    )
    .await?;
    Ok(())
}
