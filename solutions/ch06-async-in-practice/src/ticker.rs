//! # Exercise `ticker`: periodic work that stops cleanly on a cancellation token
//!
//! Run a job every `period` with `tokio::time::interval`, and stop as soon as
//! a `CancellationToken` is cancelled: at once when idle, after the current
//! job when one is running, never halfway through a job.
//!
//! Book: chapter 6, "Periodic work and clean stops". Check: `cargo workbook check ticker`.

use std::time::Duration;
use tokio_util::sync::CancellationToken;

// ANCHOR: run_periodic
/// Calls `job(n)` for n = 0, 1, 2... at times 0, `period`, `2 * period`...
/// after the start, awaiting each job to completion, until `stop` is
/// cancelled. Returns how many jobs ran.
///
/// Cancellation is checked while waiting for the next tick, so an idle
/// ticker stops at once; a running job is finished first. When the stop
/// request and a tick are both ready (a job outlasted the period), the stop
/// wins: no job starts after the stop was requested and seen.
pub async fn run_periodic<J, Fut>(period: Duration, stop: CancellationToken, mut job: J) -> u64
where
    J: FnMut(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    // `interval` schedules ticks from the start time, so the time a job takes
    // does not push later ticks back (a `sleep(period)` loop would drift).
    let mut ticks = tokio::time::interval(period);
    let mut jobs_run = 0;
    loop {
        tokio::select! {
            // `biased`: when both are ready, the stop request wins.
            biased;
            _ = stop.cancelled() => return jobs_run,
            _ = ticks.tick() => {}
        }
        // Outside the `select!`: cancelling the token cannot cut the job short.
        job(jobs_run).await;
        jobs_run += 1;
    }
}
// ANCHOR_END: run_periodic
