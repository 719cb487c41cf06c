// Tests for exercise `ticker` (chapter 6, "Periodic work and clean stops").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The period is 100 ms and each job takes 30 ms, on the paused clock: job n
// should start at exactly n * 100 ms of virtual time.

use ch06_exercises::ticker::run_periodic;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

const PERIOD: Duration = Duration::from_millis(100);
const JOB: Duration = Duration::from_millis(30);

/// What one run saw: start and end times of each job (ms after the start),
/// the count returned, and when `run_periodic` returned.
#[derive(Debug)]
struct Run {
    starts: Vec<u64>,
    ends: Vec<u64>,
    returned: u64,
    stopped_at: u64,
}

/// Runs the ticker and cancels its token `cancel_after` after the start.
async fn run(cancel_after: Duration) -> Run {
    let start = Instant::now();
    let since_start = move || start.elapsed().as_millis() as u64;
    let starts = Arc::new(Mutex::new(Vec::new()));
    let ends = Arc::new(Mutex::new(Vec::new()));

    let stop = CancellationToken::new();
    let canceller = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(cancel_after).await;
        canceller.cancel();
    });

    let job = |_n: u64| {
        let (starts, ends) = (Arc::clone(&starts), Arc::clone(&ends));
        async move {
            starts.lock().unwrap().push(since_start());
            tokio::time::sleep(JOB).await;
            ends.lock().unwrap().push(since_start());
        }
    };
    let ticker = run_periodic(PERIOD, stop, job);
    let returned = match tokio::time::timeout(Duration::from_secs(3600), ticker).await {
        Ok(count) => count,
        Err(_) => panic!(
            "the ticker was still running an hour (virtual) after its token was cancelled: does \
             the loop `select!` on `stop.cancelled()`?"
        ),
    };
    let stopped_at = since_start();
    let (starts, ends) = (starts.lock().unwrap().clone(), ends.lock().unwrap().clone());
    Run {
        starts,
        ends,
        returned,
        stopped_at,
    }
}

#[tokio::test(start_paused = true)]
async fn jobs_start_on_the_period_without_drift() {
    let run = run(Duration::from_millis(350)).await;
    assert_eq!(
        run.starts,
        vec![0, 100, 200, 300],
        "with a 100 ms period, jobs start at 0, 100, 200 and 300 ms (cancelled at 350 ms). \
         Starts at 0, 130, 260 mean `sleep(period)` after each 30 ms job: the schedule drifts, \
         use `tokio::time::interval`. Starts at 100, 200, 300 mean the first tick was delayed: \
         an interval's first tick completes at once."
    );
    assert_eq!(
        run.returned, 4,
        "four jobs ran, so run_periodic returns 4, got {}",
        run.returned
    );
}

#[tokio::test(start_paused = true)]
async fn an_idle_ticker_stops_as_soon_as_cancelled() {
    let run = run(Duration::from_millis(350)).await;
    assert_eq!(
        run.stopped_at, 350,
        "the token was cancelled at 350 ms while the ticker waited for its next tick, so it \
         should stop at 350 ms, not at {} ms: wait for the tick and for `stop.cancelled()` \
         together with `tokio::select!`, instead of checking `is_cancelled()` after each tick",
        run.stopped_at
    );
}

#[tokio::test(start_paused = true)]
async fn a_running_job_is_finished_not_cut() {
    // Job 3 runs from 300 to 330 ms; the token is cancelled in the middle.
    let run = run(Duration::from_millis(310)).await;
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
        (run.returned, run.stopped_at),
        (4, 330),
        "expected 4 jobs and a stop at 330 ms, when job 3 ends; got {} jobs and a stop at {} ms",
        run.returned,
        run.stopped_at
    );
}
