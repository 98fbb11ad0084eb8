//! One full-text index over what staff search by: the ticket's key (number, service,
//! request, title, description) and the staff's key (the customer's name, login and
//! CPF/CNPJ) together, so that a search's words are looked up at once, ANDed, whichever
//! key holds each. "cliente" and "124" are each in thousands of tickets, and rare
//! together; two indexes probed word by word could not tell.
//!
//! - SQLite: a contentless FTS5 table (`ticket_find`, trigram tokenizer, `detail=none`)
//!   over `search_key || ' ' || staff_key` and the ticket's group as a marker
//!   (`char(1) || group_id || char(1)`: characters no key holds), kept by triggers, so an
//!   agent's search is narrowed to their groups inside the index. Contentless: the text is
//!   in `ticket` already, and the index only narrows the candidates, whose rows are then
//!   checked word by word. It replaces m0008's `ticket_staff_search`.
//!   `ticket_find_common` lists the trigrams in so many tickets that intersecting them
//!   costs more than it narrows (every ticket of a service holds its name's); the search
//!   leaves them out. Refreshed by the housekeeping (`desk::refresh_common_trigrams`).
//! - PostgreSQL: nothing changes (see `POSTGRES_UP`).
//!
//! A word never holds a space, so no word matches across the two keys' join.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const SQLITE_UP: &[&str] = &[
    "DROP TRIGGER IF EXISTS ticket_staff_search_update",
    "DROP TRIGGER IF EXISTS ticket_staff_search_delete",
    "DROP TRIGGER IF EXISTS ticket_staff_search_insert",
    "DROP TABLE IF EXISTS ticket_staff_search",
    "CREATE VIRTUAL TABLE ticket_find USING fts5(key, content='', tokenize='trigram', \
     detail='none')",
    "INSERT INTO ticket_find(rowid, key) \
     SELECT id, search_key || ' ' || staff_key || ' ' || char(1) || group_id || char(1) FROM ticket",
    "CREATE TABLE ticket_find_common (term TEXT NOT NULL PRIMARY KEY) WITHOUT ROWID",
    // How many tickets hold each trigram, read by the refresh of `ticket_find_common`.
    "CREATE VIRTUAL TABLE ticket_find_vocab USING fts5vocab(ticket_find, 'row')",
    "CREATE TRIGGER ticket_find_insert AFTER INSERT ON ticket BEGIN \
     INSERT INTO ticket_find(rowid, key) VALUES (new.id, new.search_key || ' ' || new.staff_key || ' ' || char(1) || new.group_id || char(1)); \
     END",
    // A contentless table forgets a row when told the text it was given.
    "CREATE TRIGGER ticket_find_delete AFTER DELETE ON ticket BEGIN \
     INSERT INTO ticket_find(ticket_find, rowid, key) \
     VALUES ('delete', old.id, old.search_key || ' ' || old.staff_key || ' ' || char(1) || old.group_id || char(1)); END",
    "CREATE TRIGGER ticket_find_update AFTER UPDATE OF search_key, staff_key, group_id ON ticket BEGIN \
     INSERT INTO ticket_find(ticket_find, rowid, key) \
     VALUES ('delete', old.id, old.search_key || ' ' || old.staff_key || ' ' || char(1) || old.group_id || char(1)); \
     INSERT INTO ticket_find(rowid, key) VALUES (new.id, new.search_key || ' ' || new.staff_key || ' ' || char(1) || new.group_id || char(1)); \
     END",
];

const SQLITE_DOWN: &[&str] = &[
    "DROP TRIGGER IF EXISTS ticket_find_update",
    "DROP TRIGGER IF EXISTS ticket_find_delete",
    "DROP TRIGGER IF EXISTS ticket_find_insert",
    "DROP TABLE IF EXISTS ticket_find_vocab",
    "DROP TABLE IF EXISTS ticket_find",
    "DROP TABLE IF EXISTS ticket_find_common",
];

// PostgreSQL keeps m0006's and m0008's trigram indexes, one per key. One GIN index on
// the group and both keys joined was tried: its planner then answered a common word
// ("boleto") and a customer's name 3-4 times slower with a million tickets.
const POSTGRES_UP: &[&str] = &[];
const POSTGRES_DOWN: &[&str] = &[];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, SQLITE_UP, POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, SQLITE_DOWN, POSTGRES_DOWN).await?;
        // m0008's search over the staff key, as it made it.
        crate::per_backend(manager, crate::m0008_staff_desk::SQLITE_STAFF_SEARCH, &[]).await
    }
}
