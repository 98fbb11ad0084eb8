//! A form field an activity asks for besides the description ("Número da fatura").

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "activity_field")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub activity_id: i32,
    pub label: String,
    /// text, long_text, number, date, select, checkbox, cpf, cnpj, cep
    pub kind: String,
    pub required: bool,
    /// For `select`: the options, one per line.
    pub options: String,
    pub position: i32,
    /// Shown below the field.
    pub help: String,
    /// A text's own length limit.
    pub max_length: Option<i32>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::activity::Entity",
        from = "Column::ActivityId",
        to = "super::activity::Column::Id"
    )]
    Activity,
}

impl Related<super::activity::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Activity.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
