//! Administrators' server functions: the SLA settings (calendars, holidays, each
//! activity's SLA) and the outbox's state; groups and people; the audit trail (which
//! managers may read too). Visitors get 401; everyone else "not found" (404).
//!
//! Every change is written with its audit entry (`crate::server::audit`), naming the
//! administrator and their address.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

use crate::domain::admin::{AuditFilter, AuditPage, PeopleCommand, PeopleData};
use crate::domain::calendar::{ActivitySlaInput, CalendarInput, HolidayInput, SlaSettings};
use crate::error::AppError;

/// Calendars with their holidays, the activities' SLA and the outbox.
#[server(endpoint = "admin-sla")]
pub async fn get_sla_settings() -> Result<SlaSettings, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, _| async move {
        crate::server::sla_settings::settings(&state).await
    })
    .await
}

/// Creates or changes a calendar; answers its id.
#[server(endpoint = "admin-calendar-save", input = Json)]
pub async fn save_calendar(input: CalendarInput) -> Result<i32, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        crate::server::sla_settings::save_calendar(
            &state,
            &crate::server::audit::Actor::of(&state, &me).await,
            input,
        )
        .await
    })
    .await
}

#[server(endpoint = "admin-holiday-add", input = Json)]
pub async fn add_holiday(input: HolidayInput) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        crate::server::sla_settings::add_holiday(
            &state,
            &crate::server::audit::Actor::of(&state, &me).await,
            input,
        )
        .await
    })
    .await
}

#[server(endpoint = "admin-holiday-remove", input = Json)]
pub async fn remove_holiday(id: i32) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        crate::server::sla_settings::remove_holiday(
            &state,
            &crate::server::audit::Actor::of(&state, &me).await,
            id,
        )
        .await
    })
    .await
}

#[server(endpoint = "admin-activity-sla", input = Json)]
pub async fn set_activity_sla(input: ActivitySlaInput) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        crate::server::sla_settings::set_activity_sla(
            &state,
            &crate::server::audit::Actor::of(&state, &me).await,
            input,
        )
        .await
    })
    .await
}

/// "Usuários e grupos": the users `query` finds (the staff when empty), the groups.
#[server(endpoint = "admin-people", input = Json)]
pub async fn get_people(query: String) -> Result<PeopleData, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        crate::server::people::data(&state, me.id, &query).await
    })
    .await
}

/// One change to groups or people.
#[server(endpoint = "admin-people-change", input = Json)]
pub async fn change_people(command: PeopleCommand) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        let actor = crate::server::audit::Actor::of(&state, &me).await;
        let ctx = crate::server::people::Ctx::of(&state, &actor);
        crate::server::people::apply(&ctx, me.id, command).await
    })
    .await
}

/// The audit trail, newest first: administrators and managers.
#[server(endpoint = "admin-audit", input = Json)]
pub async fn get_audit(filter: AuditFilter) -> Result<AuditPage, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin, Role::Manager], |state, _| async move {
        crate::server::audit::page(&state, &filter).await
    })
    .await
}

/// "Portfólio de serviços": the whole catalog, enabled or not.
#[server(endpoint = "admin-catalog")]
pub async fn get_catalog() -> Result<crate::domain::catalog_admin::CatalogTree, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, _| async move {
        crate::server::catalog_admin::tree(&state.db).await
    })
    .await
}

/// An activity's editor: settings, workflow, form.
#[server(endpoint = "admin-activity", input = Json)]
pub async fn get_activity(
    id: i32,
) -> Result<crate::domain::catalog_admin::ActivityEditor, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, _| async move {
        crate::server::catalog_admin::editor(&state.db, id).await
    })
    .await
}

/// One change to the catalog.
#[server(endpoint = "admin-catalog-change", input = Json)]
pub async fn change_catalog(
    command: crate::domain::catalog_admin::CatalogCommand,
) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        let actor = crate::server::audit::Actor::of(&state, &me).await;
        crate::server::catalog_admin::apply(&state, &actor, command).await
    })
    .await
}

/// "Configurações": the settings in force.
#[server(endpoint = "admin-settings")]
pub async fn get_settings() -> Result<crate::domain::settings::SettingsData, AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, _| async move {
        Ok(crate::server::settings::data(&state))
    })
    .await
}

/// Saves the settings; they apply at once.
#[server(endpoint = "admin-settings-save", input = Json)]
pub async fn save_settings(input: crate::domain::settings::SettingsInput) -> Result<(), AppError> {
    use crate::domain::account::Role;
    crate::server::guard::as_admin(&[Role::Admin], |state, me| async move {
        let actor = crate::server::audit::Actor::of(&state, &me).await;
        crate::server::settings::save(&state, &actor, input).await
    })
    .await
}
