//! "Meus Tickets": the signed-in customer's tickets, paged in the database.

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

pub const PAGE_SIZE: u64 = 20;

/// One row of "Meus Tickets", in the seed's columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketRow {
    pub number: i64,
    pub ticket_type: String,
    pub service: String,
    pub request: String,
    /// dd/mm/aaaa hh:mm in the instance's time zone.
    pub created_at: String,
    pub task: String,
    pub group: String,
    pub situation: String,
    /// Business hours of the SLA, `None` for "A combinar".
    pub sla_hours: Option<i32>,
    pub deadline: Option<String>,
    /// normal, em_risco, atrasado
    pub sla_status: String,
    pub priority: i16,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TicketPage {
    pub total: u64,
    pub page: u64,
    pub rows: Vec<TicketRow>,
}

#[cfg(feature = "ssr")]
mod ssr {
    use std::collections::HashMap;

    use chrono::{DateTime, Utc};
    use entity::{activity, service, support_group, ticket};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

    use super::*;
    use crate::state::AppState;

    pub fn local(state: &AppState, at: DateTime<Utc>) -> String {
        at.with_timezone(&state.time_zone)
            .format("%d/%m/%Y %H:%M")
            .to_string()
    }

    /// Normal, "em risco" once 75 % of the time is used, "atrasado" past the deadline.
    pub fn sla_status(
        created: DateTime<Utc>,
        deadline: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> &'static str {
        match deadline {
            None => "normal",
            Some(deadline) if now > deadline => "atrasado",
            Some(deadline) if (now - created) * 4 >= (deadline - created) * 3 => "em_risco",
            Some(_) => "normal",
        }
    }

    pub async fn mine(state: &AppState, customer: i32, page: u64) -> Result<TicketPage, AppError> {
        let query = ticket::Entity::find()
            .filter(ticket::Column::CustomerId.eq(customer))
            .filter(ticket::Column::Situation.eq("em_andamento"));
        let total = query.clone().count(&state.db).await?;
        let tickets = query
            .order_by_desc(ticket::Column::CreatedAt)
            .order_by_desc(ticket::Column::Id)
            .limit(PAGE_SIZE)
            .offset(page * PAGE_SIZE)
            .all(&state.db)
            .await?;
        // One query per related table for the whole page, never one per row.
        let names = |pairs: Vec<(i32, String)>| pairs.into_iter().collect::<HashMap<_, _>>();
        let services = names(
            service::Entity::find()
                .select_only()
                .column(service::Column::Id)
                .column(service::Column::Name)
                .filter(service::Column::Id.is_in(tickets.iter().map(|t| t.service_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let activities = names(
            activity::Entity::find()
                .select_only()
                .column(activity::Column::Id)
                .column(activity::Column::Name)
                .filter(activity::Column::Id.is_in(tickets.iter().map(|t| t.activity_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let groups = names(
            support_group::Entity::find()
                .select_only()
                .column(support_group::Column::Id)
                .column(support_group::Column::Name)
                .filter(support_group::Column::Id.is_in(tickets.iter().map(|t| t.group_id)))
                .into_tuple()
                .all(&state.db)
                .await?,
        );
        let now = state.clock.now();
        let rows = tickets
            .into_iter()
            .map(|t| TicketRow {
                number: t.number,
                ticket_type: t.ticket_type,
                service: services.get(&t.service_id).cloned().unwrap_or_default(),
                request: activities.get(&t.activity_id).cloned().unwrap_or_default(),
                created_at: local(state, t.created_at),
                task: t.task,
                group: groups.get(&t.group_id).cloned().unwrap_or_default(),
                situation: t.situation,
                sla_hours: t.sla_hours,
                deadline: t.deadline.map(|d| local(state, d)),
                sla_status: sla_status(t.created_at, t.deadline, now).to_owned(),
                priority: t.priority,
            })
            .collect();
        Ok(TicketPage { total, page, rows })
    }

    #[cfg(test)]
    mod tests {
        use chrono::{Duration, TimeZone, Utc};

        #[test]
        fn sla_status_thresholds() {
            let created = Utc
                .with_ymd_and_hms(2026, 1, 5, 12, 0, 0)
                .single()
                .unwrap_or_default();
            let deadline = Some(created + Duration::hours(8));
            assert_eq!(
                super::sla_status(created, None, created + Duration::days(30)),
                "normal"
            );
            assert_eq!(
                super::sla_status(created, deadline, created + Duration::hours(5)),
                "normal"
            );
            assert_eq!(
                super::sla_status(created, deadline, created + Duration::hours(6)),
                "em_risco"
            );
            assert_eq!(
                super::sla_status(created, deadline, created + Duration::hours(9)),
                "atrasado"
            );
        }
    }
}

/// The signed-in user's open tickets ("Em Andamento"), newest first, a page at a time.
#[server(endpoint = "my-tickets", input = Json)]
pub async fn my_tickets(page: u64) -> Result<TicketPage, AppError> {
    use crate::server::{respond, session, state};
    respond(
        async {
            let state = state()?;
            let me = session::require(&state).await?;
            ssr::mine(&state, me.id, page.min(100_000)).await
        }
        .await,
    )
}
