//! SLA that counts business time right, and mail through a durable outbox.
//!
//! - `calendar`: business hours per weekday in a time zone, with Brazil's national
//!   holidays (computed for any year, optional points such as Carnaval when the
//!   calendar observes them) and the calendar's own holidays (`holiday`). Row 1 is the
//!   default calendar (Mon–Fri 08:00–18:00, America/Sao_Paulo).
//! - `activity.calendar_id` (none: the default calendar) and
//!   `activity.first_response_hours` (an optional first-response target).
//! - `ticket_pause`: the intervals a ticket spent "Suspensa" (or closed before a
//!   reopening), which do not count towards its SLA; `ticket.paused_at` while one runs.
//! - `ticket.sla_state`: what the SLA watcher has seen (0 normal, 1 at risk, 2 overdue),
//!   so each step is announced once; two partial indexes find the tickets that just
//!   crossed a step without scanning.
//! - `ticket.first_response_due`: the first-response deadline, when the SLA has one.
//! - `outbox`: every notification, written in the transaction of the change that causes
//!   it, sent by a worker, with its state for administrators.
//! - `lease`: which instance runs a background job (the SLA watcher, the outbox worker).
//! - `user_account.mail_muted`: the optional notifications a user turned off;
//!   `user_account.language`: the language of the user's mail.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Calendar {
    Table,
    Id,
    Name,
    TimeZone,
    Week,
    NationalHolidays,
    OptionalPoints,
}

#[derive(DeriveIden)]
enum Holiday {
    Table,
    Id,
    CalendarId,
    Day,
    Name,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    CalendarId,
    FirstResponseHours,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
    SlaState,
    PausedAt,
    FirstResponseDue,
}

#[derive(DeriveIden)]
enum TicketPause {
    Table,
    Id,
    TicketId,
    StartedAt,
    EndedAt,
}

#[derive(DeriveIden)]
enum Outbox {
    Table,
    Id,
    MessageId,
    Kind,
    TicketId,
    Recipient,
    Subject,
    BodyText,
    BodyHtml,
    State,
    Attempts,
    NextAttemptAt,
    LastError,
    CreatedAt,
    SentAt,
}

#[derive(DeriveIden)]
enum Lease {
    Table,
    Name,
    Holder,
    ExpiresAt,
}

#[derive(DeriveIden)]
enum UserAccount {
    Table,
    MailMuted,
    Language,
}

/// Mon–Fri 08:00–18:00: seven days from Monday, `|`-separated.
pub const DEFAULT_WEEK: &str = "08:00-18:00|08:00-18:00|08:00-18:00|08:00-18:00|08:00-18:00||";

/// The SLA watcher's indexes: open tickets by what was announced, then by when they
/// become at risk or overdue. Partial, so closed tickets (most of them) are not in them.
const WATCH_INDEXES: &[&str] = &[
    "CREATE INDEX ix_ticket_sla_risk ON ticket (sla_state, risk_at) WHERE situation = 'em_andamento'",
    "CREATE INDEX ix_ticket_sla_late ON ticket (sla_state, deadline) WHERE situation = 'em_andamento'",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Calendar::Table)
                    .col(pk_auto(Calendar::Id))
                    .col(string_len_uniq(Calendar::Name, 100))
                    .col(string_len(Calendar::TimeZone, 64))
                    .col(string_len(Calendar::Week, 400))
                    .col(boolean(Calendar::NationalHolidays).default(true))
                    .col(boolean(Calendar::OptionalPoints).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(Calendar::Table)
                    .columns([Calendar::Name, Calendar::TimeZone, Calendar::Week])
                    .values_panic([
                        "Padrão".into(),
                        "America/Sao_Paulo".into(),
                        DEFAULT_WEEK.into(),
                    ])
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Holiday::Table)
                    .col(pk_auto(Holiday::Id))
                    .col(integer(Holiday::CalendarId))
                    .col(date(Holiday::Day))
                    .col(string_len(Holiday::Name, 200))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_holiday_calendar")
                            .from(Holiday::Table, Holiday::CalendarId)
                            .to(Calendar::Table, Calendar::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_holiday_calendar_day")
                    .table(Holiday::Table)
                    .col(Holiday::CalendarId)
                    .col(Holiday::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // SQLite adds one column per ALTER TABLE.
        for mut column in [
            integer_null(Activity::CalendarId),
            integer_null(Activity::FirstResponseHours),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Activity::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for mut column in [
            small_integer(Ticket::SlaState).default(0).to_owned(),
            timestamp_with_time_zone_null(Ticket::PausedAt),
            timestamp_with_time_zone_null(Ticket::FirstResponseDue),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ticket::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        for mut column in [
            text(UserAccount::MailMuted).default("").to_owned(),
            string_len(UserAccount::Language, 5)
                .default("pt")
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserAccount::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(TicketPause::Table)
                    .col(big_pk_auto(TicketPause::Id))
                    .col(big_integer(TicketPause::TicketId))
                    .col(timestamp_with_time_zone(TicketPause::StartedAt))
                    .col(timestamp_with_time_zone_null(TicketPause::EndedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ticket_pause_ticket")
                            .from(TicketPause::Table, TicketPause::TicketId)
                            .to(Ticket::Table, Ticket::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_ticket_pause_ticket")
                    .table(TicketPause::Table)
                    .col(TicketPause::TicketId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Outbox::Table)
                    .col(big_pk_auto(Outbox::Id))
                    .col(string_len_uniq(Outbox::MessageId, 200))
                    .col(string_len(Outbox::Kind, 40))
                    .col(big_integer_null(Outbox::TicketId))
                    .col(string_len(Outbox::Recipient, 320))
                    .col(text(Outbox::Subject))
                    .col(text(Outbox::BodyText))
                    .col(text(Outbox::BodyHtml))
                    .col(string_len(Outbox::State, 12))
                    .col(integer(Outbox::Attempts).default(0))
                    .col(timestamp_with_time_zone(Outbox::NextAttemptAt))
                    .col(text_null(Outbox::LastError))
                    .col(timestamp_with_time_zone(Outbox::CreatedAt))
                    .col(timestamp_with_time_zone_null(Outbox::SentAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_outbox_due")
                    .table(Outbox::Table)
                    .col(Outbox::State)
                    .col(Outbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Lease::Table)
                    .col(string_len(Lease::Name, 40).primary_key())
                    .col(string_len(Lease::Holder, 100))
                    .col(timestamp_with_time_zone(Lease::ExpiresAt))
                    .to_owned(),
            )
            .await?;

        let db = manager.get_connection();
        // Tickets suspended before: paused since their last change.
        for statement in [
            "INSERT INTO ticket_pause (ticket_id, started_at) \
             SELECT id, updated_at FROM ticket WHERE situation = 'suspensa'",
            "UPDATE ticket SET paused_at = updated_at WHERE situation = 'suspensa'",
        ] {
            db.execute_unprepared(statement).await?;
        }
        for statement in WATCH_INDEXES {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        db.execute_unprepared("DROP INDEX IF EXISTS ix_ticket_sla_risk")
            .await?;
        db.execute_unprepared("DROP INDEX IF EXISTS ix_ticket_sla_late")
            .await?;
        manager
            .drop_table(Table::drop().table(Lease::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Outbox::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(TicketPause::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Holiday::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(Calendar::Table).to_owned())
            .await?;
        for column in [UserAccount::MailMuted, UserAccount::Language] {
            manager
                .alter_table(
                    Table::alter()
                        .table(UserAccount::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Ticket::SlaState, Ticket::PausedAt, Ticket::FirstResponseDue] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ticket::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Activity::CalendarId, Activity::FirstResponseHours] {
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
