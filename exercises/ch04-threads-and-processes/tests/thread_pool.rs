// Tests for exercise `thread_pool` (chapter 4, "Thread pools").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

include!("support/rendezvous.rs");

use ch04_exercises::thread_pool::ThreadPool;
use kit::watchdog::{GENEROUS, within};
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread::{self, ThreadId};

/// A gate that jobs wait at until the test opens it.
#[derive(Default)]
struct Gate {
    open: Mutex<bool>,
    opened: Condvar,
}

impl Gate {
    fn wait(&self) {
        let open = self.open.lock().unwrap();
        drop(self.opened.wait_while(open, |open| !*open).unwrap());
    }

    fn open(&self) {
        *self.open.lock().unwrap() = true;
        self.opened.notify_all();
    }
}

/// Opens the gate when dropped. Declared after the pool, it is dropped
/// first when a failed assertion unwinds, so the pool's `Drop` can join its
/// workers instead of hanging the test on a gate nobody will open.
struct OpenOnDrop(Arc<Gate>);

impl Drop for OpenOnDrop {
    fn drop(&mut self) {
        self.0.open();
    }
}

#[test]
fn jobs_run_on_the_workers_not_on_the_caller() {
    let ran_on: Arc<Mutex<Vec<ThreadId>>> = Arc::default();
    let recorded = Arc::clone(&ran_on);
    within(GENEROUS, "a pool of 2 running 40 jobs", "", move || {
        let pool = ThreadPool::new(2);
        for _ in 0..40 {
            let recorded = Arc::clone(&recorded);
            pool.execute(move || recorded.lock().unwrap().push(thread::current().id()));
        }
    });
    let ran_on = ran_on.lock().unwrap();
    assert_eq!(
        ran_on.len(),
        40,
        "all 40 jobs must run by the time the pool is dropped"
    );
    let threads: HashSet<&ThreadId> = ran_on.iter().collect();
    assert!(
        threads.len() <= 2,
        "40 jobs ran on {} different threads, but the pool has 2 workers: a pool reuses its \
         workers instead of starting a thread per job",
        threads.len()
    );
    assert!(
        !threads.contains(&thread::current().id()),
        "a job ran on the thread that called `execute`: `execute` only queues the job"
    );
}

#[test]
fn drop_waits_for_every_queued_job() {
    const QUEUED: usize = 20;
    let gate = Arc::new(Gate::default());
    let done = Arc::new(AtomicUsize::new(0));
    let (started_tx, started_rx) = mpsc::channel();
    let pool = ThreadPool::new(2);
    let _open_on_failure = OpenOnDrop(Arc::clone(&gate));
    // Two jobs occupy both workers until the gate opens...
    for _ in 0..2 {
        let (gate, started_tx) = (Arc::clone(&gate), started_tx.clone());
        pool.execute(move || {
            started_tx.send(()).unwrap();
            gate.wait();
        });
    }
    for _ in 0..2 {
        started_rx.recv_timeout(GENEROUS).expect(
            "the two first jobs never both started on a pool of 2: a worker holds the \
                 queue's lock while its job runs (or the workers never run jobs)",
        );
    }
    // ...so these twenty are certainly still queued when the pool is dropped.
    for _ in 0..QUEUED {
        let done = Arc::clone(&done);
        pool.execute(move || {
            done.fetch_add(1, Ordering::SeqCst);
        });
    }
    let (dropped_tx, dropped_rx) = mpsc::channel();
    thread::spawn(move || {
        let outcome = catch_unwind(AssertUnwindSafe(|| drop(pool)));
        dropped_tx.send(outcome.is_ok()).unwrap();
    });
    // While the gate is shut, a pool that waits for its workers cannot
    // finish dropping. This wait only gives a wrong pool time to show it.
    let returned_early = dropped_rx.recv_timeout(Duration::from_millis(300)).is_ok();
    gate.open();
    assert!(
        !returned_early,
        "dropping the pool returned while two jobs were still running and {QUEUED} were \
         queued: Drop must join every worker, or those jobs are lost when the program exits"
    );
    let drop_ok = dropped_rx
        .recv_timeout(GENEROUS)
        .expect("deadlock suspected: dropping the pool did not finish after the jobs could run");
    assert!(drop_ok, "dropping the pool panicked");
    assert_eq!(
        done.load(Ordering::SeqCst),
        QUEUED,
        "only {} of the {QUEUED} queued jobs ran before drop returned: shutting down closes \
         the queue, but the workers must still drain it before they stop",
        done.load(Ordering::SeqCst)
    );
}

#[test]
fn a_panicking_job_does_not_kill_the_pool() {
    let done = Arc::new(AtomicUsize::new(0));
    let counted = Arc::clone(&done);
    let outcome = within(GENEROUS, "a pool with panicking jobs", "", move || {
        catch_unwind(AssertUnwindSafe(|| {
            let pool = ThreadPool::new(2);
            for n in 0..4 {
                pool.execute(move || panic!("job {n} panics on purpose (this is expected)"));
            }
            for _ in 0..10 {
                let counted = Arc::clone(&counted);
                pool.execute(move || {
                    counted.fetch_add(1, Ordering::SeqCst);
                });
            }
        }))
    });
    assert!(
        outcome.is_ok(),
        "the pool panicked after some jobs panicked (in `execute` or in `drop`): the panic \
         ended the worker threads. Run each job inside `catch_unwind` so that a failing job \
         ends only itself"
    );
    assert_eq!(
        done.load(Ordering::SeqCst),
        10,
        "the jobs queued after the panicking ones must still run"
    );
}

#[test]
fn workers_run_jobs_at_the_same_time() {
    let rendezvous = Arc::new(Rendezvous::new(3));
    let inside = Arc::clone(&rendezvous);
    within(GENEROUS, "a pool of 3 running 3 jobs", "", move || {
        let pool = ThreadPool::new(3);
        for _ in 0..3 {
            let inside = Arc::clone(&inside);
            pool.execute(move || inside.arrive());
        }
    });
    assert_eq!(
        rendezvous.peak(),
        3,
        "a pool of 3 workers ran at most {} jobs at once: is the queue's lock held while the \
         job runs? (`while let Ok(job) = rx.lock().unwrap().recv()` keeps the guard for the \
         whole loop body; take the job in its own statement)",
        rendezvous.peak()
    );
}

#[test]
#[should_panic(expected = "at least one worker")]
fn an_empty_pool_is_refused() {
    let _pool = ThreadPool::new(0);
}
