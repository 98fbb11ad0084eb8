//! An activity of a service ("Correção de Faturas"): what a customer actually requests.
//! It names the task a new ticket starts in ("Triagem") and the group that gets it.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub service_id: i32,
    pub name: String,
    pub description: String,
    pub position: i32,
    pub initial_task: String,
    pub initial_group_id: i32,
    pub active: bool,
    /// "R" Requisição or "I" Incidente.
    pub ticket_type: String,
    /// 1 (high) to 3 (low); with `urgency` gives the priority.
    pub impact: i32,
    pub urgency: i32,
    /// Business hours to solve; `None` is "A combinar" (no deadline until staff set one).
    pub sla_hours: Option<i32>,
    /// Accent-free lower-case "portfolio service activity", for the portal search.
    pub search_key: String,
    /// The business calendar of its SLA; none is the default calendar (row 1).
    pub calendar_id: Option<i32>,
    /// Business hours to the first response, if the SLA sets a target for it.
    pub first_response_hours: Option<i32>,
    /// Raised by every administrative change of the activity (settings, form): a change
    /// made on an older version is refused.
    pub version: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::service::Entity",
        from = "Column::ServiceId",
        to = "super::service::Column::Id"
    )]
    Service,
    #[sea_orm(
        belongs_to = "super::support_group::Entity",
        from = "Column::InitialGroupId",
        to = "super::support_group::Column::Id"
    )]
    InitialGroup,
    #[sea_orm(has_many = "super::activity_field::Entity")]
    Field,
}

impl Related<super::activity_field::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Field.def()
    }
}

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
