//! One injectable clock for every rule that depends on time (session expiry, reset
//! links, CAPTCHA, throttling, and later SLA and the closing windows), so tests move
//! time instead of waiting.

use std::fmt::Debug;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + Debug {
    fn now(&self) -> DateTime<Utc>;
}

#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// The system time moved by an adjustable offset: tests advance it to expire things.
#[derive(Debug, Default)]
pub struct OffsetClock {
    offset_secs: AtomicI64,
}

impl OffsetClock {
    pub fn advance(&self, by: Duration) {
        self.offset_secs
            .fetch_add(by.num_seconds(), Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.offset_secs.load(Ordering::SeqCst))
    }
}

/// The system time moved by the number of seconds written in a file, read at every call
/// (`ATENDE_CLOCK_OFFSET_FILE`). Only for end-to-end tests, where the server and the
/// `atende` CLI run as separate processes and must agree on a moved time. A missing or
/// unreadable file means no offset.
#[derive(Debug)]
pub struct FileOffsetClock {
    path: std::path::PathBuf,
}

impl FileOffsetClock {
    pub fn new(path: std::path::PathBuf) -> Self {
        FileOffsetClock { path }
    }
}

impl Clock for FileOffsetClock {
    fn now(&self) -> DateTime<Utc> {
        let offset = std::fs::read_to_string(&self.path)
            .ok()
            .and_then(|text| text.trim().parse::<i64>().ok())
            .unwrap_or(0);
        Utc::now() + Duration::seconds(offset)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_moves_the_clock() -> std::io::Result<()> {
        let dir = std::env::temp_dir().join(format!("atende-clock-{}", std::process::id()));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("offset");
        let clock = FileOffsetClock::new(path.clone());
        let drift = (clock.now() - Utc::now()).num_seconds().abs();
        assert!(drift < 5, "no file, no offset");
        std::fs::write(&path, "90000\n")?;
        let moved = (clock.now() - Utc::now()).num_seconds();
        assert!((89_995..=90_005).contains(&moved), "{moved}");
        std::fs::remove_dir_all(&dir)
    }
}
