//! Following a ticket ("Meus Tickets"): a search key over number, service, request,
//! title and description (lower-case, accent-free, computed by the application so one
//! LIKE works on both engines), the solution staff wrote, the customer's opinion and
//! satisfaction score, and one index per way the list can be sorted.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Ticket {
    Table,
    CustomerId,
    Situation,
    CreatedAt,
    Number,
    Deadline,
    Priority,
    SearchKey,
    Solution,
    OpinionKind,
    OpinionText,
    OpinionAt,
    Rating,
    RatingComment,
    RatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            text(Ticket::SearchKey).default("").to_owned(),
            text_null(Ticket::Solution).to_owned(),
            string_len_null(Ticket::OpinionKind, 8).to_owned(),
            text_null(Ticket::OpinionText).to_owned(),
            timestamp_with_time_zone_null(Ticket::OpinionAt).to_owned(),
            small_integer_null(Ticket::Rating).to_owned(),
            text_null(Ticket::RatingComment).to_owned(),
            timestamp_with_time_zone_null(Ticket::RatedAt).to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ticket::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        // Tickets made before this migration: searchable by their title and description.
        manager
            .get_connection()
            .execute_unprepared("UPDATE ticket SET search_key = LOWER(title || ' ' || description)")
            .await?;
        // One index per sort, each led by customer and situation (the list's filter).
        for (name, sort) in [
            ("ix_ticket_customer_situation_created", Ticket::CreatedAt),
            ("ix_ticket_customer_situation_number", Ticket::Number),
            ("ix_ticket_customer_situation_deadline", Ticket::Deadline),
            ("ix_ticket_customer_situation_priority", Ticket::Priority),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(Ticket::Table)
                        .col(Ticket::CustomerId)
                        .col(Ticket::Situation)
                        .col(sort)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_customer_number")
                    .table(Ticket::Table)
                    .col(Ticket::CustomerId)
                    .col(Ticket::Number)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for name in [
            "ix_ticket_customer_number",
            "ix_ticket_customer_situation_priority",
            "ix_ticket_customer_situation_deadline",
            "ix_ticket_customer_situation_number",
            "ix_ticket_customer_situation_created",
        ] {
            manager
                .drop_index(Index::drop().name(name).table(Ticket::Table).to_owned())
                .await?;
        }
        for column in [
            Ticket::RatedAt,
            Ticket::RatingComment,
            Ticket::Rating,
            Ticket::OpinionAt,
            Ticket::OpinionText,
            Ticket::OpinionKind,
            Ticket::Solution,
            Ticket::SearchKey,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ticket::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
