//! Builds the application (database, migrations, demo data, routes) separately from
//! running it, so tests can start the real server on port 0 with their own database.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use app::domain::attachment::AttachmentLimits;
use app::server::attachments::AttachmentStore;
use app::server::cep::{CepProvider, ViaCep};
use app::server::clock::Clock;
use app::server::mail::Mailer;
use app::state::{AppState, AuthSettings, Live, Runtime, TicketRules};
use app::{App, shell};
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::serve::ListenerExt;
use leptos::config::{Env, LeptosOptions};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use leptos_router::SsrMode;
use sea_orm::DatabaseConnection;
use tokio::net::TcpListener;

use crate::config::Config;
use crate::{assets, db, security, seed};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot open the database: {0}")]
    Database(#[source] sea_orm::DbErr),
    #[error("cannot apply the database migrations: {0}")]
    Migrations(#[source] sea_orm::DbErr),
    #[error("cannot load the demo catalog: {0}")]
    Seed(#[source] sea_orm::DbErr),
    #[error("cannot set up mail: {0}")]
    Mail(#[source] app::server::mail::MailError),
    #[error("cannot set up the CEP lookup: {0}")]
    Cep(#[source] app::server::cep::CepError),
    #[error("cannot create the attachment folder {path}: {source}")]
    Attachments {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
}

/// Parts a test may replace; production uses the defaults.
#[derive(Default)]
pub struct Overrides {
    pub clock: Option<Arc<dyn Clock>>,
    pub cep: Option<Arc<dyn CepProvider>>,
    /// Routes a test adds behind every layer of the real application (e.g. one that
    /// panics, to show what a panic answers).
    pub extra_routes: Option<Router<AppState>>,
}

impl Application {
    /// Connects, migrates, loads the demo catalog and binds the listener.
    pub async fn build(config: &Config) -> Result<Application, StartupError> {
        Application::build_with(config, Overrides::default()).await
    }

    pub async fn build_with(
        config: &Config,
        overrides: Overrides,
    ) -> Result<Application, StartupError> {
        let db = prepare_database(config).await?;
        let listener =
            TcpListener::bind(config.addr)
                .await
                .map_err(|source| StartupError::Listen {
                    addr: config.addr,
                    source,
                })?;
        let addr = listener
            .local_addr()
            .map_err(|source| StartupError::Listen {
                addr: config.addr,
                source,
            })?;
        let bundle = assets::bundle_hash(&config.site_root);
        if assets::bundle_missing(&config.site_root, bundle.as_deref()) {
            tracing::error!(
                site_root = %config.site_root.display(),
                bundle = bundle.as_deref().unwrap_or_default(),
                "pkg/BUNDLE names a bundle directory that does not exist: pages will load \
                 without their style sheet and script (run scripts/build)"
            );
        }
        let leptos_options = LeptosOptions::builder()
            .output_name("atende")
            .site_root(config.site_root.to_string_lossy().into_owned())
            .site_pkg_dir(assets::pkg_dir(bundle.as_deref()))
            .site_addr(addr)
            .env(if cfg!(debug_assertions) {
                Env::DEV
            } else {
                Env::PROD
            })
            .build();
        let mailer = match &config.smtp_url {
            Some(url) => Mailer::smtp(url, &config.mail_from),
            None => Mailer::files(config.data_dir.join("mail"), &config.mail_from),
        }
        .map_err(StartupError::Mail)?;
        let cep: Arc<dyn CepProvider> = match overrides.cep {
            Some(cep) => cep,
            None => Arc::new(ViaCep::new(&config.viacep_url).map_err(StartupError::Cep)?),
        };
        let attachment_dir = config.data_dir.join("anexos");
        let attachments = AttachmentStore::open(
            attachment_dir.clone(),
            AttachmentLimits {
                max_bytes: config.attachment_max_bytes,
                max_files: config.attachment_max_files,
            },
            config.attachment_quota_bytes,
        )
        .map_err(|source| StartupError::Attachments {
            path: attachment_dir.display().to_string(),
            source,
        })?;
        let state = AppState {
            leptos_options,
            db,
            clock: overrides.clock.unwrap_or_else(|| config.clock()),
            auth: Arc::new(AuthSettings {
                session_idle: chrono::Duration::minutes(config.session_idle_minutes.into()),
                session_absolute: chrono::Duration::hours(config.session_max_hours.into()),
                secure_cookies: config.secure_cookies,
                trusted_proxies: config.trusted_proxies.clone(),
                ..AuthSettings::default()
            }),
            mailer: Arc::new(mailer),
            cep,
            live: Arc::new(Live::new(Runtime {
                time_zone: config.time_zone,
                public_url: config
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{addr}")),
                tickets: TicketRules {
                    rating_window: chrono::Duration::days(config.rating_days.into()),
                    reopen_window: chrono::Duration::hours(config.reopen_hours.into()),
                },
                auth_domain: config.auth_domain.clone(),
                allowed_types: app::domain::attachment::known_types(),
            })),
            attachments: Arc::new(attachments),
            ticket_writes: Arc::default(),
            hashing: Arc::new(app::server::password::HashLimiter::new(
                config.hash_concurrency,
                16 * config.hash_concurrency,
            )),
            jobs: Arc::new(app::state::Jobs {
                mail_retry: chrono::Duration::seconds(config.mail_retry_seconds.into()),
                sla_every: std::time::Duration::from_secs(config.sla_watch_seconds.into()),
                mail_concurrency: config.mail_concurrency as usize,
                ..app::state::Jobs::default()
            }),
        };
        // What administrators saved in "Configurações" overrides the environment.
        if let Err(err) = app::server::settings::load(&state).await {
            tracing::warn!(error = %err, "stored settings not loaded");
        }
        let router = router_with(
            state.clone(),
            config,
            overrides.extra_routes.unwrap_or_default(),
        );
        Ok(Application {
            listener,
            router,
            state,
        })
    }

    pub fn local_addr(&self) -> SocketAddr {
        // The listener was bound in `build`, which already read its address once.
        self.listener
            .local_addr()
            .unwrap_or(self.state.leptos_options.site_addr)
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.state.db
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until `shutdown` completes, then lets requests in flight finish.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> std::io::Result<()> {
        // Connect info gives server functions the client's address (login throttling).
        let service = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let maintenance = tokio::spawn(app::server::maintenance::run(self.state.clone()));
        let outbox = tokio::spawn(app::server::outbox::run(self.state.clone()));
        let watcher = tokio::spawn(app::server::sla_watch::run(self.state.clone()));
        let settings = tokio::spawn(app::server::settings::run(self.state.clone()));
        let listener = self.listener.tap_io(tune_connection);
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(shutdown)
            .await;
        maintenance.abort();
        outbox.abort();
        watcher.abort();
        settings.abort();
        // Let another instance take the jobs over at once.
        for lease in ["outbox", "sla-watcher"] {
            let _ = app::server::leases::release(&self.state.db, lease, &self.state.jobs.instance)
                .await;
        }
        served
    }
}

/// Every accepted connection gets TCP_NODELAY: pages are streamed in several small
/// writes, and with Nagle's algorithm each one after the first waits for the client's
/// delayed ACK (measured: ≈40 ms per page on a kept-alive connection, 185 pages/s).
pub fn tune_connection(tcp: &mut tokio::net::TcpStream) {
    if let Err(err) = tcp.set_nodelay(true) {
        tracing::warn!(error = %err, "cannot set TCP_NODELAY");
    }
}

/// Opens the configured database and brings its schema and demo data up to date.
pub async fn prepare_database(config: &Config) -> Result<DatabaseConnection, StartupError> {
    if config.is_sqlite() {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
    }
    let db = db::connect(&config.database_url, config.sqlite_synchronous)
        .await
        .map_err(StartupError::Database)?;
    // One process at a time (`db::begin_setup`); all of it or nothing.
    let setup = db::begin_setup(&db)
        .await
        .map_err(StartupError::Migrations)?;
    db::migrate(&setup)
        .await
        .map_err(StartupError::Migrations)?;
    if config.demo_catalog {
        let inserted = seed::demo_catalog(&setup)
            .await
            .map_err(StartupError::Seed)?;
        if inserted > 0 {
            tracing::info!(inserted, "demo catalog loaded");
        }
    }
    setup.commit().await.map_err(StartupError::Migrations)?;
    Ok(db)
}

/// The app's routes, generated once per process. Generating them renders the app with
/// resource loading suppressed process-wide (leptos#4773): a request rendering at that
/// moment in another application of the same process (the tests run several) would wait
/// forever on its resources.
pub fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

pub fn router(state: AppState, config: &Config) -> Router {
    router_with(state, config, Router::new())
}

/// The application's router with `extra` routes merged in before the layers.
pub fn router_with(state: AppState, config: &Config, extra: Router<AppState>) -> Router {
    let routes = route_list();
    let context = {
        let state = state.clone();
        move || {
            provide_context(state.clone());
            provide_context(app::server::session::RequestCaller::default());
            security::set_page_csp();
        }
    };
    let shell_options = state.leptos_options.clone();
    let https = state.public_url().starts_with("https://");

    // The bundle's directory, as the pages name it (read once, at start-up).
    let hash = state
        .leptos_options
        .site_pkg_dir
        .strip_prefix("pkg/")
        .map(str::to_owned);
    let pkg = assets::routes(&config.site_root, hash);

    // The pages rendered whole before answering get this crate's handler (`whole_page`),
    // the streamed ones leptos_axum's.
    let (whole, streamed): (Vec<_>, Vec<_>) = routes
        .into_iter()
        .partition(|listing| matches!(listing.mode(), SsrMode::Async));
    let mut pages = Router::new();
    for listing in whole {
        pages = pages.route(
            listing.path(),
            get(whole_page(context.clone(), shell_options.clone())),
        );
    }

    let mut router = Router::new()
        .route("/healthz", get(healthz))
        .merge(pages)
        .nest("/pkg", pkg)
        .merge(app::server::attachments::routes())
        .merge(app::server::audit::routes())
        .merge(extra)
        .merge(app::server::forms::routes(context.clone()))
        .leptos_routes_with_context(&state, streamed, context.clone(), {
            let options = shell_options.clone();
            move || shell(options.clone())
        })
        .fallback_service(files_or_not_found(
            config.site_root.clone(),
            context,
            shell_options,
        ))
        .with_state(state);
    for layer in security::default_headers() {
        router = router.layer(layer);
    }
    if https {
        router = router.layer(security::strict_transport_security());
    }
    router = router
        .layer(axum::middleware::from_fn(security::server_fn_error_status))
        .layer(axum::middleware::from_fn(security::same_origin_writes));
    router
        // A panic anywhere in a request answers 500 and is logged, never a dropped
        // connection that nobody notices.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            security::panic_response,
        ))
        .layer(tower_http::trace::TraceLayer::new_for_http())
}

/// The handler of a page rendered whole before its headers leave (`SsrMode::Async`: its
/// data decides the status). With leptos_axum's own handler for that mode, pages under
/// concurrent requests now and then answered 500 ("you tried to access a reactive
/// value ... already disposed", about one page in 200 with eight clients): after the
/// render, leptos_meta reads the page's `<title>` (a closure over the language signal)
/// from the response's future, after a yield, without making the request's arena the
/// thread's current one again (reactive_graph 0.2.16's sandboxed arenas are set by
/// each poll of a request's own futures and never restored), so the title's signal was
/// looked up in whichever request's arena the thread had last polled. A streamed page
/// does not suffer it: polling its first chunk renders inside the request's owner,
/// which sets the arena just before the title is read. This handler gives the whole
/// page the same property: its chunks are handed out inside the request's owner.
fn whole_page<C>(
    context: C,
    options: LeptosOptions,
) -> impl Fn(axum::extract::Request) -> PinnedFuture<axum::response::Response>
+ Clone
+ Send
+ Sync
+ 'static
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    move |request| {
        let context = context.clone();
        let options = options.clone();
        leptos_axum::handle_response_inner(
            move || {
                provide_context(leptos_router::Method::Get);
                context();
            },
            move || shell(options),
            request,
            render_whole,
        )
    }
}

/// What no route took: one of the site's public files (`/favicon.svg`), else the
/// not-found page (404). Not leptos_axum's `file_and_error_handler`: it serves a file
/// inside a reactive owner made the child of whatever owner the thread last had
/// current, which can be a page still rendering for another request, and then moves
/// that page's response headers (its Content-Security-Policy) onto the file's
/// response. Seen in Chromium: an agent's ticket page, loaded while the browser fetched
/// the favicon, arrived with the files' policy (nothing may run) and never came alive.
fn files_or_not_found<C>(
    site_root: std::path::PathBuf,
    context: C,
    options: LeptosOptions,
) -> tower_http::services::ServeDir<
    impl tower::Service<
        axum::extract::Request,
        Response = axum::response::Response,
        Error = std::convert::Infallible,
        Future = impl Send,
    > + Clone
    + Send
    + Sync
    + 'static,
>
where
    C: Fn() + Clone + Send + Sync + 'static,
{
    let page = whole_page(context, options);
    let not_found = tower::service_fn(move |request: axum::extract::Request| {
        let rendered = page(request);
        async move {
            let mut response = rendered.await;
            if response.status() == StatusCode::OK {
                *response.status_mut() = StatusCode::NOT_FOUND;
            }
            Ok::<_, std::convert::Infallible>(response)
        }
    });
    tower_http::services::ServeDir::new(site_root)
        .append_index_html_on_directories(false)
        .call_fallback_on_method_not_allowed(true)
        .fallback(not_found)
}

type PinnedFuture<T> = std::pin::Pin<Box<dyn Future<Output = T> + Send>>;
type PinnedStream<T> = std::pin::Pin<Box<dyn futures_util::Stream<Item = T> + Send>>;

/// Renders the whole page, then the resources' data after it; every chunk is polled
/// inside the request's owner (called inside it: leptos_axum's `build_response`).
fn render_whole<V>(
    view: V,
    data: Box<dyn FnOnce() -> PinnedStream<String> + Send>,
    _out_of_order: bool,
) -> PinnedFuture<PinnedStream<String>>
where
    V: leptos::prelude::IntoView + 'static,
{
    use futures_util::StreamExt;
    let owner = leptos::prelude::Owner::current();
    let html = view.to_html_stream_in_order();
    Box::pin(async move {
        let html = html.collect::<String>().await;
        let mut chunks = futures_util::stream::once(std::future::ready(html)).chain(data());
        Box::pin(futures_util::stream::poll_fn(move |cx| match &owner {
            Some(owner) => owner.with(|| chunks.poll_next_unpin(cx)),
            None => chunks.poll_next_unpin(cx),
        })) as PinnedStream<String>
    })
}

/// 200 when the database answers, 503 otherwise.
async fn healthz(State(state): State<AppState>) -> impl IntoResponse {
    match state.db.ping().await {
        Ok(()) => (StatusCode::OK, "ok"),
        Err(err) => {
            tracing::warn!(error = %err, "health check: database unreachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// Rendering deeply nested views needs more stack than tokio's 2 MiB default (debug
/// builds most of all): workers get 16 MiB of address space (only what is touched is
/// ever committed).
pub const WORKER_STACK: usize = 16 * 1024 * 1024;

/// The runtime the server runs on (the binary's, and the tests' server side).
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .thread_stack_size(WORKER_STACK)
        .build()
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::error!(error = %err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn accepted_connections_do_not_wait_for_delayed_acks() -> std::io::Result<()> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (_client, accepted) =
            tokio::join!(tokio::net::TcpStream::connect(addr), listener.accept());
        let (mut server_side, _) = accepted?;
        assert!(!server_side.nodelay()?, "the OS default changed");
        tune_connection(&mut server_side);
        assert!(server_side.nodelay()?);
        Ok(())
    }
}
