//! What the benchmarks share: reading their options, a server on a throwaway database,
//! accounts in bulk, HTTP calls, percentiles. Each benchmark uses a part of it.
#![allow(dead_code)]

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

/// A server started on a fresh database of `engine` ("sqlite" in a temporary data dir, or
/// "postgres": a throwaway database named after `prefix`), serving in the background.
pub struct Running {
    pub db: sea_orm::DatabaseConnection,
    /// The server's state, for benchmarks that run its background jobs' passes.
    pub state: app::state::AppState,
    pub base: String,
    pub engine: String,
    pub postgres: Option<PgBench>,
    pub dir: tempfile::TempDir,
}

pub async fn start(engine: &str, prefix: &str) -> AnyResult<Running> {
    let dir = tempfile::tempdir()?;
    let data = dir.path().join("data");
    let site = dir.path().join("site");
    std::fs::create_dir_all(site.join("pkg"))?;
    let postgres = match engine {
        "postgres" => Some(PgBench::create(prefix).await?),
        _ => None,
    };
    let database_url = postgres.as_ref().map(|pg| pg.url.clone());
    let config = server::config::Config::from_lookup(|name| match name {
        "ATENDE_ADDR" => Some("127.0.0.1:0".into()),
        "ATENDE_DATA_DIR" => Some(data.display().to_string()),
        "ATENDE_SITE_ROOT" => Some(site.display().to_string()),
        "DATABASE_URL" => database_url.clone(),
        // The SLA watcher's passes are the benchmark's own to run and time.
        "ATENDE_SLA_WATCH_SECONDS" => Some("86400".into()),
        _ => None,
    })?;
    let app = server::startup::Application::build(&config).await?;
    let db = app.db().clone();
    let state = app.state().clone();
    let base = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    Ok(Running {
        db,
        state,
        base,
        engine: engine.to_owned(),
        postgres,
        dir,
    })
}

impl Running {
    /// Drops the throwaway database, or keeps it (and says where) with `keep`.
    pub async fn finish(self, keep: bool) -> AnyResult<()> {
        if self.engine == "sqlite" && keep {
            println!("kept: {}", self.dir.path().join("data/atende.db").display());
            std::mem::forget(self.dir);
        }
        if let Some(pg) = self.postgres {
            if keep {
                println!("kept: {}", pg.url);
            } else {
                self.db.close().await?;
                pg.drop().await?;
            }
        }
        Ok(())
    }
}

/// `n` accounts of `role` (in `groups`): the first through the real account code (it
/// signs in with `password`), the others copies of its row (argon2 is slow on purpose,
/// and they never sign in). Logins are `{prefix}{i}`, names "{Name} {i}".
pub async fn accounts(
    db: &sea_orm::DatabaseConnection,
    prefix: &str,
    name: &str,
    role: app::domain::account::Role,
    groups: Vec<String>,
    password: &str,
    n: usize,
) -> AnyResult<Vec<i32>> {
    use entity::user_account;
    use sea_orm::{EntityTrait, Set};
    let first = app::server::accounts::create(
        db,
        &app::server::password::HashLimiter::default(),
        chrono::Utc::now(),
        app::server::accounts::NewUser {
            login: format!("{prefix}0"),
            email: format!("{prefix}0@bench.example"),
            name: format!("{name} 0"),
            person: app::domain::account::PersonType::Fisica,
            phone: String::new(),
            cep: String::new(),
            address: String::new(),
            role,
            password: password.into(),
            groups,
        },
    )
    .await
    .map_err(|e| format!("{e:?}"))?;
    let template = user_account::Entity::find_by_id(first)
        .one(db)
        .await?
        .ok_or("account")?;
    let mut ids = vec![first];
    for i in 1..n {
        let login = format!("{prefix}{i}");
        let row = user_account::ActiveModel {
            login: Set(login.clone()),
            login_key: Set(login.clone()),
            email: Set(format!("{login}@bench.example")),
            email_key: Set(format!("{login}@bench.example")),
            name: Set(format!("{name} {i}")),
            person_type: Set(template.person_type.clone()),
            phone: Set(String::new()),
            cep: Set(String::new()),
            address: Set(String::new()),
            role: Set(template.role.clone()),
            password_hash: Set(template.password_hash.clone()),
            active: Set(true),
            created_at: Set(template.created_at),
            updated_at: Set(template.updated_at),
            ..Default::default()
        };
        ids.push(
            user_account::Entity::insert(row)
                .exec(db)
                .await?
                .last_insert_id,
        );
    }
    Ok(ids)
}
