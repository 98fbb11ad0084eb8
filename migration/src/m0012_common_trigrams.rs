//! PostgreSQL gets m0011's list of common trigrams (`ticket_find_common`): the trigrams
//! in so many tickets that looking them up in the trigram indexes costs more than it
//! narrows. The staff's search leaves them out of what it asks the index
//! (`desk::staff_matches`); the housekeeping refreshes the list from a sample of the
//! tickets (`desk::refresh_common_trigrams`). SQLite has had it since m0011.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const POSTGRES_UP: &[&str] = &["CREATE TABLE ticket_find_common (term TEXT NOT NULL PRIMARY KEY)"];
const POSTGRES_DOWN: &[&str] = &["DROP TABLE IF EXISTS ticket_find_common"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, &[], POSTGRES_UP).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        crate::per_backend(manager, &[], POSTGRES_DOWN).await
    }
}
