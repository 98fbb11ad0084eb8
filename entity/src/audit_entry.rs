//! One administrative change: who made it, when, from where, and the item before and
//! after (JSON). Only ever inserted and read.
use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_entry")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    /// The administrator; none for the command line.
    pub actor_id: Option<i32>,
    /// The actor's login at the time ("linha de comando" for the command line).
    pub actor: String,
    /// The client's address ("" for the command line).
    pub address: String,
    /// What kind of thing changed: `usuario`, `grupo`, `sla`, `catalogo`, `configuracao`.
    pub kind: String,
    /// What was done: `criar`, `alterar`, `desativar`, …
    pub action: String,
    /// Which item, readable ("Ana Atendente (ana)").
    pub target: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
