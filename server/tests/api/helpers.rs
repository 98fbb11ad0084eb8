//! Starting the real application for a test, on SQLite or PostgreSQL.
//!
//! PostgreSQL: the server named by `ATENDE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, the one the build machines run). Each
//! test creates its own database and drops it when done, even when the test fails.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::config::Config;
use server::startup::Application;
use tempfile::TempDir;
use tokio::sync::oneshot;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

pub const ENGINES: [Engine; 2] = [Engine::Sqlite, Engine::Postgres];

pub fn pg_admin_url() -> String {
    std::env::var("ATENDE_TEST_PG_URL")
        .ok()
        .filter(|url| !url.is_empty())
        .unwrap_or_else(|| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// `url` with its database name replaced by `name`.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((base, query)) => (base, format!("?{query}")),
        None => (url, String::new()),
    };
    let server = base.rsplit_once('/').map_or(base, |(server, _)| server);
    format!("{server}/{name}{query}")
}

/// A PostgreSQL database that exists for one test.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub async fn create() -> Result<PgDatabase, sea_orm::DbErr> {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let prefix =
            std::env::var("ATENDE_TEST_DB_PREFIX").unwrap_or_else(|_| "atende_test".into());
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or_default();
        let name = format!(
            "{prefix}_{}_{}_{nanos}",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        )
        .to_lowercase();
        let admin = Database::connect(pg_admin_url()).await?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await?;
        admin.close().await?;
        let url = with_database(&pg_admin_url(), &name);
        Ok(PgDatabase { name, url })
    }

    /// Drops the database now, with its connections (used to simulate an outage).
    pub async fn drop_now(&self) -> Result<(), sea_orm::DbErr> {
        let admin = Database::connect(pg_admin_url()).await?;
        admin
            .execute_unprepared(&format!(
                "DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)",
                self.name
            ))
            .await?;
        admin.close().await
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let name = self.name.clone();
        // Drop runs inside the test's runtime; a thread with its own runtime can block.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build();
            if let Ok(runtime) = runtime {
                runtime.block_on(async {
                    if let Ok(admin) = Database::connect(pg_admin_url()).await {
                        let _ = admin
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"
                            ))
                            .await;
                        let _ = admin.close().await;
                    }
                });
            }
        })
        .join();
    }
}

/// Where a test's data lives: a temporary directory, and for PostgreSQL a database.
pub struct TestStorage {
    pub engine: Engine,
    pub dir: TempDir,
    pub pg: Option<PgDatabase>,
}

impl TestStorage {
    pub async fn new(engine: Engine) -> Result<TestStorage, Box<dyn std::error::Error>> {
        let dir = tempfile::Builder::new().prefix("atende-test-").tempdir()?;
        let pg = match engine {
            Engine::Sqlite => None,
            Engine::Postgres => Some(PgDatabase::create().await?),
        };
        Ok(TestStorage { engine, dir, pg })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    pub fn site_root(&self) -> PathBuf {
        self.dir.path().join("site")
    }

    /// The configuration the server would read from its environment for this storage.
    pub fn config(&self) -> Result<Config, server::config::ConfigError> {
        let data_dir = self.data_dir();
        let site_root = self.site_root();
        let database_url = self.pg.as_ref().map(|pg| pg.url.clone());
        Config::from_lookup(move |name| match name {
            "ATENDE_ADDR" => Some("127.0.0.1:0".to_owned()),
            "ATENDE_DATA_DIR" => Some(data_dir.display().to_string()),
            "ATENDE_SITE_ROOT" => Some(site_root.display().to_string()),
            "DATABASE_URL" => database_url.clone(),
            _ => None,
        })
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub storage: TestStorage,
    stop: Option<oneshot::Sender<()>>,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> Result<TestApp, Box<dyn std::error::Error>> {
        let storage = TestStorage::new(engine).await?;
        write_site(&storage.site_root())?;
        let app = Application::build(&storage.config()?).await?;
        let base = format!("http://{}", app.local_addr());
        let db = app.db().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()?;
        Ok(TestApp {
            base,
            client,
            db,
            storage,
            stop: Some(stop),
        })
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.client.get(self.url(path)).send().await
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// A minimal site root, like the one scripts/build produces, for the static-file tests.
pub fn write_site(root: &Path) -> std::io::Result<()> {
    let pkg = root.join("pkg");
    std::fs::create_dir_all(&pkg)?;
    std::fs::write(pkg.join("atende.css"), "body { color: black; }\n")?;
    std::fs::write(pkg.join("atende.css.br"), b"\x0b\x0b\x80body{}\x03")?;
    std::fs::write(pkg.join("atende.js"), "export default function init() {}\n")?;
    std::fs::write(
        root.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )?;
    Ok(())
}
