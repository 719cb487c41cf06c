// Tests for exercise `ticker` (chapter 6, "Periodic work and clean stops").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The period is 100 ms, on the paused clock: job n should start at exactly
// n * 100 ms of virtual time while jobs are shorter than the period. Every
// test runs under the watchdog, so a ticker that blocks its thread fails with
// "deadlock suspected" instead of hanging.
//
// `select!` picks among ready branches at random unless told `biased;`. The
// test where a job outlasts the period makes a tick and the stop request
// ready at the same moment, and repeats that 32 times, so an answer that
// leaves the choice to chance fails every run, not one run in two.

use ch06_exercises::ticker::run_periodic;
use paused::paused;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

#[path = "support/paused.rs"]
mod paused;

const PERIOD: Duration = Duration::from_millis(100);
/// Virtual time a ticker gets to stop after the start; far more than any needs.
const NET: Duration = Duration::from_secs(60);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: the ticker blocked its thread (std::thread::sleep? a \
     blocking wait?) instead of awaiting tokio's timers.";

/// What one run saw: the number each job was given, start and end times of
/// each job (ms after the start), the count returned (None if the ticker was
/// still running a minute after the start), and when `run_periodic` returned.
#[derive(Debug)]
struct Run {
    numbers: Vec<u64>,
    starts: Vec<u64>,
    ends: Vec<u64>,
    returned: Option<u64>,
    stopped_at: u64,
}

/// Runs the ticker with jobs of `job_time` and cancels its token
/// `cancel_after` after the start.
async fn run(cancel_after: Duration, job_time: Duration) -> Run {
    let start = Instant::now();
    let since_start = move || start.elapsed().as_millis() as u64;
    let numbers = Arc::new(Mutex::new(Vec::new()));
    let starts = Arc::new(Mutex::new(Vec::new()));
    let ends = Arc::new(Mutex::new(Vec::new()));

    let stop = CancellationToken::new();
    let canceller = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(cancel_after).await;
        canceller.cancel();
    });

    let job = |n: u64| {
        let (numbers, starts, ends) =
            (Arc::clone(&numbers), Arc::clone(&starts), Arc::clone(&ends));
        async move {
            numbers.lock().unwrap().push(n);
            starts.lock().unwrap().push(since_start());
            tokio::time::sleep(job_time).await;
            ends.lock().unwrap().push(since_start());
        }
    };
    let ticker = run_periodic(PERIOD, stop, job);
    let returned = tokio::time::timeout(NET, ticker).await.ok();
    let stopped_at = since_start();
    let copy = |list: &Arc<Mutex<Vec<u64>>>| list.lock().unwrap().clone();
    Run {
        numbers: copy(&numbers),
        starts: copy(&starts),
        ends: copy(&ends),
        returned,
        stopped_at,
    }
}

/// The count a run returned; fails if the ticker never stopped.
fn returned(run: &Run, why: &str) -> u64 {
    run.returned.unwrap_or_else(|| {
        panic!(
            "the ticker was still running a minute (virtual) after the start, long after its \
             token was cancelled ({} jobs had started): {why}",
            run.starts.len()
        )
    })
}

#[test]
fn jobs_start_on_the_period_without_drift() {
    let run = paused("a ticker cancelled at 350 ms", HANG_HINT, || {
        run(ms(350), ms(30))
    });
    let count = returned(&run, "does the loop `select!` on `stop.cancelled()`?");
    assert_eq!(
        run.starts,
        vec![0, 100, 200, 300],
        "with a 100 ms period, jobs start at 0, 100, 200 and 300 ms (cancelled at 350 ms). \
         Starts at 0, 130, 260 mean `sleep(period)` after each 30 ms job: the schedule drifts, \
         use `tokio::time::interval`. Starts at 100, 200, 300 mean the first tick was delayed: \
         an interval's first tick completes at once."
    );
    assert_eq!(
        count, 4,
        "four jobs ran, so run_periodic returns 4, got {count}"
    );
}

#[test]
fn jobs_are_numbered_from_zero() {
    let run = paused("a ticker cancelled at 350 ms", HANG_HINT, || {
        run(ms(350), ms(30))
    });
    assert_eq!(
        run.numbers,
        vec![0, 1, 2, 3],
        "job(n) is called with n = 0, 1, 2, 3 in turn: the count of jobs run before it"
    );
}

#[test]
fn an_idle_ticker_stops_as_soon_as_cancelled() {
    let run = paused("a ticker cancelled at 350 ms", HANG_HINT, || {
        run(ms(350), ms(30))
    });
    returned(&run, "does the loop `select!` on `stop.cancelled()`?");
    assert_eq!(
        run.stopped_at, 350,
        "the token was cancelled at 350 ms while the ticker waited for its next tick, so it \
         should stop at 350 ms, not at {} ms: wait for the tick and for `stop.cancelled()` \
         together with `tokio::select!`, instead of checking `is_cancelled()` after each tick",
        run.stopped_at
    );
}

#[test]
fn a_token_cancelled_before_the_start_runs_no_job() {
    let run = paused("a ticker cancelled at once", HANG_HINT, || {
        run(Duration::ZERO, ms(30))
    });
    // The canceller task has not run yet when the ticker starts: the first
    // tick and the stop request race, and the stop must win it.
    let count = returned(&run, "does the loop `select!` on `stop.cancelled()`?");
    assert!(
        count <= 1 && run.stopped_at <= 30,
        "the token is cancelled at 0 ms: at most the first job may run, and the ticker must \
         stop by 30 ms; it ran {count} job(s) and stopped at {} ms",
        run.stopped_at
    );
}

#[test]
fn a_running_job_is_finished_not_cut() {
    // Job 3 runs from 300 to 330 ms; the token is cancelled in the middle.
    let run = paused("a ticker cancelled at 310 ms", HANG_HINT, || {
        run(ms(310), ms(30))
    });
    let count = returned(&run, "does the loop `select!` on `stop.cancelled()`?");
    assert_eq!(
        run.ends.len(),
        run.starts.len(),
        "a job was started but never finished (starts {:?}, ends {:?}): the job was awaited \
         inside the `select!`, so cancelling dropped it halfway. Await the job after the \
         `select!` that waits for the tick.",
        run.starts,
        run.ends
    );
    assert_eq!(
        (count, run.stopped_at),
        (4, 330),
        "expected 4 jobs and a stop at 330 ms, when job 3 ends; got {count} jobs and a stop at \
         {} ms",
        run.stopped_at
    );
}

#[test]
fn a_stop_request_wins_over_a_ready_tick_every_time() {
    // Jobs of 150 ms overrun the 100 ms period, so whenever a job ends the
    // next tick is already due. The token is cancelled at 350 ms, during job
    // 2 (300-450 ms): when it ends, the stop request and a tick are both
    // ready, and the stop must win, every time.
    let runs = paused("32 overrunning tickers", HANG_HINT, || async {
        let mut runs = Vec::new();
        for _ in 0..32 {
            let run = run(ms(350), ms(150)).await;
            let never_stopped = run.returned.is_none();
            runs.push(run);
            if never_stopped {
                break;
            }
        }
        runs
    });
    for (round, run) in runs.iter().enumerate() {
        let count = returned(
            run,
            "a job outlasts the period, so a tick is always ready when the loop comes back \
             to the `select!`: with `biased;` and the tick branch first, the stop branch is \
             never chosen. Put the `stop.cancelled()` branch first.",
        );
        assert_eq!(
            (count, run.starts.clone(), run.stopped_at),
            (3, vec![0, 150, 300], 450),
            "round {round} of 32: the token was cancelled at 350 ms, during the job that began \
             at 300 ms, so the ticker should finish that job and stop at 450 ms after 3 jobs; \
             it ran jobs starting at {:?} and stopped at {} ms. When the job ends, a tick is \
             already due and the stop request is waiting too: without `biased;` \
             `tokio::select!` picks one of the ready branches at random and sometimes starts \
             another job after the stop request. Write `biased;` with the stop branch first.",
            run.starts,
            run.stopped_at
        );
    }
}
