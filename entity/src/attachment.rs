//! A file attached to a ticket, or staged by its owner while the request form is open
//! (`ticket_id` is then empty). The bytes live under the data directory, named by
//! `sha256`; `name` is the original file name, kept only as metadata.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "attachment")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub ticket_id: Option<i64>,
    pub owner_id: i32,
    pub sha256: String,
    pub size: i64,
    pub name: String,
    pub content_type: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
