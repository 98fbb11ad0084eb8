//! PostgreSQL gets m0011's list of common trigrams (`ticket_find_common`): the trigrams
//! in so many tickets that looking them up in the trigram indexes costs more than it
//! narrows. The staff's search leaves them out of what it asks the index
//! (`desk::staff_matches`); the housekeeping refreshes the list from a sample of the
//! tickets (`desk::refresh_common_trigrams`). SQLite has had it since m0011.
//!
//! Both engines: the queue's SLA index (m0008's `ix_ticket_queue_risk`, now
//! `ix_ticket_queue_sla`) also holds when a ticket was suspended (`paused_at`, m0009),
//! which a suspended ticket's SLA status is judged at: the queue counts those from the
//! index alone instead of reading each row. And the deadline index (m0008's
//! `ix_ticket_queue_deadline`, now `ix_ticket_queue_due`) carries the risk point and
//! `paused_at` after its order: a read in deadline order filtered by SLA status checks
//! each ticket in the index before reading its row (SQLite; 38 ms → 1 ms for the
//! suspended tickets "normal" at a million, none of which matched).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

// Under new names, each change in one statement string: the pool's other connections
// may still hold the schema from before the drop, and refuse a name they think taken.
const INDEXES_UP: [&str; 2] = [
    "DROP INDEX IF EXISTS ix_ticket_queue_risk; \
     CREATE INDEX ix_ticket_queue_sla ON ticket \
     (group_id, situation, risk_at, deadline, closed_at, paused_at)",
    "DROP INDEX IF EXISTS ix_ticket_queue_deadline; \
     CREATE INDEX ix_ticket_queue_due ON ticket \
     (group_id, situation, deadline, number, risk_at, paused_at)",
];
const INDEXES_DOWN: [&str; 2] = [
    "DROP INDEX IF EXISTS ix_ticket_queue_sla; \
     CREATE INDEX ix_ticket_queue_risk ON ticket \
     (group_id, situation, risk_at, deadline, closed_at)",
    "DROP INDEX IF EXISTS ix_ticket_queue_due; \
     CREATE INDEX ix_ticket_queue_deadline ON ticket (group_id, situation, deadline, number)",
];
const SQLITE_UP: &[&str] = &INDEXES_UP;
const SQLITE_DOWN: &[&str] = &INDEXES_DOWN;
const POSTGRES_UP: &[&str] = &[
    "CREATE TABLE ticket_find_common (term TEXT NOT NULL PRIMARY KEY)",
    INDEXES_UP[0],
    INDEXES_UP[1],
];
const POSTGRES_DOWN: &[&str] = &[
    "DROP TABLE IF EXISTS ticket_find_common",
    INDEXES_DOWN[0],
    INDEXES_DOWN[1],
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, SQLITE_DOWN, POSTGRES_DOWN).await
    }
}
