//! Database connection and schema. SQLite (the embedded default) gets WAL, foreign keys
//! and a busy timeout on every pooled connection; PostgreSQL is used as given.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

/// How long a SQLite writer waits for the lock before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if sqlite {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
        });
    }
    Database::connect(options).await
}

/// Applies every pending migration; a no-op on an up-to-date database.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
