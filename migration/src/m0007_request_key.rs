//! Idempotent ticket creation: the request form carries a key of its own (made when the
//! form was served), stored with the ticket. A retry of the same form — the customer
//! pressed "Concluir" again after a timeout, or the browser re-sent the post — finds
//! the ticket the first attempt created instead of opening a second one.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Ticket {
    Table,
    CustomerId,
    RequestKey,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Ticket::Table)
                    .add_column(string_len_null(Ticket::RequestKey, 64))
                    .to_owned(),
            )
            .await?;
        // NULLs (tickets from before, the CLI) never collide.
        manager
            .create_index(
                Index::create()
                    .name("ux_ticket_customer_request_key")
                    .table(Ticket::Table)
                    .col(Ticket::CustomerId)
                    .col(Ticket::RequestKey)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("ux_ticket_customer_request_key")
                    .table(Ticket::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Ticket::Table)
                    .drop_column(Ticket::RequestKey)
                    .to_owned(),
            )
            .await
    }
}
