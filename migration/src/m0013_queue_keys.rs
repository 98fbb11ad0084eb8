//! PostgreSQL: the queue's counts of a search read the keys from an index instead of
//! the tickets' rows.
//!
//! A search by a common word ("boleto", in 16 % of a million tickets) is narrowed by no
//! index, so each situation's count reads the group's tickets in index order until
//! 1,000 hold the word: about 6,000 rows, each on its own heap page (a group's tickets
//! are spread through the table), most of them outside the default shared buffers
//! (measured: 25–50 ms per count, four counts a page). Here a group's tickets of one
//! situation sit next to each other with their two keys (`ix_ticket_queue_keys`), and
//! the count is an index-only scan: 2.5 ms for the same count.
//!
//! A B-tree entry holds at most about 2,700 bytes, and a description may hold 20,000
//! characters, so the index is partial: tickets whose keys together take more than
//! 2,000 bytes (`desk::KEYS_IN_INDEX`) are left out, and found through their own small index
//! (`ix_ticket_queue_long_keys`) and their rows. The queue counts both parts apart and
//! adds them up; the predicates here and there are the same text, so the planner proves
//! each partial index usable (also in a prepared statement's generic plan).
//!
//! SQLite needs none of this: its full-text table answers the same searches, and its
//! rows are read from one memory-mapped file.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &[
    "CREATE INDEX ix_ticket_queue_keys ON ticket (group_id, situation) \
     INCLUDE (search_key, staff_key) \
     WHERE octet_length(search_key) + octet_length(staff_key) <= 2000",
    "CREATE INDEX ix_ticket_queue_long_keys ON ticket (group_id, situation) \
     WHERE octet_length(search_key) + octet_length(staff_key) > 2000",
];
const POSTGRES_DOWN: &[&str] = &[
    "DROP INDEX IF EXISTS ix_ticket_queue_keys",
    "DROP INDEX IF EXISTS ix_ticket_queue_long_keys",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, &[], POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, &[], POSTGRES_DOWN).await
    }
}
