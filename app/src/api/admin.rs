//! Administrators' server functions: the SLA settings (calendars, holidays, each
//! activity's SLA) and the outbox's state. Everyone else gets 401 (visitors) or 403.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::calendar::{ActivitySlaInput, CalendarInput, HolidayInput, SlaSettings};
use crate::error::AppError;

/// Calendars with their holidays, the activities' SLA and the outbox.
#[server(endpoint = "admin-sla")]
pub async fn get_sla_settings() -> Result<SlaSettings, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::settings(&state).await
    })
    .await
}

/// Creates or changes a calendar; answers its id.
#[server(endpoint = "admin-calendar-save", input = Json)]
pub async fn save_calendar(input: CalendarInput) -> Result<i32, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::save_calendar(&state, input).await
    })
    .await
}

#[server(endpoint = "admin-holiday-add", input = Json)]
pub async fn add_holiday(input: HolidayInput) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::add_holiday(&state, input).await
    })
    .await
}

#[server(endpoint = "admin-holiday-remove", input = Json)]
pub async fn remove_holiday(id: i32) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::remove_holiday(&state, id).await
    })
    .await
}

#[server(endpoint = "admin-activity-sla", input = Json)]
pub async fn set_activity_sla(input: ActivitySlaInput) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_staff(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::set_activity_sla(&state, input).await
    })
    .await
}
