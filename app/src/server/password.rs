//! argon2id with the crate's defaults, which are OWASP's recommendation (19 MiB, 2
//! passes, 1 lane). Hashing and verification run off the async runtime, and never more
//! of them at once than the machine has cores: every sign-in, registration and password
//! change passes through a [`HashLimiter`], which queues a bounded number of callers and
//! refuses the rest with "try again" (`AppError::Busy`) instead of letting a burst of
//! requests take all the memory (19 MiB each) and every core.

use std::sync::LazyLock;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use tokio::sync::Semaphore;

use crate::error::AppError;

/// Verified against when the account does not exist, so that a wrong login costs the
/// same time as a wrong password and does not reveal which accounts exist.
static DUMMY_HASH: LazyLock<Option<String>> = LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"dummy password 0")
        .ok()
        .map(|hash| hash.to_string())
});

/// Bounds the password hashing in flight: `running` at once, and at most `waiting`
/// more queued behind them; a caller beyond that is refused at once.
#[derive(Debug)]
pub struct HashLimiter {
    running: Semaphore,
    admitted: Semaphore,
}

impl HashLimiter {
    pub fn new(running: usize, waiting: usize) -> HashLimiter {
        let running = running.max(1);
        HashLimiter {
            running: Semaphore::new(running),
            admitted: Semaphore::new(running + waiting),
        }
    }

    /// One hash at a time per core, and sixteen callers queued per core (with a hash
    /// taking about 50 ms, the last of them waits under a second).
    pub fn for_this_machine() -> HashLimiter {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        HashLimiter::new(cores, 16 * cores)
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let Ok(_admitted) = self.admitted.try_acquire() else {
            tracing::warn!("password hashing queue full: request refused");
            return Err(AppError::Busy);
        };
        let _running = self
            .running
            .acquire()
            .await
            .map_err(|_| AppError::Internal)?;
        tokio::task::spawn_blocking(work).await.map_err(|err| {
            tracing::error!(error = %err, "password hashing task failed");
            AppError::Internal
        })
    }
}

impl Default for HashLimiter {
    fn default() -> Self {
        HashLimiter::for_this_machine()
    }
}

pub async fn hash(limiter: &HashLimiter, password: String) -> Result<String, AppError> {
    limiter
        .run(move || {
            Argon2::default()
                .hash_password(password.as_bytes())
                .map(|hash| hash.to_string())
        })
        .await?
        .map_err(|err| {
            tracing::error!(error = %err, "password hashing failed");
            AppError::Internal
        })
}

/// True when `password` matches `hash`; with no hash, does the same work and says no.
/// `Busy` when too many hashes are already queued.
pub async fn verify(
    limiter: &HashLimiter,
    password: String,
    hash: Option<String>,
) -> Result<bool, AppError> {
    limiter
        .run(move || {
            let known = hash.is_some();
            let Some(hash) = hash.or_else(|| DUMMY_HASH.clone()) else {
                return false;
            };
            let matches = Argon2::default()
                .verify_password(password.as_bytes(), hash.as_str())
                .is_ok();
            known && matches
        })
        .await
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_full_queue_refuses_instead_of_piling_up() {
        // One running, one waiting: a third caller meanwhile is refused at once.
        let limiter = Arc::new(HashLimiter::new(1, 1));
        let slow = |limiter: Arc<HashLimiter>| {
            tokio::spawn(async move {
                limiter
                    .run(|| std::thread::sleep(std::time::Duration::from_millis(300)))
                    .await
            })
        };
        let running = slow(limiter.clone());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let waiting = slow(limiter.clone());
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        let started = std::time::Instant::now();
        assert_eq!(limiter.run(|| ()).await, Err(AppError::Busy));
        assert!(
            started.elapsed() < std::time::Duration::from_millis(200),
            "it waited"
        );
        assert_eq!(running.await.ok(), Some(Ok(())));
        assert_eq!(waiting.await.ok(), Some(Ok(())));
        // Once the burst is over, real work goes through again.
        let hashed = hash(&limiter, "senhaforte1".into()).await;
        let Ok(hashed) = hashed else {
            panic!("hashing failed: {hashed:?}");
        };
        assert_eq!(
            verify(&limiter, "senhaforte1".into(), Some(hashed.clone())).await,
            Ok(true)
        );
        assert_eq!(
            verify(&limiter, "outra1234".into(), Some(hashed)).await,
            Ok(false)
        );
    }
}
