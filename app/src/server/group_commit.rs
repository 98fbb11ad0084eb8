//! Group commit for SQLite's single writer.
//!
//! SQLite lets one transaction write at a time. Queueing writers in-process (rather than
//! letting them poll SQLite's busy handler) keeps the order fair, but every writer still
//! pays for its own BEGIN and COMMIT while the others wait, and on two cores each
//! statement is a hop to the connection's thread. Here the writer whose turn comes takes
//! every job queued behind it and runs them as one batch (typically one transaction);
//! the others find their results waiting when their turn comes.
//!
//! The batch runs in its own task, so a caller that goes away (a closed connection drops
//! its request) never leaves the jobs it took half-done or unanswered.

use std::future::Future;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Pending<J, R> = Vec<(J, oneshot::Sender<R>)>;

pub struct GroupCommit<J, R> {
    turn: Arc<tokio::sync::Mutex<()>>,
    pending: Mutex<Pending<J, R>>,
}

impl<J, R> Default for GroupCommit<J, R> {
    fn default() -> Self {
        GroupCommit {
            turn: Arc::default(),
            pending: Mutex::new(Vec::new()),
        }
    }
}

impl<J, R> std::fmt::Debug for GroupCommit<J, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommit").finish_non_exhaustive()
    }
}

impl<J: Send + 'static, R: Send + 'static> GroupCommit<J, R> {
    /// Queues `job` and returns its result. The caller that gets the turn hands every
    /// queued job to `run`, which must return one result per job, in the same order.
    /// `None` only when the batch's task failed (a bug: it panicked).
    pub async fn submit<F, Fut>(&self, job: J, run: F) -> Option<R>
    where
        F: FnOnce(Vec<J>) -> Fut + Send + 'static,
        Fut: Future<Output = Vec<R>> + Send + 'static,
    {
        let (sender, mut receiver) = oneshot::channel();
        self.lock_pending().push((job, sender));
        let turn = Arc::clone(&self.turn).lock_owned().await;
        // A batch taken by the previous turn may already hold this job's result.
        if let Ok(result) = receiver.try_recv() {
            return Some(result);
        }
        // Jobs whose callers went away meanwhile (the client hung up: its request, and
        // with it the receiver, was dropped) are not run: nobody would be told of their
        // result, and a retry would do the work twice.
        let (jobs, senders): (Vec<J>, Vec<oneshot::Sender<R>>) =
            std::mem::take(&mut *self.lock_pending())
                .into_iter()
                .filter(|(_, sender)| !sender.is_closed())
                .unzip();
        if jobs.is_empty() {
            drop(turn);
            return receiver.await.ok();
        }
        let batch = tokio::spawn(async move {
            let results = run(jobs).await;
            debug_assert_eq!(results.len(), senders.len());
            for (sender, result) in senders.into_iter().zip(results) {
                // The caller may be gone; its job was done all the same.
                let _ = sender.send(result);
            }
            drop(turn);
        });
        let _ = batch.await;
        receiver.await.ok()
    }

    fn lock_pending(&self) -> std::sync::MutexGuard<'_, Pending<J, R>> {
        // The list is only pushed to and taken whole; a panic elsewhere cannot leave it
        // inconsistent, so a poisoned lock is still usable.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn every_job_gets_its_own_result_and_jobs_are_batched() {
        let queue: Arc<GroupCommit<u32, (u32, usize)>> = Arc::default();
        let mut tasks = Vec::new();
        for n in 0..200u32 {
            let queue = Arc::clone(&queue);
            tasks.push(tokio::spawn(async move {
                queue
                    .submit(n, |jobs| async move {
                        // Slow enough that others queue behind the running batch.
                        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                        let size = jobs.len();
                        jobs.into_iter().map(|j| (j * 2, size)).collect()
                    })
                    .await
            }));
        }
        let mut largest = 0;
        for (n, task) in tasks.into_iter().enumerate() {
            let (doubled, size) = task.await.expect("task").expect("result");
            assert_eq!(doubled, 2 * n as u32);
            largest = largest.max(size);
        }
        assert!(largest > 1, "no batch ever held more than one job");
    }

    #[tokio::test]
    async fn a_caller_that_goes_away_does_not_lose_the_batch() {
        let queue: Arc<GroupCommit<u32, u32>> = Arc::default();
        let done = Arc::new(std::sync::atomic::AtomicU32::new(0));
        let counter = Arc::clone(&done);
        let leader = {
            let queue = Arc::clone(&queue);
            tokio::spawn(async move {
                queue
                    .submit(1, move |jobs| async move {
                        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
                        counter.fetch_add(jobs.len() as u32, std::sync::atomic::Ordering::SeqCst);
                        jobs
                    })
                    .await
            })
        };
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        leader.abort();
        // The next caller waits for the running batch, then runs its own.
        let second = queue.submit(2, |jobs| async move { jobs }).await;
        assert_eq!(second, Some(2));
        assert_eq!(done.load(std::sync::atomic::Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_queued_job_whose_caller_went_away_is_not_run() {
        let queue: Arc<GroupCommit<u32, u32>> = Arc::default();
        let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
        let run = |seen: Arc<std::sync::Mutex<Vec<u32>>>, pause: u64| {
            move |jobs: Vec<u32>| async move {
                tokio::time::sleep(std::time::Duration::from_millis(pause)).await;
                if let Ok(mut seen) = seen.lock() {
                    seen.extend(jobs.iter().copied());
                }
                jobs
            }
        };
        // 1 holds the turn for a while; 2 queues behind it and its caller goes away.
        let first = {
            let (queue, seen) = (Arc::clone(&queue), Arc::clone(&seen));
            tokio::spawn(async move { queue.submit(1, run(seen, 80)).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        let gone = {
            let (queue, seen) = (Arc::clone(&queue), Arc::clone(&seen));
            tokio::spawn(async move { queue.submit(2, run(seen, 0)).await })
        };
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        gone.abort();
        let third = queue.submit(3, run(Arc::clone(&seen), 0)).await;
        assert_eq!(third, Some(3));
        assert_eq!(first.await.ok().flatten(), Some(1));
        let seen = seen.lock().map(|s| s.clone()).unwrap_or_default();
        assert_eq!(seen, vec![1, 3], "the abandoned job ran");
    }
}
