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

pub type AnyResult<T> = Result<T, Box<dyn std::error::Error>>;

/// The index of the p-th percentile of `n` sorted samples (nearest rank: with 100
/// samples, p99 is the 99th smallest, not the largest).
pub fn nearest_rank(n: usize, p: f64) -> usize {
    ((n as f64 * p).ceil() as usize).clamp(1, n) - 1
}

/// The median and the 99th percentile of `latencies` (sorted in place; zero when empty).
pub fn p50_p99(
    latencies: &mut [std::time::Duration],
) -> (std::time::Duration, std::time::Duration) {
    latencies.sort_unstable();
    let at = |p: f64| match latencies.len() {
        0 => std::time::Duration::ZERO,
        n => latencies[nearest_rank(n, p)],
    };
    (at(0.50), at(0.99))
}

/// A small deterministic generator (xorshift).
pub struct Rng(pub u64);

impl Rng {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Calls `/api/{endpoint}` with JSON arguments, as the page would (same-site origin).
pub async fn call(
    client: &reqwest::Client,
    base: &str,
    endpoint: &str,
    body: serde_json::Value,
) -> AnyResult<serde_json::Value> {
    let response = client
        .post(format!("{base}/api/{endpoint}"))
        .header("origin", base)
        .json(&body)
        .send()
        .await?;
    let status = response.status();
    let text = response.text().await?;
    if !status.is_success() {
        return Err(format!("{endpoint}: {status}: {text}").into());
    }
    Ok(serde_json::from_str(&text)?)
}

/// After a bulk load, what autovacuum and the planner would have done by then.
pub async fn settle(db: &sea_orm::DatabaseConnection, engine: &str) -> AnyResult<()> {
    if engine == "postgres" {
        // Hint bits, visibility map, statistics.
        db.execute_unprepared("VACUUM ANALYZE ticket").await?;
        // Flush what the load left dirty now, not in the middle of the measurement
        // (needs superuser; a server where it is refused is measured as it is).
        if let Err(err) = db.execute_unprepared("CHECKPOINT").await {
            println!("  CHECKPOINT refused ({err}); measuring anyway");
        }
    } else {
        db.execute_unprepared("ANALYZE").await?;
    }
    Ok(())
}
