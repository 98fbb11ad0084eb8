//! One task of a workflow ("Triagem", "Atendimento", "Validação"), in order. Rows
//! without an activity are the default workflow, used by every activity without its own.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workflow_step")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: Option<i32>,
    pub position: i32,
    pub name: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
