//! The service portal: portfolios → services → activities, the catalog search, and what
//! the request form of an activity needs. Signed-in users only.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::domain::request::{FieldSpec, RequestProfileInput};
use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Card {
    pub id: i32,
    pub name: String,
    pub description: String,
}

/// One step of the breadcrumb "Portal / portfolio / service / activity".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crumb {
    pub id: i32,
    pub name: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogLevel {
    /// The way here: empty for the portfolios, [portfolio] for its services, …
    pub trail: Vec<Crumb>,
    pub items: Vec<Card>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchHit {
    pub portfolio: Crumb,
    pub service: Crumb,
    pub activity: Card,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFormData {
    pub portfolio: Crumb,
    pub service: Crumb,
    pub activity: Crumb,
    pub description: String,
    pub ticket_type: String,
    pub priority: i16,
    pub sla_hours: Option<i32>,
    pub fields: Vec<FieldSpec>,
    /// The profile saved with the customer's last request, to fill the form.
    pub profile: Option<RequestProfileInput>,
    /// How many and how large attachments may be.
    pub limits: crate::domain::attachment::AttachmentLimits,
    /// Files the customer uploaded for a request not sent yet (a reload keeps them).
    pub staged: Vec<crate::domain::attachment::AttachmentInfo>,
    /// This form's key, new each time the form is served (idempotent creation).
    pub request_key: String,
}

/// The longest portal search (the search box's `maxlength`).
pub const SEARCH_MAX: usize = 100;

#[cfg(feature = "ssr")]
pub mod ssr {
    use entity::{activity, activity_field, customer_profile, portfolio, service};
    use sea_orm::{
        ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
    };

    use super::*;
    use crate::domain::account::PersonType;
    use crate::domain::documents::search_key;
    use crate::domain::request::{FieldKind, RequestProfile, priority};
    use crate::state::AppState;

    /// The caller's uploads not yet part of a ticket, oldest first.
    async fn staged_uploads(
        state: &AppState,
        user_id: i32,
    ) -> Result<Vec<crate::domain::attachment::AttachmentInfo>, AppError> {
        use entity::attachment;
        Ok(attachment::Entity::find()
            .filter(attachment::Column::OwnerId.eq(user_id))
            .filter(attachment::Column::TicketId.is_null())
            .order_by_asc(attachment::Column::Id)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|row| crate::domain::attachment::AttachmentInfo {
                id: row.id,
                name: row.name,
                size: row.size.max(0) as u64,
                content_type: row.content_type,
            })
            .collect())
    }

    fn crumb(id: i32, name: &str) -> Crumb {
        Crumb {
            id,
            name: name.to_owned(),
        }
    }

    pub async fn active_portfolio(state: &AppState, id: i32) -> Result<portfolio::Model, AppError> {
        portfolio::Entity::find_by_id(id)
            .filter(portfolio::Column::Active.eq(true))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn active_service(
        state: &AppState,
        portfolio_id: i32,
        id: i32,
    ) -> Result<service::Model, AppError> {
        service::Entity::find_by_id(id)
            .filter(service::Column::PortfolioId.eq(portfolio_id))
            .filter(service::Column::Active.eq(true))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)
    }

    pub async fn portfolios(state: &AppState) -> Result<CatalogLevel, AppError> {
        let items = portfolio::Entity::find()
            .filter(portfolio::Column::Active.eq(true))
            .order_by_asc(portfolio::Column::Position)
            .order_by_asc(portfolio::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|p| Card {
                id: p.id,
                name: p.name,
                description: p.description,
            })
            .collect();
        Ok(CatalogLevel {
            trail: vec![],
            items,
        })
    }

    pub async fn services(state: &AppState, portfolio_id: i32) -> Result<CatalogLevel, AppError> {
        let portfolio = active_portfolio(state, portfolio_id).await?;
        let items = service::Entity::find()
            .filter(service::Column::PortfolioId.eq(portfolio.id))
            .filter(service::Column::Active.eq(true))
            .order_by_asc(service::Column::Position)
            .order_by_asc(service::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|s| Card {
                id: s.id,
                name: s.name,
                description: s.description,
            })
            .collect();
        Ok(CatalogLevel {
            trail: vec![crumb(portfolio.id, &portfolio.name)],
            items,
        })
    }

    pub async fn activities(
        state: &AppState,
        portfolio_id: i32,
        service_id: i32,
    ) -> Result<CatalogLevel, AppError> {
        let portfolio = active_portfolio(state, portfolio_id).await?;
        let service = active_service(state, portfolio.id, service_id).await?;
        let items = activity::Entity::find()
            .filter(activity::Column::ServiceId.eq(service.id))
            .filter(activity::Column::Active.eq(true))
            .order_by_asc(activity::Column::Position)
            .order_by_asc(activity::Column::Name)
            .all(&state.db)
            .await?
            .into_iter()
            .map(|a| Card {
                id: a.id,
                name: a.name,
                description: a.description,
            })
            .collect();
        Ok(CatalogLevel {
            trail: vec![
                crumb(portfolio.id, &portfolio.name),
                crumb(service.id, &service.name),
            ],
            items,
        })
    }

    /// Every word of the query must appear, accents and case aside.
    pub async fn search(state: &AppState, query: &str) -> Result<Vec<SearchHit>, AppError> {
        // As long as the search box lets anyone type, without control characters,
        // whatever the caller sent.
        let query: String = query
            .chars()
            .filter(|c| !c.is_control())
            .take(SEARCH_MAX)
            .collect();
        let words: Vec<String> = search_key(&query)
            .split_whitespace()
            .filter(|w| !w.is_empty())
            .take(8)
            .map(|w| w.replace(['%', '_', '\\'], ""))
            .filter(|w| !w.is_empty())
            .collect();
        if words.is_empty() {
            return Ok(vec![]);
        }
        let mut select = activity::Entity::find().filter(activity::Column::Active.eq(true));
        for word in &words {
            select = select.filter(activity::Column::SearchKey.contains(word.as_str()));
        }
        let found = select
            .order_by_asc(activity::Column::Name)
            .find_also_related(service::Entity)
            .limit(50)
            .all(&state.db)
            .await?;
        // The hits' portfolios in one query, not one per hit.
        let portfolios: std::collections::HashMap<i32, portfolio::Model> =
            portfolio::Entity::find()
                .filter(portfolio::Column::Active.eq(true))
                .filter(
                    portfolio::Column::Id.is_in(
                        found
                            .iter()
                            .filter_map(|(_, s)| s.as_ref().map(|s| s.portfolio_id)),
                    ),
                )
                .all(&state.db)
                .await?
                .into_iter()
                .map(|p| (p.id, p))
                .collect();
        let mut hits = Vec::new();
        for (activity, service) in found {
            let Some(service) = service.filter(|s| s.active) else {
                continue;
            };
            let Some(portfolio) = portfolios.get(&service.portfolio_id) else {
                continue;
            };
            hits.push(SearchHit {
                portfolio: crumb(portfolio.id, &portfolio.name),
                service: crumb(service.id, &service.name),
                activity: Card {
                    id: activity.id,
                    name: activity.name,
                    description: activity.description,
                },
            });
        }
        Ok(hits)
    }

    pub fn field_spec(field: activity_field::Model) -> Option<FieldSpec> {
        Some(FieldSpec {
            id: field.id,
            label: field.label,
            kind: FieldKind::from_code(&field.kind)?,
            required: field.required,
            options: field
                .options
                .lines()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_owned)
                .collect(),
        })
    }

    pub async fn field_specs(
        db: &sea_orm::DatabaseConnection,
        activity_id: i32,
    ) -> Result<Vec<FieldSpec>, AppError> {
        Ok(activity_field::Entity::find()
            .filter(activity_field::Column::ActivityId.eq(activity_id))
            .order_by_asc(activity_field::Column::Position)
            .order_by_asc(activity_field::Column::Id)
            .all(db)
            .await?
            .into_iter()
            .filter_map(field_spec)
            .collect())
    }

    /// The activity with its service, both active under an active portfolio, in one
    /// query; `NotFound` otherwise.
    pub async fn open_activity(
        state: &AppState,
        activity_id: i32,
    ) -> Result<(service::Model, activity::Model), AppError> {
        let (activity, service) = activity::Entity::find_by_id(activity_id)
            .filter(activity::Column::Active.eq(true))
            .find_also_related(service::Entity)
            .filter(service::Column::Active.eq(true))
            .join(JoinType::InnerJoin, service::Relation::Portfolio.def())
            .filter(portfolio::Column::Active.eq(true))
            .one(&state.db)
            .await?
            .ok_or(AppError::NotFound)?;
        Ok((service.ok_or(AppError::NotFound)?, activity))
    }

    pub fn profile_of(row: customer_profile::Model) -> RequestProfile {
        RequestProfile {
            nature: PersonType::from_code(&row.nature).unwrap_or(PersonType::Fisica),
            document: row.document,
            cep: row.cep,
            street: row.street,
            number: row.number,
            complement: row.complement,
            district: row.district,
            city: row.city,
            uf: row.uf,
        }
    }

    pub async fn request_form(
        state: &AppState,
        user_id: i32,
        portfolio_id: i32,
        service_id: i32,
        activity_id: i32,
    ) -> Result<RequestFormData, AppError> {
        let (service, activity) = open_activity(state, activity_id).await?;
        if service.portfolio_id != portfolio_id || service.id != service_id {
            return Err(AppError::NotFound);
        }
        let portfolio = active_portfolio(state, portfolio_id).await?;
        let profile = customer_profile::Entity::find_by_id(user_id)
            .one(&state.db)
            .await?
            .map(|row| profile_of(row).as_input());
        Ok(RequestFormData {
            portfolio: crumb(portfolio.id, &portfolio.name),
            service: crumb(service.id, &service.name),
            activity: crumb(activity.id, &activity.name),
            description: activity.description.clone(),
            ticket_type: activity.ticket_type.clone(),
            priority: priority(activity.impact, activity.urgency),
            sla_hours: activity.sla_hours,
            fields: field_specs(&state.db, activity.id).await?,
            profile,
            limits: state.attachments.limits,
            staged: staged_uploads(state, user_id).await?,
            request_key: crate::server::tokens::random_token(),
        })
    }
}

/// The portfolios ("Portal").
#[server(endpoint = "portal")]
pub async fn portal_portfolios() -> Result<CatalogLevel, AppError> {
    crate::server::guard::as_signed_in(|state, _| async move { ssr::portfolios(&state).await })
        .await
}

/// The services of a portfolio.
#[server(endpoint = "portal-services", input = Json)]
pub async fn portal_services(portfolio_id: i32) -> Result<CatalogLevel, AppError> {
    crate::server::guard::as_signed_in(|state, _| async move {
        ssr::services(&state, portfolio_id).await
    })
    .await
}

/// The activities of a service.
#[server(endpoint = "portal-activities", input = Json)]
pub async fn portal_activities(
    portfolio_id: i32,
    service_id: i32,
) -> Result<CatalogLevel, AppError> {
    crate::server::guard::as_signed_in(|state, _| async move {
        ssr::activities(&state, portfolio_id, service_id).await
    })
    .await
}

/// "Pesquise aqui": activities whose portfolio, service, name or description contain
/// every word, accents and case aside.
#[server(endpoint = "portal-search", input = Json)]
pub async fn portal_search(query: String) -> Result<Vec<SearchHit>, AppError> {
    crate::server::guard::as_signed_in(|state, _| async move { ssr::search(&state, &query).await })
        .await
}

/// What the request form of an activity shows, with the caller's saved profile.
#[server(endpoint = "request-form", input = Json)]
pub async fn request_form(
    portfolio_id: i32,
    service_id: i32,
    activity_id: i32,
) -> Result<RequestFormData, AppError> {
    crate::server::guard::as_customer(|state, me| async move {
        ssr::request_form(&state, me.id, portfolio_id, service_id, activity_id).await
    })
    .await
}
