//! Attachments: files kept under the data directory by their SHA-256, described here.
//! A row without a ticket is a staged upload of its owner (the request form is still
//! open); opening the request links it to the ticket in the same transaction.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Attachment {
    Table,
    Id,
    TicketId,
    OwnerId,
    Sha256,
    Size,
    Name,
    ContentType,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Attachment::Table)
                    .col(big_pk_auto(Attachment::Id))
                    .col(big_integer_null(Attachment::TicketId))
                    .col(integer(Attachment::OwnerId))
                    .col(string_len(Attachment::Sha256, 64))
                    .col(big_integer(Attachment::Size))
                    .col(string_len(Attachment::Name, 255))
                    .col(string_len(Attachment::ContentType, 128))
                    .col(timestamp_with_time_zone(Attachment::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_ticket")
                            .from(Attachment::Table, Attachment::TicketId)
                            .to(Ticket::Table, Ticket::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attachment_owner")
                            .from(Attachment::Table, Attachment::OwnerId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("ix_attachment_ticket", vec![Attachment::TicketId]),
            (
                "ix_attachment_owner_staged",
                vec![Attachment::OwnerId, Attachment::TicketId],
            ),
            ("ix_attachment_sha256", vec![Attachment::Sha256]),
        ] {
            let mut index = Index::create();
            index.name(name).table(Attachment::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Attachment::Table).to_owned())
            .await
    }
}
