//! Database connection and schema. SQLite (the embedded default) gets WAL, foreign keys
//! and a busy timeout on every pooled connection; PostgreSQL plans every statement for
//! its actual parameters.

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbErr};

use crate::config::SqliteSync;

/// How long a SQLite writer waits for the lock before giving up.
pub const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// How much of the SQLite file reads may map (1 GiB).
const SQLITE_MMAP: u64 = 1 << 30;

/// Opens the database. On SQLite, `synchronous` decides whether a commit waits for the
/// WAL to reach the disk (`Full`, the default: what the server confirmed survives a
/// power loss) or only for the OS (`Normal`).
pub async fn connect(url: &str, synchronous: SqliteSync) -> Result<DatabaseConnection, DbErr> {
    let sqlite = url.starts_with("sqlite:");
    let mut options = ConnectOptions::new(url);
    options
        .max_connections(if sqlite { 8 } else { 16 })
        .min_connections(1)
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if sqlite {
        options.map_sqlx_sqlite_opts(move |opts| {
            opts.create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(match synchronous {
                    SqliteSync::Full => SqliteSynchronous::Full,
                    SqliteSync::Normal => SqliteSynchronous::Normal,
                })
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT)
                // Reads map the file instead of copying each page through a 2 MiB cache
                // per connection: the queue's reads by row id over a million tickets
                // measured half as long. Address space, not memory.
                .pragma("mmap_size", SQLITE_MMAP.to_string())
        });
    } else {
        // Statements are prepared once per connection and reused. After five runs
        // PostgreSQL may switch a prepared statement to a generic plan, blind to its
        // parameters: for the ticket search (`search_key LIKE $n`) that plan cannot tell
        // a common word (read the customer's 1,000 rows: 4 ms) from a rare one (use the
        // trigram index: 0.3 ms), and measured 137 ms for a common word with a million
        // tickets. Custom plans see the values; planning these simple queries is cheap.
        options.map_sqlx_postgres_opts(|opts| {
            opts.options([("plan_cache_mode", "force_custom_plan")])
        });
    }
    Database::connect(options).await
}

/// Applies every pending migration; a no-op on an up-to-date database.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
