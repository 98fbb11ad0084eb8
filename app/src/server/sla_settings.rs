//! SLA settings, for administrators: business calendars and their holidays, each
//! activity's calendar and targets, and the outbox's state. Tickets already open keep
//! the deadline they have; the new settings apply to tickets opened (or reclassified,
//! resumed, reopened) afterwards.

use chrono::NaiveDate;
use entity::{activity, calendar, holiday, service};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder, Set,
};

use crate::domain::calendar::{
    ActivitySlaInput, ActivitySlaRow, CalendarInput, CalendarRow, HolidayInput, HolidayRow,
    SlaSettings,
};
use crate::domain::{Field, FieldErrors, Problem};
use crate::error::AppError;
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
pub async fn save_calendar(state: &AppState, input: CalendarInput) -> Result<i32, AppError> {
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
    let row = match input.id {
        Some(id) => {
            let mut row = calendar::Entity::find_by_id(id)
                .one(&state.db)
                .await?
                .ok_or(AppError::NotFound)?
                .into_active_model();
            row.name = Set(name);
            row.time_zone = Set(zone.to_owned());
            row.week = Set(week);
            row.national_holidays = Set(input.national_holidays);
            row.optional_points = Set(input.optional_points);
            row.update(&state.db).await?
        }
        None => {
            calendar::ActiveModel {
                name: Set(name),
                time_zone: Set(zone.to_owned()),
                week: Set(week),
                national_holidays: Set(input.national_holidays),
                optional_points: Set(input.optional_points),
                ..Default::default()
            }
            .insert(&state.db)
            .await?
        }
    };
    Ok(row.id)
}

pub async fn add_holiday(state: &AppState, input: HolidayInput) -> Result<(), AppError> {
    let ((y, m, d), name) = input.validate()?;
    let day = NaiveDate::from_ymd_opt(y, m, d)
        .ok_or_else(|| FieldErrors::single(Field::HolidayDate, Problem::InvalidDate))?;
    if calendar::Entity::find_by_id(input.calendar)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Err(FieldErrors::single(Field::Calendar, Problem::InvalidChoice).into());
    }
    let exists = holiday::Entity::find()
        .filter(holiday::Column::CalendarId.eq(input.calendar))
        .filter(holiday::Column::Day.eq(day))
        .one(&state.db)
        .await?
        .is_some();
    if exists {
        return Err(FieldErrors::single(Field::HolidayDate, Problem::NameTaken).into());
    }
    holiday::ActiveModel {
        calendar_id: Set(input.calendar),
        day: Set(day),
        name: Set(name),
        ..Default::default()
    }
    .insert(&state.db)
    .await?;
    Ok(())
}

pub async fn remove_holiday(state: &AppState, id: i32) -> Result<(), AppError> {
    let removed = holiday::Entity::delete_by_id(id).exec(&state.db).await?;
    if removed.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn set_activity_sla(state: &AppState, input: ActivitySlaInput) -> Result<(), AppError> {
    let (target, first) = input.validate()?;
    if calendar::Entity::find_by_id(input.calendar)
        .one(&state.db)
        .await?
        .is_none()
    {
        return Err(FieldErrors::single(Field::Calendar, Problem::InvalidChoice).into());
    }
    let updated = activity::Entity::update_many()
        .col_expr(
            activity::Column::CalendarId,
            Expr::value(Some(input.calendar)),
        )
        .col_expr(activity::Column::SlaHours, Expr::value(target))
        .col_expr(activity::Column::FirstResponseHours, Expr::value(first))
        .filter(activity::Column::Id.eq(input.activity))
        .exec(&state.db)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}
