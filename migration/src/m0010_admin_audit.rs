//! Administration in the app, with an audit trail.
//!
//! - `audit_entry`: every administrative change (catalog, groups, users, roles, SLA,
//!   settings), written in the transaction of the change: when, who (none: the command
//!   line), from which address, what kind of thing, which action on which item, and the
//!   item before and after as JSON. The application only ever inserts and reads it.
//! - `support_group.active`: a deactivated group keeps its tickets and history but gets
//!   no new work and is not offered when forwarding.
//! - `setting`: what administrators changed in "Configurações" (key → value); a key
//!   absent here takes its value from the environment.
//! - `activity.version`: raised by every administrative change of an activity, so two
//!   administrators editing one activity cannot overwrite each other unknowingly.
//! - `activity_field.help` and `.max_length`: the form builder's help text and a text
//!   field's own length limit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AuditEntry {
    Table,
    Id,
    At,
    ActorId,
    Actor,
    Address,
    Kind,
    Action,
    Target,
    Before,
    After,
}

#[derive(DeriveIden)]
enum SupportGroup {
    Table,
    Active,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Version,
}

#[derive(DeriveIden)]
enum Setting {
    Table,
    Key,
    Value,
}

#[derive(DeriveIden)]
enum ActivityField {
    Table,
    Help,
    MaxLength,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEntry::Table)
                    .col(big_integer(AuditEntry::Id).auto_increment().primary_key())
                    .col(timestamp_with_time_zone(AuditEntry::At))
                    .col(integer_null(AuditEntry::ActorId))
                    .col(string_len(AuditEntry::Actor, 100))
                    .col(string_len(AuditEntry::Address, 100))
                    .col(string_len(AuditEntry::Kind, 40))
                    .col(string_len(AuditEntry::Action, 40))
                    .col(string_len(AuditEntry::Target, 300))
                    .col(text_null(AuditEntry::Before))
                    .col(text_null(AuditEntry::After))
                    .to_owned(),
            )
            .await?;
        for (name, columns) in [
            ("ix_audit_at", vec![AuditEntry::At]),
            ("ix_audit_kind_at", vec![AuditEntry::Kind, AuditEntry::At]),
            (
                "ix_audit_actor_at",
                vec![AuditEntry::ActorId, AuditEntry::At],
            ),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEntry::Table);
            for column in columns {
                index.col(column);
            }
            manager.create_index(index.to_owned()).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(SupportGroup::Table)
                    .add_column(boolean(SupportGroup::Active).default(true))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Setting::Table)
                    .col(string_len(Setting::Key, 60).primary_key())
                    .col(text(Setting::Value))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Activity::Table)
                    .add_column(integer(Activity::Version).default(0))
                    .to_owned(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for mut column in [
            text(ActivityField::Help).default("").to_owned(),
            integer_null(ActivityField::MaxLength),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ActivityField::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Setting::Table).to_owned())
            .await?;
        for column in [ActivityField::MaxLength, ActivityField::Help] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ActivityField::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Activity::Table)
                    .drop_column(Activity::Version)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(SupportGroup::Table)
                    .drop_column(SupportGroup::Active)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(AuditEntry::Table).to_owned())
            .await
    }
}
