//! Requests: what an activity asks (ticket type, impact, urgency, SLA, its own form
//! fields), the customer's profile for requests, tickets with gapless numbers, and
//! their history. Search keys are lower-case and accent-free, computed by the
//! application, so one LIKE works the same on SQLite and PostgreSQL.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
    TicketType,
    Impact,
    Urgency,
    SlaHours,
    SearchKey,
}

#[derive(DeriveIden)]
enum ActivityField {
    Table,
    Id,
    ActivityId,
    Label,
    Kind,
    Required,
    Options,
    Position,
}

#[derive(DeriveIden)]
enum CustomerProfile {
    Table,
    UserId,
    Nature,
    Document,
    Cep,
    Street,
    Number,
    Complement,
    District,
    City,
    Uf,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum SupportGroup {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Service {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum TicketCounter {
    Table,
    Id,
    LastNumber,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
    Number,
    CustomerId,
    ActivityId,
    ServiceId,
    TicketType,
    Title,
    Description,
    Fields,
    Profile,
    Priority,
    SlaHours,
    Deadline,
    Task,
    GroupId,
    Situation,
    CreatedAt,
    UpdatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum TicketEvent {
    Table,
    Id,
    TicketId,
    At,
    ActorId,
    Kind,
    Detail,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            string_len(Activity::TicketType, 1).default("R").to_owned(),
            integer(Activity::Impact).default(3).to_owned(),
            integer(Activity::Urgency).default(3).to_owned(),
            integer_null(Activity::SlaHours).to_owned(),
            string_len(Activity::SearchKey, 700).default("").to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Activity::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(ActivityField::Table)
                    .col(pk_auto(ActivityField::Id))
                    .col(integer(ActivityField::ActivityId))
                    .col(string_len(ActivityField::Label, 200))
                    .col(string_len(ActivityField::Kind, 16))
                    .col(boolean(ActivityField::Required).default(false))
                    .col(text(ActivityField::Options).default(""))
                    .col(integer(ActivityField::Position).default(0))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_activity_field_activity")
                            .from(ActivityField::Table, ActivityField::ActivityId)
                            .to(Activity::Table, Activity::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_activity_field_activity")
                    .table(ActivityField::Table)
                    .col(ActivityField::ActivityId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CustomerProfile::Table)
                    .col(integer(CustomerProfile::UserId).primary_key())
                    .col(string_len(CustomerProfile::Nature, 1))
                    .col(string_len(CustomerProfile::Document, 14))
                    .col(string_len(CustomerProfile::Cep, 8))
                    .col(string_len(CustomerProfile::Street, 300))
                    .col(string_len(CustomerProfile::Number, 20).default(""))
                    .col(string_len(CustomerProfile::Complement, 100).default(""))
                    .col(string_len(CustomerProfile::District, 100).default(""))
                    .col(string_len(CustomerProfile::City, 100))
                    .col(string_len(CustomerProfile::Uf, 2))
                    .col(timestamp_with_time_zone(CustomerProfile::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_customer_profile_user")
                            .from(CustomerProfile::Table, CustomerProfile::UserId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketCounter::Table)
                    .col(integer(TicketCounter::Id).primary_key())
                    .col(big_integer(TicketCounter::LastNumber))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(TicketCounter::Table)
                    .columns([TicketCounter::Id, TicketCounter::LastNumber])
                    .values_panic([1.into(), 0i64.into()])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Ticket::Table)
                    .col(big_pk_auto(Ticket::Id))
                    .col(big_integer_uniq(Ticket::Number))
                    .col(integer(Ticket::CustomerId))
                    .col(integer(Ticket::ActivityId))
                    .col(integer(Ticket::ServiceId))
                    .col(string_len(Ticket::TicketType, 1))
                    .col(string_len(Ticket::Title, 200))
                    .col(text(Ticket::Description))
                    .col(text(Ticket::Fields))
                    .col(text(Ticket::Profile))
                    .col(small_integer(Ticket::Priority))
                    .col(integer_null(Ticket::SlaHours))
                    .col(timestamp_with_time_zone_null(Ticket::Deadline))
                    .col(string_len(Ticket::Task, 200))
                    .col(integer(Ticket::GroupId))
                    .col(string_len(Ticket::Situation, 16))
                    .col(timestamp_with_time_zone(Ticket::CreatedAt))
                    .col(timestamp_with_time_zone(Ticket::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Ticket::ClosedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_customer")
                            .from(Ticket::Table, Ticket::CustomerId)
                            .to(UserAccount::Table, UserAccount::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_activity")
                            .from(Ticket::Table, Ticket::ActivityId)
                            .to(Activity::Table, Activity::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_service")
                            .from(Ticket::Table, Ticket::ServiceId)
                            .to(Service::Table, Service::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_group")
                            .from(Ticket::Table, Ticket::GroupId)
                            .to(SupportGroup::Table, SupportGroup::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // "Meus Tickets" lists a customer's tickets newest first.
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_customer_created")
                    .table(Ticket::Table)
                    .col(Ticket::CustomerId)
                    .col(Ticket::CreatedAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TicketEvent::Table)
                    .col(big_pk_auto(TicketEvent::Id))
                    .col(big_integer(TicketEvent::TicketId))
                    .col(timestamp_with_time_zone(TicketEvent::At))
                    .col(integer_null(TicketEvent::ActorId))
                    .col(string_len(TicketEvent::Kind, 32))
                    .col(text(TicketEvent::Detail).default(""))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_event_ticket")
                            .from(TicketEvent::Table, TicketEvent::TicketId)
                            .to(Ticket::Table, Ticket::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_event_ticket")
                    .table(TicketEvent::Table)
                    .col(TicketEvent::TicketId)
                    .col(TicketEvent::Id)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            TicketEvent::Table.into_iden(),
            Ticket::Table.into_iden(),
            TicketCounter::Table.into_iden(),
            CustomerProfile::Table.into_iden(),
            ActivityField::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Activity::SearchKey,
            Activity::SlaHours,
            Activity::Urgency,
            Activity::Impact,
            Activity::TicketType,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Activity::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
