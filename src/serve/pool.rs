//! The search threads: a fixed set, as many as there are cores, taking
//! requests in order from one queue.
//!
//! A search holds its core from start to end: more searches at once than
//! cores would only share them and make every answer later. A thread takes
//! the next queued search the moment it is done with one, with no hand-over
//! through the async runtime (a semaphore slot handed to a new blocking task
//! per request left the cores idle a fifth of the time under load: see
//! BENCHMARKS.md).

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};

use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// The queue of searches; its threads end when it is dropped.
pub struct Pool {
    queue: mpsc::Sender<Job>,
}

impl Pool {
    /// Start `threads` search threads (at least one).
    pub fn new(threads: usize) -> std::io::Result<Pool> {
        let (queue, jobs) = mpsc::channel::<Job>();
        let jobs = Arc::new(Mutex::new(jobs));
        for i in 0..threads.max(1) {
            let jobs = Arc::clone(&jobs);
            std::thread::Builder::new()
                .name(format!("search-{i}"))
                .spawn(move || work_through(&jobs))?;
        }
        Ok(Pool { queue })
    }

    /// Queue `work`. Its answer comes through the receiver, which reports
    /// an error instead when the work panicked or the pool is gone. Work
    /// whose receiver is dropped before its turn (an abandoned request) is
    /// skipped.
    pub fn run<T, F>(&self, work: F) -> oneshot::Receiver<T>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let (answer, rx) = oneshot::channel();
        let job: Job = Box::new(move || {
            if !answer.is_closed() {
                // (the requester may give up meanwhile: nothing to tell)
                let _ = answer.send(work());
            }
        });
        // a send fails only when no thread is left; the job, and with it the
        // answer's sender, is then dropped and the receiver says so
        let _ = self.queue.send(job);
        rx
    }
}

/// One search thread: the queued jobs one after another, until the queue
/// is gone.
fn work_through(jobs: &Mutex<mpsc::Receiver<Job>>) {
    loop {
        // (the lock is held only while this thread waits for the next job)
        let job = match jobs.lock() {
            Ok(queue) => queue.recv(),
            Err(_) => return,
        };
        let Ok(job) = job else { return };
        // a panic ends its job, not the thread: the job's answer is dropped
        // unsent, and its request fails with a message
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_come_back_and_a_panic_fails_only_its_own_request() {
        // (one thread: were the panic to end it, no later job would be
        // answered)
        let pool = Pool::new(1).expect("threads");
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        rt.block_on(async {
            let failed = pool.run(|| -> u32 { panic!("a search went wrong") });
            let answers: Vec<_> = (0..8u32).map(|i| pool.run(move || i * 2)).collect();
            assert!(failed.await.is_err(), "a panicked job reports an error");
            for (i, a) in answers.into_iter().enumerate() {
                assert_eq!(a.await.expect("answer"), i as u32 * 2);
            }
            // the thread is still there after the panic
            let more: Vec<_> = (0..4u32).map(|i| pool.run(move || i)).collect();
            for (i, a) in more.into_iter().enumerate() {
                assert_eq!(a.await.expect("answer"), i as u32);
            }
        });
    }

    #[test]
    fn an_abandoned_request_is_not_run() {
        let pool = Pool::new(1).expect("threads");
        let (hold, release) = std::sync::mpsc::channel::<()>();
        // the only thread waits until released, with two jobs queued behind
        let busy = pool.run(move || release.recv().is_ok());
        let ran = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = Arc::clone(&ran);
        let abandoned = pool.run(move || flag.store(true, std::sync::atomic::Ordering::SeqCst));
        drop(abandoned);
        let after = pool.run(|| 7);
        hold.send(()).expect("release");
        assert_eq!(after.blocking_recv().expect("answer"), 7);
        assert!(busy.blocking_recv().expect("answer"));
        assert!(
            !ran.load(std::sync::atomic::Ordering::SeqCst),
            "a job whose requester is gone was run"
        );
    }
}
