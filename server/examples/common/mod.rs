//! What the benchmarks share: reading their options and a throwaway PostgreSQL database.

use sea_orm::{ConnectionTrait, Database, DbErr};

/// The value after `name` on the command line, if any.
pub fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

/// A fresh database on the PostgreSQL server of `ATENDE_TEST_PG_URL` (default: the local
/// one, user postgres), named after the benchmark and this process.
pub struct PgBench {
    admin: String,
    name: String,
    pub url: String,
}

impl PgBench {
    pub async fn create(prefix: &str) -> Result<PgBench, DbErr> {
        let admin = std::env::var("ATENDE_TEST_PG_URL")
            .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".into());
        let name = format!("{prefix}_{}", std::process::id());
        let connection = Database::connect(&admin).await?;
        connection
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        connection.close().await?;
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        let url = format!("{base}/{name}");
        Ok(PgBench { admin, name, url })
    }

    /// Drops the database, whoever is still connected to it.
    pub async fn drop(self) -> Result<(), DbErr> {
        let connection = Database::connect(&self.admin).await?;
        connection
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await?;
        Ok(())
    }
}
