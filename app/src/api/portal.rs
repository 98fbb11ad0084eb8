//! The service portal: portfolios → services → activities, the catalog search, and what
//! the request form of an activity needs. Signed-in users only. The work is done in
//! `crate::server::catalog`.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub use crate::domain::catalog::{
    Card, CatalogLevel, Crumb, RequestFormData, SEARCH_MAX, SearchHit,
};
use crate::error::AppError;

/// The functions that lived here before `crate::server::catalog`, at their old paths,
/// for code written against them; remove once nothing uses them. Those whose signature
/// changed (typed ids) are only in `crate::server::catalog`.
#[cfg(feature = "ssr")]
pub mod ssr {
    pub use crate::server::catalog::{field_spec, portfolios, profile_of, search};
}

/// The portfolios ("Portal").
#[server(endpoint = "portal")]
pub async fn portal_portfolios() -> Result<CatalogLevel, AppError> {
    use crate::server::catalog;
    crate::server::guard::as_signed_in(|state, _| async move { catalog::portfolios(&state).await })
        .await
}

/// The services of a portfolio.
#[server(endpoint = "portal-services", input = Json)]
pub async fn portal_services(portfolio_id: i32) -> Result<CatalogLevel, AppError> {
    use crate::domain::ids::PortfolioId;
    use crate::server::catalog;
    crate::server::guard::as_signed_in(|state, _| async move {
        catalog::services(&state, PortfolioId(portfolio_id)).await
    })
    .await
}

/// The activities of a service.
#[server(endpoint = "portal-activities", input = Json)]
pub async fn portal_activities(
    portfolio_id: i32,
    service_id: i32,
) -> Result<CatalogLevel, AppError> {
    use crate::domain::ids::{PortfolioId, ServiceId};
    use crate::server::catalog;
    crate::server::guard::as_signed_in(|state, _| async move {
        catalog::activities(&state, PortfolioId(portfolio_id), ServiceId(service_id)).await
    })
    .await
}

/// "Pesquise aqui": activities whose portfolio, service, name or description contain
/// every word, accents and case aside.
#[server(endpoint = "portal-search", input = Json)]
pub async fn portal_search(query: String) -> Result<Vec<SearchHit>, AppError> {
    use crate::server::catalog;
    crate::server::guard::as_signed_in(
        |state, _| async move { catalog::search(&state, &query).await },
    )
    .await
}

/// What the request form of an activity shows, with the caller's saved profile.
#[server(endpoint = "request-form", input = Json)]
pub async fn request_form(
    portfolio_id: i32,
    service_id: i32,
    activity_id: i32,
) -> Result<RequestFormData, AppError> {
    use crate::domain::ids::{ActivityId, PortfolioId, ServiceId};
    use crate::server::catalog;
    crate::server::guard::as_customer(|state, me| async move {
        catalog::request_form(
            &state,
            me.user_id(),
            PortfolioId(portfolio_id),
            ServiceId(service_id),
            ActivityId(activity_id),
        )
        .await
    })
    .await
}
