//! The staff desk: who is responsible for a ticket, the version every staff action
//! checks, when staff first answered, why a ticket is suspended or was cancelled, when it
//! becomes at risk, the queue's indexes, and workflows of tasks stored as data.
//!
//! - `ticket.assignee_id`: the responsible agent ("Responsável"), none at first. No
//!   foreign key: SQLite cannot add one to an existing table; the application only writes
//!   members of the ticket's group.
//! - `ticket.version`: bumped by every change of the ticket; an action sent with an older
//!   one is refused (two agents never overwrite each other).
//! - `ticket.risk_at`: when three quarters of the time to the deadline have passed ("Em
//!   risco"), kept with the deadline, so the queue filters the SLA status by index.
//! - `ticket.impact`, `ticket.urgency`: as the activity set them, until staff reclassify.
//! - `ticket.staff_key`: the customer's name, login and CPF/CNPJ, lower-case and
//!   accent-free, for the staff's search (customers search their tickets without it).
//! - the queue's indexes and the staff's search index (`QUEUE_INDEXES`, `*_STAFF_SEARCH`).
//! - `workflow_step`: the tasks of an activity's workflow in order; rows without an
//!   activity are the default workflow (Triagem → Atendimento → Validação).

use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend, Statement};
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Ticket {
    Table,
    ClosedAt,
    Task,
    ServiceId,
    GroupId,
    Situation,
    Deadline,
    Priority,
    Number,
    AssigneeId,
    Version,
    FirstResponseAt,
    RiskAt,
    StatusReason,
    Impact,
    Urgency,
    StaffKey,
}

/// The staff's search over `staff_key`, as `ticket_search` (m0006) is over `search_key`:
/// an FTS5 trigram table on SQLite kept by triggers, a trigram GIN index on PostgreSQL.
pub(crate) const SQLITE_STAFF_SEARCH: &[&str] = &[
    "CREATE VIRTUAL TABLE ticket_staff_search USING fts5(staff_key, content='ticket', \
     content_rowid='id', tokenize='trigram', detail='none')",
    "INSERT INTO ticket_staff_search(ticket_staff_search) VALUES ('rebuild')",
    "CREATE TRIGGER ticket_staff_search_insert AFTER INSERT ON ticket BEGIN \
     INSERT INTO ticket_staff_search(rowid, staff_key) VALUES (new.id, new.staff_key); END",
    "CREATE TRIGGER ticket_staff_search_delete AFTER DELETE ON ticket BEGIN \
     INSERT INTO ticket_staff_search(ticket_staff_search, rowid, staff_key) \
     VALUES ('delete', old.id, old.staff_key); END",
    "CREATE TRIGGER ticket_staff_search_update AFTER UPDATE OF staff_key ON ticket BEGIN \
     INSERT INTO ticket_staff_search(ticket_staff_search, rowid, staff_key) \
     VALUES ('delete', old.id, old.staff_key); \
     INSERT INTO ticket_staff_search(rowid, staff_key) VALUES (new.id, new.staff_key); END",
];
const SQLITE_STAFF_SEARCH_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS ticket_staff_search_update",
    "DROP TRIGGER IF EXISTS ticket_staff_search_delete",
    "DROP TRIGGER IF EXISTS ticket_staff_search_insert",
    "DROP TABLE IF EXISTS ticket_staff_search",
];
const POSTGRES_STAFF_SEARCH: &[&str] =
    &["CREATE INDEX ix_ticket_staff_trgm ON ticket USING gin (group_id, staff_key gin_trgm_ops)"];
const POSTGRES_STAFF_SEARCH_DOWN: &[&str] = &["DROP INDEX IF EXISTS ix_ticket_staff_trgm"];

/// The queue's indexes: a group's tickets in one situation by deadline or priority (then
/// number, the tie-breaker) or by number, read in index order up to the page; and, for
/// counting per situation under a filter from the index alone, a group's tickets by
/// task, service, responsible agent, and by SLA (when they become at risk, the deadline,
/// when they closed).
const QUEUE_INDEXES: &[(&str, &[Ticket])] = &[
    (
        "ix_ticket_queue_deadline",
        &[
            Ticket::GroupId,
            Ticket::Situation,
            Ticket::Deadline,
            Ticket::Number,
        ],
    ),
    (
        "ix_ticket_queue_priority",
        &[
            Ticket::GroupId,
            Ticket::Situation,
            Ticket::Priority,
            Ticket::Number,
        ],
    ),
    (
        "ix_ticket_queue_number",
        &[Ticket::GroupId, Ticket::Situation, Ticket::Number],
    ),
    (
        "ix_ticket_queue_risk",
        &[
            Ticket::GroupId,
            Ticket::Situation,
            Ticket::RiskAt,
            Ticket::Deadline,
            Ticket::ClosedAt,
        ],
    ),
    (
        "ix_ticket_queue_task",
        &[Ticket::GroupId, Ticket::Task, Ticket::Situation],
    ),
    (
        "ix_ticket_queue_service",
        &[Ticket::GroupId, Ticket::ServiceId, Ticket::Situation],
    ),
    (
        "ix_ticket_queue_assignee",
        &[Ticket::GroupId, Ticket::AssigneeId, Ticket::Situation],
    ),
];

#[derive(DeriveIden)]
enum WorkflowStep {
    Table,
    Id,
    ActivityId,
    Position,
    Name,
}

#[derive(DeriveIden)]
enum Activity {
    Table,
    Id,
}

/// The default workflow, in order.
const DEFAULT_WORKFLOW: [&str; 3] = ["Triagem", "Atendimento", "Validação"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        let columns = [
            integer_null(Ticket::AssigneeId),
            integer(Ticket::Version).default(0).to_owned(),
            timestamp_with_time_zone_null(Ticket::FirstResponseAt),
            timestamp_with_time_zone_null(Ticket::RiskAt),
            text_null(Ticket::StatusReason),
            integer(Ticket::Impact).default(2).to_owned(),
            integer(Ticket::Urgency).default(2).to_owned(),
            text(Ticket::StaffKey).default("").to_owned(),
        ];
        for mut column in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(Ticket::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        // Tickets from before: at risk once 3/4 of the time to their deadline has passed,
        // written in the form each engine's driver writes timestamps.
        let db = manager.get_connection();
        let backfill = match db.get_database_backend() {
            DbBackend::Postgres => {
                "UPDATE ticket SET risk_at = created_at + (deadline - created_at) * 0.75 \
                 WHERE deadline IS NOT NULL"
            }
            _ => {
                "UPDATE ticket SET risk_at = strftime('%Y-%m-%dT%H:%M:%f', \
                 julianday(created_at) + (julianday(deadline) - julianday(created_at)) * 0.75) \
                 || '+00:00' WHERE deadline IS NOT NULL"
            }
        };
        db.execute_raw(Statement::from_string(
            db.get_database_backend(),
            backfill.to_owned(),
        ))
        .await?;
        // Impact and urgency as the activity had them; the customer's name, login and
        // document for the staff's search (lower-case; new tickets are also accent-free).
        for sql in [
            "UPDATE ticket SET impact = (SELECT impact FROM activity WHERE activity.id = ticket.activity_id), \
             urgency = (SELECT urgency FROM activity WHERE activity.id = ticket.activity_id)",
            "UPDATE ticket SET staff_key = lower((SELECT name || ' ' || login FROM user_account \
             WHERE user_account.id = ticket.customer_id) || ' ' || \
             COALESCE((SELECT document FROM customer_profile WHERE customer_profile.user_id = ticket.customer_id), ''))",
        ] {
            db.execute_raw(Statement::from_string(
                db.get_database_backend(),
                sql.to_owned(),
            ))
            .await?;
        }

        for (name, columns) in QUEUE_INDEXES {
            let mut index = Index::create().name(*name).table(Ticket::Table).to_owned();
            for column in *columns {
                index.col(*column);
            }
            manager.create_index(index).await?;
        }
        let search = match db.get_database_backend() {
            DbBackend::Postgres => POSTGRES_STAFF_SEARCH,
            _ => SQLITE_STAFF_SEARCH,
        };
        for statement in search {
            db.execute_unprepared(statement).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(WorkflowStep::Table)
                    .col(pk_auto(WorkflowStep::Id))
                    .col(integer_null(WorkflowStep::ActivityId))
                    .col(integer(WorkflowStep::Position))
                    .col(string_len(WorkflowStep::Name, 200))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_workflow_step_activity")
                            .from(WorkflowStep::Table, WorkflowStep::ActivityId)
                            .to(Activity::Table, Activity::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_workflow_step_activity")
                    .table(WorkflowStep::Table)
                    .col(WorkflowStep::ActivityId)
                    .col(WorkflowStep::Position)
                    .to_owned(),
            )
            .await?;
        let mut insert = Query::insert()
            .into_table(WorkflowStep::Table)
            .columns([WorkflowStep::Position, WorkflowStep::Name])
            .to_owned();
        for (position, name) in (1..).zip(DEFAULT_WORKFLOW) {
            insert.values_panic([position.into(), name.into()]);
        }
        manager.exec_stmt(insert).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkflowStep::Table).to_owned())
            .await?;
        let db = manager.get_connection();
        let search = match db.get_database_backend() {
            DbBackend::Postgres => POSTGRES_STAFF_SEARCH_DOWN,
            _ => SQLITE_STAFF_SEARCH_DOWN,
        };
        for statement in search {
            db.execute_unprepared(statement).await?;
        }
        for (name, _) in QUEUE_INDEXES {
            manager
                .drop_index(Index::drop().name(*name).table(Ticket::Table).to_owned())
                .await?;
        }
        for column in [
            Ticket::AssigneeId,
            Ticket::Version,
            Ticket::FirstResponseAt,
            Ticket::RiskAt,
            Ticket::StatusReason,
            Ticket::Impact,
            Ticket::Urgency,
            Ticket::StaffKey,
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
