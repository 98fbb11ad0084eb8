//! Server state shared by every request, every render and every server function.
//! It reaches server functions through Leptos context (`crate::server::state()`).

use std::sync::Arc;

use axum::extract::FromRef;
use chrono::Duration;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

use crate::server::attachments::AttachmentStore;
use crate::server::cep::CepProvider;
use crate::server::clock::Clock;
use crate::server::mail::Mailer;

#[derive(Clone, Debug)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: DatabaseConnection,
    pub clock: Arc<dyn Clock>,
    pub auth: Arc<AuthSettings>,
    pub mailer: Arc<Mailer>,
    pub cep: Arc<dyn CepProvider>,
    /// The settings administrators change in the app ("Configurações"), applied without
    /// a restart: read them through [`AppState::time_zone`] and its siblings.
    pub live: Arc<Live>,
    /// Where attachments are stored, and their limits.
    pub attachments: Arc<AttachmentStore>,
    /// SQLite has one writer at a time: busy writers poll for its lock with growing
    /// sleeps, which wastes most of the time under load. Ticket creations queue here
    /// instead and are written in batches (see `crate::server::group_commit`).
    pub ticket_writes: Arc<TicketWrites>,
    /// Password hashing in flight (sign-in, registration, password changes).
    pub hashing: Arc<crate::server::password::HashLimiter>,
    /// The background jobs: the outbox worker and the SLA watcher.
    pub jobs: Arc<Jobs>,
}

/// The settings administrators change in the app. The environment gives their values
/// until an administrator changes one (`crate::server::settings`).
#[derive(Clone, Debug)]
pub struct Runtime {
    /// The instance's time zone (`ATENDE_TIME_ZONE`): displayed dates.
    pub time_zone: chrono_tz::Tz,
    /// The address users reach this instance at, for links in mail
    /// (`ATENDE_PUBLIC_URL`), without a trailing slash.
    pub public_url: String,
    /// What a customer may do with a closed ticket, and for how long.
    pub tickets: TicketRules,
    /// The authentication domain offered on the sign-in page (`ATENDE_AUTH_DOMAIN`).
    pub auth_domain: String,
    /// The attachment extensions accepted (a subset of those the server can check).
    pub allowed_types: Vec<String>,
}

/// The current [`Runtime`] settings, replaced whole when an administrator saves them.
#[derive(Debug)]
pub struct Live(std::sync::RwLock<Arc<Runtime>>);

impl Live {
    pub fn new(runtime: Runtime) -> Live {
        Live(std::sync::RwLock::new(Arc::new(runtime)))
    }

    pub fn get(&self) -> Arc<Runtime> {
        match self.0.read() {
            Ok(current) => current.clone(),
            // A writer panicked mid-swap: the value itself is whole (an `Arc`).
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    pub fn set(&self, runtime: Runtime) {
        match self.0.write() {
            Ok(mut current) => *current = Arc::new(runtime),
            Err(poisoned) => *poisoned.into_inner() = Arc::new(runtime),
        }
    }
}

impl AppState {
    pub fn time_zone(&self) -> chrono_tz::Tz {
        self.live.get().time_zone
    }

    pub fn public_url(&self) -> String {
        self.live.get().public_url.clone()
    }

    pub fn tickets(&self) -> TicketRules {
        self.live.get().tickets
    }

    pub fn auth_domain(&self) -> String {
        self.live.get().auth_domain.clone()
    }
}

/// Settings of the background jobs, and how a request wakes the outbox worker.
#[derive(Debug)]
pub struct Jobs {
    /// This instance's name in the leases (host, process and a random part).
    pub instance: String,
    /// Notified when mail is queued, so that it leaves at once.
    pub outbox_wake: tokio::sync::Notify,
    /// One outbox pass at a time in this instance (the lease keeps other instances out).
    pub outbox_turn: tokio::sync::Mutex<()>,
    /// How often the outbox looks for due messages without being woken.
    pub outbox_every: std::time::Duration,
    /// The first retry's delay (`ATENDE_MAIL_RETRY_SECONDS`), doubled each attempt.
    pub mail_retry: Duration,
    /// Messages sent at once.
    pub mail_concurrency: usize,
    /// How often the SLA watcher looks for tickets that became at risk or overdue
    /// (`ATENDE_SLA_WATCH_SECONDS`).
    pub sla_every: std::time::Duration,
    /// Tickets the SLA watcher marks per pass at most (`sla_watch::PASS_MAX`).
    pub sla_pass_max: u64,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs {
            instance: format!(
                "{}-{}-{:08x}",
                std::env::var("HOSTNAME").unwrap_or_else(|_| "atende".to_owned()),
                std::process::id(),
                rand::random::<u32>()
            ),
            outbox_wake: tokio::sync::Notify::new(),
            outbox_turn: tokio::sync::Mutex::new(()),
            outbox_every: std::time::Duration::from_secs(2),
            mail_retry: Duration::seconds(30),
            mail_concurrency: 1,
            sla_every: std::time::Duration::from_secs(30),
            sla_pass_max: crate::server::sla_watch::PASS_MAX,
        }
    }
}

/// The queue of ticket creations waiting for SQLite's write lock.
pub type TicketWrites = crate::server::group_commit::GroupCommit<
    crate::server::tickets::create::Draft,
    crate::server::tickets::create::Written,
>;

/// The windows after a ticket closes (`ATENDE_RATING_DAYS`, `ATENDE_REOPEN_HOURS`).
#[derive(Clone, Copy, Debug)]
pub struct TicketRules {
    /// "Pesquisa de satisfação" is answered within this long (default 3 days).
    pub rating_window: Duration,
    /// "Reabrir" is offered within this long (default 24 hours).
    pub reopen_window: Duration,
}

impl Default for TicketRules {
    fn default() -> Self {
        TicketRules {
            rating_window: Duration::days(3),
            reopen_window: Duration::hours(24),
        }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

/// Rules of accounts and access, with the defaults the README documents.
#[derive(Clone, Debug)]
pub struct AuthSettings {
    pub session_idle: Duration,
    pub session_absolute: Duration,
    /// Adds `Secure` to the session cookie (on when the public URL is https).
    pub secure_cookies: bool,
    pub reset_link_ttl: Duration,
    pub captcha_ttl: Duration,
    pub throttle_window: Duration,
    pub max_failures_per_account: u64,
    pub max_failures_per_client: u64,
    /// Anonymous work an address may ask for per `anonymous_window`: new CAPTCHAs
    /// (each writes a row) and CEP lookups (each may call the CEP service).
    pub anonymous_window: Duration,
    pub max_captchas_per_client: u64,
    pub max_cep_lookups_per_client: u64,
    /// Password-reset mails per `reset_mail_window`, per address and per client.
    pub reset_mail_window: Duration,
    pub max_reset_mails_per_address: u64,
    pub max_reset_mails_per_client: u64,
    /// Reverse proxies whose `X-Forwarded-For` names the client (`ATENDE_TRUSTED_PROXIES`).
    pub trusted_proxies: Vec<ipnet::IpNet>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        AuthSettings {
            session_idle: Duration::hours(2),
            session_absolute: Duration::hours(12),
            secure_cookies: false,
            reset_link_ttl: Duration::minutes(30),
            captcha_ttl: Duration::minutes(10),
            throttle_window: Duration::minutes(15),
            max_failures_per_account: 5,
            max_failures_per_client: 20,
            anonymous_window: Duration::minutes(10),
            max_captchas_per_client: 60,
            max_cep_lookups_per_client: 60,
            reset_mail_window: Duration::hours(1),
            max_reset_mails_per_address: 3,
            max_reset_mails_per_client: 10,
            trusted_proxies: Vec::new(),
        }
    }
}
