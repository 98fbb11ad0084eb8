//! A person who signs in: a customer (solicitante) or staff (agent, manager, admin).
//! `login_key`/`email_key` are the lower-cased forms that make both unique regardless of
//! case. `password_hash` is an argon2id PHC string.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "user_account")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    pub login: String,
    #[sea_orm(unique)]
    pub login_key: String,
    pub email: String,
    #[sea_orm(unique)]
    pub email_key: String,
    pub name: String,
    pub person_type: String,
    pub phone: String,
    pub cep: String,
    pub address: String,
    pub role: String,
    pub password_hash: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// Optional notifications turned off in "Meu perfil": kind codes, comma-separated.
    pub mail_muted: String,
    /// The language of the user's mail: "pt" or "en".
    pub language: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::session::Entity")]
    Session,
    #[sea_orm(has_many = "super::user_group::Entity")]
    UserGroup,
}

impl Related<super::session::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Session.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
