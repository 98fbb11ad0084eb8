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
}

impl Related<super::service::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Service.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
