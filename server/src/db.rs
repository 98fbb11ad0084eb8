//! Database connection and schema. SQLite (the embedded default) gets WAL, foreign keys
//! and a busy timeout on every pooled connection; PostgreSQL plans every statement for
//! its actual parameters.

use std::time::{Duration, Instant};

use migration::{IntoSchemaManagerConnection, Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend,
    DbErr, RuntimeErr, TransactionTrait,
};

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
    if !sqlite {
        return Database::connect(options).await;
    }
    // Opening runs the pragmas above, and switching a file to WAL needs its lock: another
    // process setting the same new file up holds it, at times longer than the busy timeout
    // (and SQLite may answer busy without waiting at all while it recovers a WAL). Such a
    // start waits for the other one, as `begin_setup` does, rather than failing to open.
    while_sqlite_busy("opening", || Database::connect(options.clone())).await
}

/// Runs `attempt` again for as long as SQLite answers busy, up to `SETUP_WAIT`: another
/// process starting on the same database holds its lock (`connect`, `begin_setup`).
async fn while_sqlite_busy<T, Fut>(what: &str, mut attempt: impl FnMut() -> Fut) -> Result<T, DbErr>
where
    Fut: Future<Output = Result<T, DbErr>>,
{
    let deadline = Instant::now() + SETUP_WAIT;
    loop {
        match attempt().await {
            Err(err) if is_sqlite_busy(&err) && Instant::now() < deadline => {
                tracing::info!("{what}: waiting for another process holding the database");
                tokio::time::sleep(BUSY_RETRY).await;
            }
            result => return result,
        }
    }
}

/// How long a start waits before trying a database it found locked again.
const BUSY_RETRY: Duration = Duration::from_millis(100);

/// How long a starting process waits for another one that is setting the database up.
const SETUP_WAIT: Duration = Duration::from_secs(300);

/// PostgreSQL advisory lock taken while a process sets the database up ("atende").
const SETUP_LOCK: i64 = 0x61_7465_6e64_65;

/// Begins the transaction in which a starting process applies the migrations and loads
/// the demo catalog, holding the database's setup lock until it commits. Several
/// processes started together on a new database (two servers, a server and `atende user
/// create`) then take turns: the first creates the schema, the others wait and find
/// nothing left to do, where they used to fail halfway ("table … already exists") or load
/// the catalog twice. PostgreSQL: a transaction-scoped advisory lock (its DDL is
/// transactional, so a failed setup leaves nothing behind). SQLite: the write lock from
/// the first statement (`BEGIN IMMEDIATE`), retried past the busy timeout for as long as
/// another process's setup may take.
pub async fn begin_setup(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    if db.get_database_backend() == DbBackend::Postgres {
        let txn = db.begin().await?;
        txn.execute_unprepared(&format!("SELECT pg_advisory_xact_lock({SETUP_LOCK})"))
            .await?;
        return Ok(txn);
    }
    while_sqlite_busy("setting up", || app::server::begin_write(db)).await
}

/// Whether SQLite gave up waiting for a lock ("database is locked").
fn is_sqlite_busy(err: &DbErr) -> bool {
    let (DbErr::Conn(RuntimeErr::SqlxError(sqlx))
    | DbErr::Exec(RuntimeErr::SqlxError(sqlx))
    | DbErr::Query(RuntimeErr::SqlxError(sqlx))) = err
    else {
        return false;
    };
    sqlx.as_database_error()
        .and_then(|db| db.code())
        .is_some_and(|code| is_busy_code(&code))
}

/// Whether an SQLite result code, as sqlx gives it (the extended code, in decimal), is
/// SQLITE_BUSY (5) or SQLITE_LOCKED (6) or one of their extended codes (the primary code
/// is the low byte: SQLITE_BUSY_RECOVERY is 261, SQLITE_BUSY_SNAPSHOT 517).
fn is_busy_code(code: &str) -> bool {
    code.parse::<i32>()
        .is_ok_and(|code| matches!(code & 0xff, 5 | 6))
}

#[cfg(test)]
mod tests {
    use super::is_busy_code;

    #[test]
    fn busy_and_locked_are_recognised_with_their_extended_codes() {
        // SQLITE_BUSY, _LOCKED, _BUSY_RECOVERY, _LOCKED_SHAREDCACHE, _BUSY_SNAPSHOT,
        // _BUSY_TIMEOUT.
        for code in ["5", "6", "261", "262", "517", "773"] {
            assert!(is_busy_code(code), "{code}");
        }
        // SQLITE_ERROR, _CONSTRAINT, _CONSTRAINT_UNIQUE, _CORRUPT, _READONLY_RECOVERY (264:
        // the low byte is 8), and what is not a number.
        for code in ["1", "19", "2067", "11", "264", "", "busy", "23505"] {
            assert!(!is_busy_code(code), "{code}");
        }
    }
}

/// Applies every pending migration; a no-op on an up-to-date database.
pub async fn migrate<'c, C: IntoSchemaManagerConnection<'c>>(db: C) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}
