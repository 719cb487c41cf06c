// Tests for exercise `nursery` (chapter 8, "Structured concurrency").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Jobs sleep on tokio's paused clock, so "the group returned after 20 ms"
// is exact virtual time.

use ch08_exercises::nursery::{Job, nursery};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;
use tokio::time::Instant;

/// Counts, on drop, that a job's future is gone (finished or cancelled).
struct Ended(Arc<AtomicUsize>);

impl Drop for Ended {
    fn drop(&mut self) {
        self.0.fetch_add(1, Ordering::SeqCst);
    }
}

/// A job that sleeps `millis` of virtual time, then returns `outcome`.
fn job(millis: u64, outcome: Result<u32, &'static str>, ended: &Arc<AtomicUsize>) -> Job<u32> {
    let guard = Ended(Arc::clone(ended));
    Box::pin(async move {
        let _guard = guard;
        tokio::time::sleep(Duration::from_millis(millis)).await;
        outcome.map_err(str::to_string)
    })
}

fn counter() -> Arc<AtomicUsize> {
    Arc::new(AtomicUsize::new(0))
}

/// Keeps the planned panic out of the test output; any other panic prints as usual.
fn quiet_planned_crashes() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let planned = info
                .payload()
                .downcast_ref::<&str>()
                .is_some_and(|message| message.starts_with("planned crash"));
            if !planned {
                default(info);
            }
        }));
    });
}

/// An hour of virtual time is the net for a group that never returns.
async fn run(jobs: Vec<Job<u32>>) -> (Result<Vec<u32>, String>, u64) {
    let started = Instant::now();
    match tokio::time::timeout(Duration::from_secs(3600), nursery(jobs)).await {
        Ok(outcome) => (outcome, started.elapsed().as_millis() as u64),
        Err(_) => panic!("nursery had not returned after an hour of virtual time"),
    }
}

#[tokio::test(start_paused = true)]
async fn all_succeed_in_input_order_at_the_pace_of_the_slowest() {
    let ended = counter();
    let jobs = vec![
        job(30, Ok(7), &ended),
        job(10, Ok(3), &ended),
        job(20, Ok(9), &ended),
    ];
    let (outcome, took_ms) = run(jobs).await;
    assert_eq!(
        outcome,
        Ok(vec![7, 3, 9]),
        "jobs answering 7, 3, 9 (finishing at 30, 10, 20 ms) must be reported in input order, \
         not completion order"
    );
    assert_eq!(
        took_ms, 30,
        "three jobs of 30, 10 and 20 ms took {took_ms} ms of virtual time, expected 30 (the \
         slowest): are they awaited one after another instead of spawned?"
    );
}

#[tokio::test(start_paused = true)]
async fn no_jobs_is_an_empty_success() {
    let (outcome, took_ms) = run(Vec::new()).await;
    assert_eq!(outcome, Ok(vec![]), "no jobs: Ok with no values");
    assert_eq!(took_ms, 0, "no jobs: nothing to wait for");
}

#[tokio::test(start_paused = true)]
async fn the_first_failure_cancels_the_rest() {
    let ended = counter();
    let jobs = vec![
        job(5_000, Ok(1), &ended),
        job(20, Err("disk full"), &ended),
        job(10, Ok(2), &ended),
    ];
    let (outcome, took_ms) = run(jobs).await;
    assert_eq!(
        outcome,
        Err("disk full".to_string()),
        "the failing job's message is the group's error"
    );
    assert_eq!(
        took_ms, 20,
        "the failure came at 20 ms, but the group returned at {took_ms} ms: at the first failure, \
         abort the other jobs instead of waiting for the 5 s one"
    );
}

#[tokio::test(start_paused = true)]
async fn cancelled_jobs_have_ended_before_it_returns() {
    let ended = counter();
    let jobs = vec![
        job(5_000, Ok(1), &ended),
        job(20, Err("bad input"), &ended),
        job(7_000, Ok(2), &ended),
        job(10, Ok(3), &ended),
    ];
    let (outcome, _) = run(jobs).await;
    assert!(
        outcome.is_err(),
        "one job failed, so the group fails; got {outcome:?}"
    );
    let gone = ended.load(Ordering::SeqCst);
    assert_eq!(
        gone, 4,
        "when nursery returned, only {gone} of the 4 jobs' futures had been dropped: \
         `abort_all` only asks, each task stops at its next poll. Like a TaskGroup, wait for \
         them (`join_next` until None) before returning."
    );
}

#[tokio::test(start_paused = true)]
async fn the_earliest_failure_wins_not_the_first_in_the_list() {
    let ended = counter();
    let jobs = vec![job(50, Err("late"), &ended), job(10, Err("early"), &ended)];
    let (outcome, took_ms) = run(jobs).await;
    assert_eq!(
        outcome,
        Err("early".to_string()),
        "the second job failed first (10 ms, before the first at 50 ms): the first failure in \
         time decides, so take results as they complete (`join_next`), not in list order"
    );
    assert_eq!(
        took_ms, 10,
        "and the group returns when that failure happens"
    );
}

#[tokio::test(start_paused = true)]
async fn a_panicking_job_is_a_failure() {
    quiet_planned_crashes();
    let ended = counter();
    let crashing: Job<u32> = Box::pin(async {
        tokio::time::sleep(Duration::from_millis(15)).await;
        panic!("planned crash: a job fell over");
    });
    let jobs = vec![job(5_000, Ok(1), &ended), crashing];
    let (outcome, took_ms) = run(jobs).await;
    match outcome {
        Err(message) => assert!(
            message.contains("panicked"),
            "a panicking job must give an error that says it panicked, got {message:?}"
        ),
        Ok(values) => panic!("a job panicked but the group succeeded with {values:?}"),
    }
    assert_eq!(took_ms, 15, "the panic at 15 ms cancels the 5 s job");
    assert_eq!(
        ended.load(Ordering::SeqCst),
        1,
        "the 5 s job was cancelled and dropped before the group returned"
    );
}

#[tokio::test(start_paused = true)]
async fn simultaneous_failures_report_one_of_them() {
    let ended = counter();
    let jobs = vec![
        job(10, Err("left"), &ended),
        job(10, Err("right"), &ended),
        job(900, Ok(5), &ended),
    ];
    let (outcome, took_ms) = run(jobs).await;
    assert!(
        matches!(
            outcome.as_ref().map_err(String::as_str),
            Err("left" | "right")
        ),
        "two jobs failed at the same instant: either message will do, got {outcome:?}"
    );
    assert_eq!(took_ms, 10, "both failures came at 10 ms");
    assert_eq!(
        ended.load(Ordering::SeqCst),
        3,
        "every job's future was dropped before returning"
    );
}

#[tokio::test(start_paused = true)]
async fn several_groups_in_a_row_are_independent() {
    for round in 0..3u32 {
        let ended = counter();
        let jobs = (0..5)
            .map(|i| job(u64::from(5 - i) * 10, Ok(round * 10 + i), &ended))
            .collect();
        let (outcome, took_ms) = run(jobs).await;
        let expected: Vec<u32> = (0..5).map(|i| round * 10 + i).collect();
        assert_eq!(
            outcome,
            Ok(expected),
            "round {round}: five successes, in input order"
        );
        assert_eq!(took_ms, 50, "round {round}: the slowest job takes 50 ms");
        assert_eq!(
            ended.load(Ordering::SeqCst),
            5,
            "round {round}: all five jobs ended"
        );
    }
}
