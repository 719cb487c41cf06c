// Tests for exercise `task_group` (chapter 6, "Task groups: waiting for all,
// cancelling on failure"). The same file grades the stub and the reference
// solution; keep plain `//` comments at the top (the solution includes this
// file with `include!`).
//
// Every test runs on a one-thread runtime with tokio's paused clock, under the
// watchdog. Each job holds a "live" guard while it exists (dropped when it
// finishes or is cancelled) and records its id when it runs to the end, so
// the tests see which jobs were cancelled and whether any outlived the group.

use ch06_exercises::task_group::run_group;
use futures::FutureExt;
use futures::future::BoxFuture;
use paused::paused;
use std::any::Any;
use std::panic::AssertUnwindSafe;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: something blocked the runtime's only thread, or the \
     group waits for a task that can never end.";

/// What a job does once its time is up.
#[derive(Clone, Copy)]
enum End {
    Succeed,
    Fail,
    Panic,
}

type Job = BoxFuture<'static, Result<u64, String>>;

/// Counts live jobs and records which ran to their end.
#[derive(Default, Clone)]
struct Jobs {
    live: Arc<AtomicUsize>,
    finished: Arc<Mutex<Vec<u64>>>,
}

/// Lives inside a job's future: counts it live until the future is dropped.
struct LiveGuard(Arc<AtomicUsize>);

impl Drop for LiveGuard {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Jobs {
    /// Job `id`: runs for `after`, then succeeds with `id`, fails with
    /// "job <id> failed", or panics with "job <id> exploded".
    fn job(&self, id: u64, after: Duration, end: End) -> Job {
        self.live.fetch_add(1, Ordering::SeqCst);
        let guard = LiveGuard(Arc::clone(&self.live));
        let finished = Arc::clone(&self.finished);
        Box::pin(async move {
            let _guard = guard;
            tokio::time::sleep(after).await;
            finished.lock().unwrap().push(id);
            match end {
                End::Succeed => Ok(id),
                End::Fail => Err(format!("job {id} failed")),
                End::Panic => panic!("job {id} exploded"),
            }
        })
    }

    fn live(&self) -> usize {
        self.live.load(Ordering::SeqCst)
    }

    fn finished(&self) -> Vec<u64> {
        self.finished.lock().unwrap().clone()
    }
}

/// What one group run saw: its outcome, when it returned, the jobs still
/// alive at that moment, and the jobs that ran to their end by then.
struct Outcome {
    result: Result<Vec<u64>, Vec<String>>,
    took: Duration,
    live_at_return: usize,
    finished: Vec<u64>,
}

async fn run(jobs: &Jobs, batch: Vec<Job>) -> Outcome {
    let start = Instant::now();
    let result = tokio::time::timeout(Duration::from_secs(3600), run_group(batch))
        .await
        .expect("the group was still running after an hour of virtual time");
    Outcome {
        result,
        took: start.elapsed(),
        live_at_return: jobs.live(),
        finished: jobs.finished(),
    }
}

/// The text of a panic payload.
fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(not a string)".to_string()
    }
}

#[test]
fn every_output_comes_back_in_job_order() {
    let outcome = paused("a group of three good jobs", HANG_HINT, || async {
        let jobs = Jobs::default();
        let batch = vec![
            jobs.job(7, ms(300), End::Succeed),
            jobs.job(3, ms(100), End::Succeed),
            jobs.job(9, ms(200), End::Succeed),
        ];
        run(&jobs, batch).await
    });
    assert_eq!(
        outcome.result,
        Ok(vec![7, 3, 9]),
        "the jobs finish in the order 3, 9, 7, but the outputs come back in the order of the \
         jobs (7, 3, 9): keep each job's position, not its finishing rank"
    );
    assert_eq!(
        outcome.took,
        ms(300),
        "jobs of 300, 100 and 200 ms run at the same time and take 300 ms, the longest; took \
         {:?}. Are they awaited one after another instead of spawned together?",
        outcome.took
    );
}

#[test]
fn an_empty_group_succeeds_at_once() {
    let outcome = paused("an empty group", HANG_HINT, || async {
        let jobs = Jobs::default();
        run(&jobs, Vec::new()).await
    });
    assert_eq!(
        (outcome.result, outcome.took),
        (Ok(vec![]), Duration::ZERO),
        "a group with no jobs has nothing to wait for: Ok(vec![]) at once"
    );
}

#[test]
fn the_first_failure_cancels_the_rest() {
    let outcome = paused("a group where one job fails", HANG_HINT, || async {
        let jobs = Jobs::default();
        let batch = vec![
            jobs.job(7, ms(500), End::Succeed),
            jobs.job(3, ms(100), End::Fail),
            jobs.job(9, ms(300), End::Fail),
        ];
        run(&jobs, batch).await
    });
    assert_eq!(
        outcome.result,
        Err(vec!["job 3 failed".to_string()]),
        "job 3 fails at 100 ms; jobs 7 and 9 are cancelled then, so job 9 never gets to fail, \
         and a cancelled job is not an error of its own"
    );
    assert_eq!(
        (outcome.took, outcome.finished),
        (ms(100), vec![3]),
        "the group should return at 100 ms, when job 3 fails, with only job 3 run to its end; \
         it returned at {:?}. Waiting for every job to end is a JoinSet without cancellation: \
         on the first error, call abort_all() on the rest.",
        outcome.took
    );
    assert_eq!(
        outcome.live_at_return, 0,
        "{} cancelled job(s) were still alive when the group returned. `abort()` and \
         `abort_all()` only ask: a task is gone once `join_next()` has handed back its \
         outcome (a JoinError that is_cancelled), so keep draining the set to None before \
         returning, as asyncio's TaskGroup waits for its cancelled children.",
        outcome.live_at_return
    );
}

#[test]
fn failures_at_the_same_moment_are_all_returned() {
    let outcome = paused("a group where two jobs fail at once", HANG_HINT, || async {
        let jobs = Jobs::default();
        let batch = vec![
            jobs.job(9, ms(100), End::Fail),
            jobs.job(3, ms(50), End::Succeed),
            jobs.job(7, ms(100), End::Fail),
            jobs.job(1, ms(400), End::Succeed),
        ];
        run(&jobs, batch).await
    });
    assert_eq!(
        outcome.result,
        Err(vec!["job 9 failed".to_string(), "job 7 failed".to_string()]),
        "jobs 9 and 7 both fail at 100 ms, before any cancellation could reach either: both \
         errors must come back, in job order (like the exceptions of an ExceptionGroup). \
         Returning at the first error, or aborting and then discarding what the set still \
         hands back, loses the second one."
    );
    assert_eq!(
        (outcome.took, outcome.live_at_return),
        (ms(100), 0),
        "the group returns at 100 ms with no job left alive"
    );
}

#[test]
fn a_panic_cancels_the_rest_then_reaches_the_caller() {
    let (joined, took, live, finished) =
        paused("a group where one job panics", HANG_HINT, || async {
            let jobs = Jobs::default();
            let batch = vec![
                jobs.job(7, ms(500), End::Succeed),
                jobs.job(3, ms(100), End::Panic),
            ];
            let start = Instant::now();
            // The panic is caught right here, in the task that awaits the group,
            // so the test sees what was still alive at the moment it arrived.
            let group = AssertUnwindSafe(run_group(batch)).catch_unwind();
            let joined = tokio::time::timeout(Duration::from_secs(3600), group)
                .await
                .expect("the group was still running after an hour of virtual time");
            let live = jobs.live();
            let outcome = joined.map_err(|payload| panic_text(&*payload));
            (outcome, start.elapsed(), live, jobs.finished())
        });
    match &joined {
        Err(text) if text.contains("job 3 exploded") => {}
        other => panic!(
            "job 3 panics at 100 ms: the group must pass the panic on to its caller \
             (std::panic::resume_unwind with the payload from JoinError::into_panic), but the \
             group ended with {other:?}"
        ),
    }
    assert_eq!(
        (took, live, finished.clone()),
        (ms(100), 0, vec![3]),
        "when job 3 panicked at 100 ms, job 7 should have been cancelled and gone before the \
         panic reached the caller; the panic arrived at {took:?} with {live} job(s) still alive \
         and jobs {finished:?} run to their end. Panicking inside the group (an `expect` on the \
         JoinError) drops the JoinSet, which only asks its tasks to stop."
    );
}

#[test]
fn dropping_the_group_cancels_its_jobs() {
    let (gave_up, live, finished) = paused("a group whose caller gives up", HANG_HINT, || async {
        let jobs = Jobs::default();
        let batch = vec![
            jobs.job(7, ms(500), End::Succeed),
            jobs.job(3, ms(1000), End::Succeed),
        ];
        let gave_up = tokio::time::timeout(ms(150), run_group(batch))
            .await
            .is_err();
        // Give aborted tasks every chance to be dropped, and leaked ones
        // every chance to finish.
        tokio::time::sleep(Duration::from_secs(5)).await;
        (gave_up, jobs.live(), jobs.finished())
    });
    assert!(
        gave_up,
        "jobs of 500 and 1000 ms cannot finish within 150 ms"
    );
    assert_eq!(
        (live, finished.clone()),
        (0, vec![]),
        "the group's caller gave up at 150 ms; its jobs must be cancelled with it, but {live} \
         were still alive and jobs {finished:?} ran to their end later. A `Vec` of \
         JoinHandles detaches its tasks when dropped; a JoinSet aborts them."
    );
}

#[test]
fn errors_come_back_in_job_order_not_the_order_they_happened() {
    let outcome = paused(
        "two jobs failing one after the other",
        HANG_HINT,
        || async {
            let jobs = Jobs::default();
            // Job 5 (first in the list) fails as soon as job 2 (last) has sent it
            // a signal, in the same instant of virtual time: job 2's failure
            // happens first, job 5's right after, before any cancellation could
            // reach job 5. Both count, listed in the order of the jobs.
            let (signal, signalled) = tokio::sync::oneshot::channel::<()>();
            let waits_for_the_signal: Job = {
                let finished = Arc::clone(&jobs.finished);
                Box::pin(async move {
                    let _ = signalled.await;
                    finished.lock().unwrap().push(5);
                    Err("job 5 failed".to_string())
                })
            };
            let sends_the_signal: Job = Box::pin(async move {
                tokio::time::sleep(ms(100)).await;
                let _ = signal.send(());
                Err("job 2 failed".to_string())
            });
            let batch = vec![
                waits_for_the_signal,
                jobs.job(8, ms(400), End::Succeed),
                sends_the_signal,
            ];
            run(&jobs, batch).await
        },
    );
    assert_eq!(
        outcome.result,
        Err(vec!["job 5 failed".to_string(), "job 2 failed".to_string()]),
        "job 2 (third in the list) failed first and job 5 (first in the list) an instant later: \
         the errors must come back in the order of the jobs, [job 5, job 2], not in the order \
         they happened. Keep each error with its job's position (as the outputs are) and \
         sort by it."
    );
    assert_eq!(
        (outcome.took, outcome.live_at_return, outcome.finished),
        (ms(100), 0, vec![5]),
        "the group returns at 100 ms, job 8 cancelled, nothing left alive"
    );
}
