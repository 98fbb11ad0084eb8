//! Configuration from environment variables. Every variable has a documented default
//! (README.md, "Configuration"); a bad value stops start-up with one line naming it.

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Clone, Debug)]
pub struct Config {
    /// `ATENDE_ADDR` (or cargo-leptos' `LEPTOS_SITE_ADDR`): where to listen.
    pub addr: SocketAddr,
    /// `ATENDE_DATA_DIR`: the embedded database, attachments and outgoing mail live here.
    pub data_dir: PathBuf,
    /// `DATABASE_URL`: `sqlite://…` or `postgres://…`; defaults to a SQLite file in the data dir.
    pub database_url: String,
    /// `ATENDE_SITE_ROOT` (or cargo-leptos' `LEPTOS_SITE_ROOT`): the built browser bundle,
    /// styles and public files.
    pub site_root: PathBuf,
    /// `ATENDE_LOG_FORMAT`: `text` (default) or `json`.
    pub log_format: LogFormat,
    /// `ATENDE_DEMO_CATALOG`: load the demo service catalog taken from the seed guide.
    pub demo_catalog: bool,
    /// `ATENDE_PUBLIC_URL`: how users reach this instance, for links in mail; defaults
    /// to `http://` and the address the server listens on.
    pub public_url: Option<String>,
    /// `ATENDE_AUTH_DOMAIN`: the name in the login page's domain select.
    pub auth_domain: String,
    /// `ATENDE_SMTP_URL`: send mail through this SMTP server (`smtp://user:pass@host:587`,
    /// `smtps://…`); unset, mail is written as .eml files under `<data dir>/mail`.
    pub smtp_url: Option<String>,
    /// `ATENDE_MAIL_FROM`: the sender of outgoing mail.
    pub mail_from: String,
    /// `ATENDE_VIACEP_URL`: base URL of the ViaCEP-compatible CEP service.
    pub viacep_url: String,
    /// `ATENDE_SECURE_COOKIES`: mark cookies `Secure` (default: when the public URL is https).
    pub secure_cookies: bool,
    /// `ATENDE_SESSION_IDLE_MINUTES`: a session ends after this long without activity.
    pub session_idle_minutes: u32,
    /// `ATENDE_SESSION_MAX_HOURS`: a session ends this long after sign-in in any case.
    pub session_max_hours: u32,
    /// `ATENDE_TIME_ZONE`: business hours and dates shown (IANA name).
    pub time_zone: chrono_tz::Tz,
    /// `ATENDE_ATTACHMENT_MAX_BYTES`: the largest attachment accepted (default 10 MiB).
    pub attachment_max_bytes: u64,
    /// `ATENDE_ATTACHMENT_MAX_FILES`: how many files one request may carry (default 10).
    pub attachment_max_files: u32,
    /// `ATENDE_ATTACHMENT_QUOTA_BYTES`: bytes of attachments one user may keep (500 MiB).
    pub attachment_quota_bytes: u64,
    /// `ATENDE_HASH_CONCURRENCY`: password hashes computed at once (default: the number
    /// of cores; sixteen times as many may wait, the rest are asked to try again).
    pub hash_concurrency: usize,
    /// `ATENDE_RATING_DAYS`: the satisfaction survey is open this long after closing.
    pub rating_days: u32,
    /// `ATENDE_REOPEN_HOURS`: a closed ticket can be reopened this long after closing.
    pub reopen_hours: u32,
    /// `ATENDE_MAIL_RETRY_SECONDS`: the first retry of a message not sent (default 30),
    /// doubled each attempt up to an hour.
    pub mail_retry_seconds: u32,
    /// `ATENDE_SLA_WATCH_SECONDS`: how often the SLA watcher runs (default 30).
    pub sla_watch_seconds: u32,
    /// `ATENDE_MAIL_CONCURRENCY`: messages of the outbox in flight at once (default 1).
    pub mail_concurrency: u32,
    /// `ATENDE_SQLITE_SYNCHRONOUS`: `full` (default: a transaction the server confirmed
    /// survives a power loss or an OS crash) or `normal` (faster; the last transactions
    /// before such a crash may be lost, and a confirmed ticket number issued again).
    pub sqlite_synchronous: SqliteSync,
    /// `ATENDE_TRUSTED_PROXIES`: addresses or networks (comma-separated, e.g.
    /// `127.0.0.1,10.0.0.0/8`) of reverse proxies whose `X-Forwarded-For` is believed.
    /// Empty (default): the peer address is the client.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// `ATENDE_CLOCK_OFFSET_FILE`: end-to-end tests only. The clock runs this file's
    /// number of seconds ahead, so tests can move time for the server and the CLI.
    pub clock_offset_file: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqliteSync {
    Full,
    Normal,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("invalid configuration: {var}={value:?}: {reason}")]
pub struct ConfigError {
    pub var: &'static str,
    pub value: String,
    pub reason: &'static str,
}

pub const DEFAULT_ADDR: &str = "127.0.0.1:3000";
pub const DEFAULT_DATA_DIR: &str = "data";
pub const DEFAULT_SITE_ROOT: &str = "target/site";

impl Config {
    pub fn from_env() -> Result<Config, ConfigError> {
        Config::from_lookup(|name| std::env::var(name).ok())
    }

    /// Reads the configuration through `lookup`, so tests can pass their own variables.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        let get = |name: &'static str| lookup(name).filter(|value| !value.trim().is_empty());
        let first = |names: &[&'static str]| {
            names
                .iter()
                .find_map(|&name| get(name).map(|value| (name, value)))
        };

        let addr = match first(&["ATENDE_ADDR", "LEPTOS_SITE_ADDR"]) {
            Some((var, value)) => value.trim().parse().map_err(|_| ConfigError {
                var,
                value,
                reason: "expected an address and port such as 127.0.0.1:3000",
            })?,
            None => DEFAULT_ADDR.parse().map_err(|_| ConfigError {
                var: "ATENDE_ADDR",
                value: DEFAULT_ADDR.into(),
                reason: "built-in default does not parse",
            })?,
        };

        let data_dir =
            PathBuf::from(get("ATENDE_DATA_DIR").unwrap_or_else(|| DEFAULT_DATA_DIR.into()));

        let database_url = match get("DATABASE_URL") {
            Some(url) => {
                let url = url.trim().to_owned();
                if !(url.starts_with("sqlite:")
                    || url.starts_with("postgres://")
                    || url.starts_with("postgresql://"))
                {
                    return Err(ConfigError {
                        var: "DATABASE_URL",
                        value: url,
                        reason: "expected sqlite://PATH or postgres://USER@HOST/DB",
                    });
                }
                url
            }
            None => format!("sqlite://{}", data_dir.join("atende.db").display()),
        };

        let site_root = PathBuf::from(
            first(&["ATENDE_SITE_ROOT", "LEPTOS_SITE_ROOT"])
                .map(|(_, value)| value)
                .unwrap_or_else(|| DEFAULT_SITE_ROOT.into()),
        );

        let log_format = match get("ATENDE_LOG_FORMAT") {
            None => LogFormat::Text,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "text" => LogFormat::Text,
                "json" => LogFormat::Json,
                _ => {
                    return Err(ConfigError {
                        var: "ATENDE_LOG_FORMAT",
                        value,
                        reason: "expected text or json",
                    });
                }
            },
        };

        let demo_catalog = match get("ATENDE_DEMO_CATALOG") {
            None => true,
            Some(value) => parse_bool(&value).ok_or(ConfigError {
                var: "ATENDE_DEMO_CATALOG",
                value,
                reason: "expected true or false",
            })?,
        };

        let public_url = match get("ATENDE_PUBLIC_URL") {
            None => None,
            Some(value) => {
                let url = value.trim().trim_end_matches('/').to_owned();
                if !(url.starts_with("http://") || url.starts_with("https://"))
                    || url.contains(char::is_whitespace)
                {
                    return Err(ConfigError {
                        var: "ATENDE_PUBLIC_URL",
                        value,
                        reason: "expected http(s)://HOST[:PORT][/PATH]",
                    });
                }
                Some(url)
            }
        };

        let smtp_url = match get("ATENDE_SMTP_URL") {
            None => None,
            Some(value) if value.starts_with("smtp://") || value.starts_with("smtps://") => {
                Some(value)
            }
            Some(value) => {
                return Err(ConfigError {
                    var: "ATENDE_SMTP_URL",
                    value,
                    reason: "expected smtp://… or smtps://…",
                });
            }
        };

        let secure_cookies = match get("ATENDE_SECURE_COOKIES") {
            None => public_url
                .as_deref()
                .is_some_and(|url| url.starts_with("https://")),
            Some(value) => parse_bool(&value).ok_or(ConfigError {
                var: "ATENDE_SECURE_COOKIES",
                value,
                reason: "expected true or false",
            })?,
        };

        let positive = |var: &'static str, default: u32| match get(var) {
            None => Ok(default),
            Some(value) => match value.trim().parse::<u32>() {
                Ok(n) if n > 0 => Ok(n),
                _ => Err(ConfigError {
                    var,
                    value,
                    reason: "expected a positive whole number",
                }),
            },
        };

        let time_zone = match get("ATENDE_TIME_ZONE") {
            None => chrono_tz::America::Sao_Paulo,
            Some(value) => value
                .trim()
                .parse::<chrono_tz::Tz>()
                .map_err(|_| ConfigError {
                    var: "ATENDE_TIME_ZONE",
                    value,
                    reason: "expected an IANA time zone such as America/Sao_Paulo",
                })?,
        };

        let sqlite_synchronous = match get("ATENDE_SQLITE_SYNCHRONOUS") {
            None => SqliteSync::Full,
            Some(value) => match value.trim().to_ascii_lowercase().as_str() {
                "full" => SqliteSync::Full,
                "normal" => SqliteSync::Normal,
                _ => {
                    return Err(ConfigError {
                        var: "ATENDE_SQLITE_SYNCHRONOUS",
                        value,
                        reason: "expected full or normal",
                    });
                }
            },
        };

        let trusted_proxies = match get("ATENDE_TRUSTED_PROXIES") {
            None => Vec::new(),
            Some(value) => value
                .split(',')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    part.parse::<ipnet::IpNet>()
                        .or_else(|_| part.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                })
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| ConfigError {
                    var: "ATENDE_TRUSTED_PROXIES",
                    value: value.clone(),
                    reason: "expected addresses or networks such as 127.0.0.1,10.0.0.0/8",
                })?,
        };

        Ok(Config {
            sqlite_synchronous,
            trusted_proxies,
            time_zone,
            addr,
            data_dir,
            database_url,
            site_root,
            log_format,
            demo_catalog,
            public_url,
            auth_domain: get("ATENDE_AUTH_DOMAIN")
                .map(|d| d.trim().to_owned())
                .unwrap_or_else(|| "atende.local".into()),
            smtp_url,
            mail_from: get("ATENDE_MAIL_FROM")
                .unwrap_or_else(|| "Atende <atende@localhost>".into()),
            viacep_url: get("ATENDE_VIACEP_URL")
                .unwrap_or_else(|| "https://viacep.com.br/ws".into()),
            secure_cookies,
            session_idle_minutes: positive("ATENDE_SESSION_IDLE_MINUTES", 120)?,
            session_max_hours: positive("ATENDE_SESSION_MAX_HOURS", 12)?,
            attachment_max_bytes: positive(
                "ATENDE_ATTACHMENT_MAX_BYTES",
                app::domain::attachment::DEFAULT_MAX_BYTES as u32,
            )?
            .into(),
            attachment_max_files: positive(
                "ATENDE_ATTACHMENT_MAX_FILES",
                app::domain::attachment::DEFAULT_MAX_FILES,
            )?,
            attachment_quota_bytes: match get("ATENDE_ATTACHMENT_QUOTA_BYTES") {
                None => app::server::attachments::DEFAULT_QUOTA_BYTES,
                Some(value) => match value.trim().parse::<u64>() {
                    Ok(n) if n > 0 => n,
                    _ => {
                        return Err(ConfigError {
                            var: "ATENDE_ATTACHMENT_QUOTA_BYTES",
                            value,
                            reason: "expected a positive whole number",
                        });
                    }
                },
            },
            hash_concurrency: positive(
                "ATENDE_HASH_CONCURRENCY",
                std::thread::available_parallelism().map_or(2, |n| n.get() as u32),
            )? as usize,
            rating_days: positive("ATENDE_RATING_DAYS", 3)?,
            reopen_hours: positive("ATENDE_REOPEN_HOURS", 24)?,
            mail_retry_seconds: positive("ATENDE_MAIL_RETRY_SECONDS", 30)?,
            sla_watch_seconds: positive("ATENDE_SLA_WATCH_SECONDS", 30)?,
            mail_concurrency: positive("ATENDE_MAIL_CONCURRENCY", 1)?,
            clock_offset_file: get("ATENDE_CLOCK_OFFSET_FILE").map(PathBuf::from),
        })
    }

    /// The clock every time rule uses: the system's, unless a test moves it.
    pub fn clock(&self) -> std::sync::Arc<dyn app::server::clock::Clock> {
        match &self.clock_offset_file {
            Some(path) => {
                std::sync::Arc::new(app::server::clock::FileOffsetClock::new(path.clone()))
            }
            None => std::sync::Arc::new(app::server::clock::SystemClock),
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.starts_with("sqlite:")
    }
}

fn parse_bool(value: &str) -> Option<bool> {
    match value.trim().to_ascii_lowercase().as_str() {
        "1" | "true" | "yes" | "on" => Some(true),
        "0" | "false" | "no" | "off" => Some(false),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn config(vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_lookup(|name| vars.get(name).cloned())
    }

    #[test]
    fn defaults_are_documented_ones() -> Result<(), ConfigError> {
        let c = config(&[])?;
        assert_eq!(c.addr.to_string(), "127.0.0.1:3000");
        assert_eq!(c.data_dir, PathBuf::from("data"));
        assert_eq!(c.database_url, "sqlite://data/atende.db");
        assert_eq!(c.site_root, PathBuf::from("target/site"));
        assert_eq!(c.log_format, LogFormat::Text);
        assert!(c.demo_catalog);
        assert!(c.is_sqlite());
        assert_eq!(c.public_url, None);
        assert_eq!(c.auth_domain, "atende.local");
        assert_eq!(c.smtp_url, None);
        assert_eq!(c.viacep_url, "https://viacep.com.br/ws");
        assert!(!c.secure_cookies);
        assert_eq!((c.session_idle_minutes, c.session_max_hours), (120, 12));
        assert_eq!(
            (c.attachment_max_bytes, c.attachment_max_files),
            (10 * 1024 * 1024, 10)
        );
        Ok(())
    }

    #[test]
    fn database_defaults_into_the_data_dir() -> Result<(), ConfigError> {
        let c = config(&[("ATENDE_DATA_DIR", "/var/lib/atende")])?;
        assert_eq!(c.database_url, "sqlite:///var/lib/atende/atende.db");
        Ok(())
    }

    #[test]
    fn atende_addr_wins_over_cargo_leptos() -> Result<(), ConfigError> {
        let c = config(&[
            ("ATENDE_ADDR", "0.0.0.0:8080"),
            ("LEPTOS_SITE_ADDR", "127.0.0.1:9999"),
        ])?;
        assert_eq!(c.addr.to_string(), "0.0.0.0:8080");
        let c = config(&[("LEPTOS_SITE_ADDR", "127.0.0.1:9999")])?;
        assert_eq!(c.addr.port(), 9999);
        Ok(())
    }

    #[test]
    fn postgres_url_is_accepted() -> Result<(), ConfigError> {
        let c = config(&[("DATABASE_URL", "postgres://postgres@127.0.0.1/atende")])?;
        assert!(!c.is_sqlite());
        Ok(())
    }

    #[test]
    fn https_public_url_turns_secure_cookies_on() -> Result<(), ConfigError> {
        let c = config(&[("ATENDE_PUBLIC_URL", "https://atende.example.gov.br/")])?;
        assert_eq!(
            c.public_url.as_deref(),
            Some("https://atende.example.gov.br")
        );
        assert!(c.secure_cookies);
        let c = config(&[
            ("ATENDE_PUBLIC_URL", "https://atende.example.gov.br"),
            ("ATENDE_SECURE_COOKIES", "false"),
        ])?;
        assert!(!c.secure_cookies);
        Ok(())
    }

    #[test]
    fn bad_values_name_their_variable() {
        let cases = [
            ("ATENDE_ADDR", "localhost"),
            ("ATENDE_ADDR", "127.0.0.1:99999"),
            ("DATABASE_URL", "mysql://root@localhost/x"),
            ("ATENDE_LOG_FORMAT", "yaml"),
            ("ATENDE_DEMO_CATALOG", "maybe"),
            ("ATENDE_PUBLIC_URL", "atende.example"),
            ("ATENDE_SMTP_URL", "mail.example:25"),
            ("ATENDE_SECURE_COOKIES", "sometimes"),
            ("ATENDE_SESSION_IDLE_MINUTES", "0"),
            ("ATENDE_SESSION_MAX_HOURS", "-3"),
            ("ATENDE_TIME_ZONE", "Brasil/Planalto"),
        ];
        for (var, value) in cases {
            let err = config(&[(var, value)]).err();
            assert_eq!(err.as_ref().map(|e| e.var), Some(var), "{var}={value}");
            let line = err.map(|e| e.to_string()).unwrap_or_default();
            assert!(line.contains(var) && line.contains(value), "{line}");
            assert!(!line.contains('\n'));
        }
    }
}
