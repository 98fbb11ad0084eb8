//! Starting the real application for a test, on SQLite or PostgreSQL.
//!
//! PostgreSQL: the server named by `ATENDE_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`, the one the build machines run). Each
//! test creates its own database and drops it when done, even when the test fails.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering};

use app::error::AppError;
use app::server::clock::OffsetClock;
use app::state::AppState;
use axum::extract::Path as UrlPath;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use server::config::Config;
use server::startup::{Application, Overrides};
use tempfile::TempDir;
use tokio::sync::oneshot;

pub type TestResult = Result<(), Box<dyn std::error::Error>>;

/// PostgreSQL's plan for `sql` with sequential and plain index scans off: what an index
/// built for it (a trigram GIN) must then answer.
pub async fn plan_without_scans(
    db: &DatabaseConnection,
    sql: &str,
) -> Result<String, Box<dyn std::error::Error>> {
    use sea_orm::{DbBackend, Statement, TransactionTrait};
    let txn = db.begin().await?;
    txn.execute_unprepared("SET LOCAL enable_seqscan = off")
        .await?;
    txn.execute_unprepared("SET LOCAL enable_indexscan = off")
        .await?;
    let plan = txn
        .query_all_raw(Statement::from_string(
            DbBackend::Postgres,
            format!("EXPLAIN {sql}"),
        ))
        .await?
        .iter()
        .map(|row| row.try_get_by_index::<String>(0))
        .collect::<Result<Vec<_>, _>>()?
        .join("\n");
    txn.rollback().await?;
    Ok(plan)
}

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
        Ok(TestStorage { dir, pg })
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

/// A loopback HTTP server that answers in ViaCEP's format: the boundary to a
/// third-party service is the only thing stood in for; Atende's real client calls it.
pub struct FakeViaCep {
    pub base: String,
    pub hits: Arc<AtomicUsize>,
}

async fn viacep_answer(UrlPath(cep): UrlPath<String>) -> axum::response::Response {
    match cep.as_str() {
        "70040020" => axum::Json(json!({
            "cep": "70040-020", "logradouro": "SBN Quadra 2", "complemento": "",
            "bairro": "Asa Norte", "localidade": "Brasília", "uf": "DF",
            "ibge": "5300108", "gia": "", "ddd": "61", "siafi": "9701"
        }))
        .into_response(),
        "01001000" => axum::Json(json!({
            "cep": "01001-000", "logradouro": "Praça da Sé", "complemento": "lado ímpar",
            "bairro": "Sé", "localidade": "São Paulo", "uf": "SP"
        }))
        .into_response(),
        "99999999" => (StatusCode::SERVICE_UNAVAILABLE, "down").into_response(),
        _ => axum::Json(json!({ "erro": "true" })).into_response(),
    }
}

impl FakeViaCep {
    pub async fn start() -> std::io::Result<FakeViaCep> {
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let router = axum::Router::new()
            .route("/ws/{cep}/json/", axum::routing::get(viacep_answer))
            .layer(axum::middleware::from_fn(
                move |request: axum::extract::Request, next: axum::middleware::Next| {
                    counter.fetch_add(1, Ordering::SeqCst);
                    next.run(request)
                },
            ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let base = format!("http://{}/ws", listener.local_addr()?);
        tokio::spawn(async move { axum::serve(listener, router).await });
        Ok(FakeViaCep { base, hits })
    }
}

/// A running server and what a test needs to talk to it.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    /// The server's own state, for calling its housekeeping directly.
    pub state: AppState,
    pub storage: TestStorage,
    pub clock: Arc<OffsetClock>,
    pub viacep: FakeViaCep,
    stop: Option<oneshot::Sender<()>>,
    /// The server runs on its own runtime, built as the binary builds it.
    runtime: Option<tokio::runtime::Runtime>,
}

impl TestApp {
    pub async fn spawn(engine: Engine) -> Result<TestApp, Box<dyn std::error::Error>> {
        TestApp::spawn_configured(engine, |_| {}).await
    }

    /// Like `spawn`, with the configuration adjusted by `adjust` first.
    pub async fn spawn_configured(
        engine: Engine,
        adjust: impl FnOnce(&mut Config),
    ) -> Result<TestApp, Box<dyn std::error::Error>> {
        TestApp::spawn_with(engine, adjust, None, |_| Ok(())).await
    }

    /// The most general start: `adjust` the configuration, add `extra_routes` behind
    /// every layer, and `prepare` the storage (files in the data dir) before the server
    /// starts.
    pub async fn spawn_with(
        engine: Engine,
        adjust: impl FnOnce(&mut Config),
        extra_routes: Option<axum::Router<AppState>>,
        prepare: impl FnOnce(&TestStorage) -> std::io::Result<()>,
    ) -> Result<TestApp, Box<dyn std::error::Error>> {
        let storage = TestStorage::new(engine).await?;
        prepare(&storage)?;
        write_site(&storage.site_root())?;
        let viacep = FakeViaCep::start().await?;
        let clock = Arc::new(OffsetClock::default());
        let mut config = storage.config()?;
        config.viacep_url = viacep.base.clone();
        adjust(&mut config);
        let overrides = Overrides {
            clock: Some(clock.clone()),
            cep: None,
            extra_routes,
        };
        let runtime = server::startup::runtime()?;
        let app = runtime
            .spawn(async move { Application::build_with(&config, overrides).await })
            .await??;
        let base = format!("http://{}", app.local_addr());
        let db = app.db().clone();
        let state = app.state().clone();
        let (stop, stopped) = oneshot::channel::<()>();
        runtime.spawn(app.run_until(async {
            let _ = stopped.await;
        }));
        // A request that never completes fails its test instead of stalling the run.
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(60))
            .build()?;
        Ok(TestApp {
            base,
            client,
            db,
            state,
            storage,
            clock,
            viacep,
            stop: Some(stop),
            runtime: Some(runtime),
        })
    }

    /// A new browser: its own cookie jar, and the `Origin` a page of this site sends.
    pub fn browser(&self) -> Result<Browser, reqwest::Error> {
        let mut headers = reqwest::header::HeaderMap::new();
        if let Ok(origin) = reqwest::header::HeaderValue::from_str(&self.base) {
            headers.insert(reqwest::header::ORIGIN, origin);
        }
        Ok(Browser {
            base: self.base.clone(),
            client: reqwest::Client::builder()
                .cookie_store(true)
                .timeout(std::time::Duration::from_secs(60))
                .default_headers(headers)
                .redirect(reqwest::redirect::Policy::none())
                .build()?,
        })
    }

    /// The answer of a registration CAPTCHA, read where only the server keeps it.
    pub async fn captcha_answer(&self, id: &str) -> Result<i32, Box<dyn std::error::Error>> {
        use sea_orm::EntityTrait;
        Ok(entity::captcha::Entity::find_by_id(id.to_owned())
            .one(&self.db)
            .await?
            .ok_or("no such captcha")?
            .answer)
    }

    pub async fn user_count(&self) -> Result<u64, sea_orm::DbErr> {
        use sea_orm::{EntityTrait, PaginatorTrait};
        entity::user_account::Entity::find().count(&self.db).await
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
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The content hash of the test site's bundle (scripts/build computes the real one).
pub const BUNDLE: &str = "0123456789abcdef";

/// A minimal site root, like the one scripts/build produces: the bundle's files in a
/// directory named after their hash, which `pkg/BUNDLE` names, and `public/`'s files.
pub fn write_site(root: &Path) -> std::io::Result<()> {
    let pkg = root.join("pkg").join(BUNDLE);
    std::fs::create_dir_all(&pkg)?;
    std::fs::write(root.join("pkg").join("BUNDLE"), format!("{BUNDLE}\n"))?;
    std::fs::write(pkg.join("atende.css"), "body { color: black; }\n")?;
    std::fs::write(pkg.join("atende.css.br"), b"\x0b\x0b\x80body{}\x03")?;
    std::fs::write(pkg.join("atende.js"), "export default function init() {}\n")?;
    std::fs::write(
        root.join("favicon.svg"),
        "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
    )?;
    Ok(())
}

/// A browser's view of the server functions: POSTs with cookies and `Origin`.
pub struct Browser {
    pub base: String,
    pub client: reqwest::Client,
}

/// The outcome of a server function call: the value, or the error and its HTTP status.
pub type Call<T> = Result<T, (u16, AppError)>;

impl Browser {
    /// Opens a page, with this browser's cookies.
    pub async fn get(&self, path: &str) -> reqwest::Result<reqwest::Response> {
        self.client.get(format!("{}{path}", self.base)).send().await
    }

    /// Calls `/api/{endpoint}`: with JSON arguments, or with none.
    pub async fn call<T: DeserializeOwned>(
        &self,
        endpoint: &str,
        args: Option<Value>,
    ) -> Result<Call<T>, Box<dyn std::error::Error>> {
        let request = self.client.post(format!("{}/api/{endpoint}", self.base));
        let request = match args {
            Some(args) => request.json(&args),
            None => request
                .header("content-type", "application/x-www-form-urlencoded")
                .body(""),
        };
        let response = request.send().await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        if (200..300).contains(&status) {
            Ok(Ok(
                serde_json::from_str(&body).map_err(|err| format!("{endpoint}: {err}: {body}"))?
            ))
        } else {
            let error: AppError = serde_json::from_str(&body)
                .map_err(|err| format!("{endpoint} ({status}): {err}: {body}"))?;
            Ok(Err((status, error)))
        }
    }
}

/// A mail server on loopback that speaks enough SMTP (RFC 5321: greeting, EHLO/HELO,
/// MAIL, RCPT, DATA with dot-stuffing, RSET, NOOP, QUIT) to accept what lettre sends,
/// and keeps each message's envelope and data for the test to read.
pub struct SmtpSink {
    pub url: String,
    pub messages: Arc<std::sync::Mutex<Vec<SmtpMessage>>>,
}

#[derive(Clone, Debug, Default)]
pub struct SmtpMessage {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl SmtpSink {
    pub async fn start() -> std::io::Result<SmtpSink> {
        use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("smtp://{}", listener.local_addr()?);
        let messages = Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = messages.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let store = store.clone();
                tokio::spawn(async move {
                    let (read, mut write) = stream.into_split();
                    let mut lines = BufReader::new(read).lines();
                    let mut current = SmtpMessage::default();
                    let _ = write.write_all(b"220 sink.test ESMTP\r\n").await;
                    while let Ok(Some(line)) = lines.next_line().await {
                        let upper = line.to_ascii_uppercase();
                        let reply: &[u8] = if upper.starts_with("EHLO") {
                            b"250-sink.test\r\n250 8BITMIME\r\n"
                        } else if upper.starts_with("HELO") || upper.starts_with("NOOP") {
                            b"250 OK\r\n"
                        } else if upper.starts_with("MAIL FROM:") {
                            current = SmtpMessage {
                                from: line[10..].trim().to_owned(),
                                ..Default::default()
                            };
                            b"250 OK\r\n"
                        } else if upper.starts_with("RCPT TO:") {
                            current.to.push(line[8..].trim().to_owned());
                            b"250 OK\r\n"
                        } else if upper == "DATA" {
                            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
                            let mut data = String::new();
                            while let Ok(Some(line)) = lines.next_line().await {
                                if line == "." {
                                    break;
                                }
                                data.push_str(line.strip_prefix('.').unwrap_or(&line));
                                data.push('\n');
                            }
                            current.data = data;
                            if let Ok(mut stored) = store.lock() {
                                stored.push(std::mem::take(&mut current));
                            }
                            b"250 queued\r\n"
                        } else if upper == "RSET" {
                            current = SmtpMessage::default();
                            b"250 OK\r\n"
                        } else if upper == "QUIT" {
                            let _ = write.write_all(b"221 bye\r\n").await;
                            break;
                        } else {
                            b"502 not implemented\r\n"
                        };
                        if write.write_all(reply).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        Ok(SmtpSink { url, messages })
    }

    pub fn received(&self) -> Vec<SmtpMessage> {
        self.messages.lock().map(|m| m.clone()).unwrap_or_default()
    }
}
