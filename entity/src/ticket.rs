//! A ticket: one request of a customer, with its number, priority, deadline and where
//! it stands (task, group, situation).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ticket")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// What people see and say ("31208"): unique, increasing, without gaps.
    #[sea_orm(unique)]
    pub number: i64,
    pub customer_id: i32,
    pub activity_id: i32,
    pub service_id: i32,
    pub ticket_type: String,
    pub title: String,
    pub description: String,
    /// The activity's own fields as sent: JSON `[{"label":…,"value":…}]`.
    pub fields: String,
    /// The customer's profile when the request was made (JSON).
    pub profile: String,
    pub priority: i16,
    pub sla_hours: Option<i32>,
    /// "Prazo limite"; `None` while the SLA is "A combinar".
    pub deadline: Option<DateTimeUtc>,
    pub task: String,
    pub group_id: i32,
    /// em_andamento, suspensa, fechada, cancelada
    pub situation: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub closed_at: Option<DateTimeUtc>,
    /// Number, service, request, title and description, lower-case and accent-free.
    pub search_key: String,
    /// "Solução": what staff wrote when closing.
    pub solution: Option<String>,
    /// "Opinião": elogio or queixa, with its text.
    pub opinion_kind: Option<String>,
    pub opinion_text: Option<String>,
    pub opinion_at: Option<DateTimeUtc>,
    /// "Pesquisa de satisfação": 1 to 5, once per closure.
    pub rating: Option<i16>,
    pub rating_comment: Option<String>,
    pub rated_at: Option<DateTimeUtc>,
    /// The key of the request form that created this ticket (idempotent creation).
    pub request_key: Option<String>,
    /// "Responsável": the agent working the ticket, none until one captures it.
    pub assignee_id: Option<i32>,
    /// Bumped by every change; a staff action sent with an older one is refused.
    pub version: i32,
    /// The first public reply or task change by staff.
    pub first_response_at: Option<DateTimeUtc>,
    /// When three quarters of the time to the deadline have passed ("Em risco").
    pub risk_at: Option<DateTimeUtc>,
    /// Why the ticket is suspended, or was cancelled (shown to the customer).
    pub status_reason: Option<String>,
    /// 1 (high) to 3 (low), as the activity set them until staff reclassify.
    pub impact: i32,
    pub urgency: i32,
    /// The customer's name, login and CPF/CNPJ at opening, lower-case and accent-free:
    /// what staff search besides `search_key`.
    pub staff_key: String,
    /// What the SLA watcher has announced: 0 nothing, 1 "Em risco", 2 "Atrasado".
    pub sla_state: i16,
    /// Since when the ticket is suspended (its SLA clock stands still); see `ticket_pause`.
    pub paused_at: Option<DateTimeUtc>,
    /// When the first response is due, if the SLA has a first-response target.
    pub first_response_due: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
