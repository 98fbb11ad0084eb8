//! One e-mail to one recipient, written in the transaction of the change that causes it
//! and sent by the outbox worker. `state`: pendente, enviada, falhou (refused for good,
//! or out of attempts).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "outbox")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// The `Message-ID` header, without angle brackets: the same on every attempt.
    #[sea_orm(unique)]
    pub message_id: String,
    /// What it announces ("aberto", "risco"…), see `app::server::notify::Kind`.
    pub kind: String,
    pub ticket_id: Option<i64>,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub state: String,
    pub attempts: i32,
    pub next_attempt_at: DateTimeUtc,
    pub last_error: Option<String>,
    pub created_at: DateTimeUtc,
    pub sent_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
