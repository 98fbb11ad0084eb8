//! Answers of the CEP provider, kept so a CEP is asked once (also "not found" answers).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cep_cache")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cep: String,
    pub found: bool,
    pub street: String,
    pub district: String,
    pub city: String,
    pub uf: String,
    pub fetched_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
