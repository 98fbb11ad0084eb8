//! The service catalog on the server: portfolios → services → activities, the catalog
//! search, and what the request form of an activity needs. Only active items, under
//! active parents, are ever shown or requested; anything else is "not found".
//!
//! Used by the portal's server functions (`crate::api::portal`) and by ticket creation
//! (`crate::server::tickets::create`), which must see the catalog exactly as the form did.

use entity::{activity, activity_field, attachment, customer_profile, portfolio, service};
use sea_orm::{
    ColumnTrait, EntityTrait, JoinType, QueryFilter, QueryOrder, QuerySelect, RelationTrait,
};

use crate::domain::account::PersonType;
use crate::domain::attachment::AttachmentInfo;
use crate::domain::catalog::{Card, CatalogLevel, Crumb, RequestFormData, SEARCH_MAX, SearchHit};
use crate::domain::documents::search_key;
use crate::domain::ids::{ActivityId, PortfolioId, ServiceId, UserId};
use crate::domain::request::{FieldKind, FieldSpec, RequestProfile, priority};
use crate::error::AppError;
use crate::state::AppState;

/// The caller's uploads not yet part of a ticket, oldest first.
async fn staged_uploads(state: &AppState, user: UserId) -> Result<Vec<AttachmentInfo>, AppError> {
    Ok(attachment::Entity::find()
        .filter(attachment::Column::OwnerId.eq(user.get()))
        .filter(attachment::Column::TicketId.is_null())
        .order_by_asc(attachment::Column::Id)
        .all(&state.db)
        .await?
        .into_iter()
        .map(|row| AttachmentInfo {
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

/// An active portfolio, or "not found".
pub async fn active_portfolio(
    state: &AppState,
    id: PortfolioId,
) -> Result<portfolio::Model, AppError> {
    portfolio::Entity::find_by_id(id.get())
        .filter(portfolio::Column::Active.eq(true))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// An active service of this portfolio, or "not found" (also when it belongs to another
/// portfolio: a hand-edited URL gets nothing).
pub async fn active_service(
    state: &AppState,
    portfolio: PortfolioId,
    id: ServiceId,
) -> Result<service::Model, AppError> {
    service::Entity::find_by_id(id.get())
        .filter(service::Column::PortfolioId.eq(portfolio.get()))
        .filter(service::Column::Active.eq(true))
        .one(&state.db)
        .await?
        .ok_or(AppError::NotFound)
}

/// "Portal": the active portfolios, in their order.
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

/// The active services of an active portfolio.
pub async fn services(
    state: &AppState,
    portfolio_id: PortfolioId,
) -> Result<CatalogLevel, AppError> {
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

/// The active activities of an active service of an active portfolio.
pub async fn activities(
    state: &AppState,
    portfolio_id: PortfolioId,
    service_id: ServiceId,
) -> Result<CatalogLevel, AppError> {
    let portfolio = active_portfolio(state, portfolio_id).await?;
    let service = active_service(state, PortfolioId(portfolio.id), service_id).await?;
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
    let portfolios: std::collections::HashMap<i32, portfolio::Model> = portfolio::Entity::find()
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

/// An activity's extra field as the form shows it; `None` for a kind this version does
/// not know (the field is left out rather than the form refused).
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
        help: field.help,
        max_length: field.max_length,
    })
}

/// An activity's extra fields, in their order.
pub async fn field_specs(
    db: &sea_orm::DatabaseConnection,
    activity: ActivityId,
) -> Result<Vec<FieldSpec>, AppError> {
    Ok(activity_field::Entity::find()
        .filter(activity_field::Column::ActivityId.eq(activity.get()))
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
    activity_id: ActivityId,
) -> Result<(service::Model, activity::Model), AppError> {
    let (activity, service) = activity::Entity::find_by_id(activity_id.get())
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

/// The profile saved with a customer's last request.
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

/// What the request form of an activity shows to `user`: the way there, the activity's
/// fields, the saved profile, the staged uploads and a fresh form key. The three ids
/// must name one path of the catalog, else "not found".
pub async fn request_form(
    state: &AppState,
    user: UserId,
    portfolio_id: PortfolioId,
    service_id: ServiceId,
    activity_id: ActivityId,
) -> Result<RequestFormData, AppError> {
    let (service, activity) = open_activity(state, activity_id).await?;
    if service.portfolio_id != portfolio_id.get() || service.id != service_id.get() {
        return Err(AppError::NotFound);
    }
    let portfolio = active_portfolio(state, portfolio_id).await?;
    let profile = customer_profile::Entity::find_by_id(user.get())
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
        fields: field_specs(&state.db, ActivityId(activity.id)).await?,
        profile,
        limits: state.attachments.limits(),
        staged: staged_uploads(state, user).await?,
        request_key: crate::server::tokens::random_token(),
    })
}
