// wrong: cancellation is checked while waiting for the tick: testing the flag only between jobs makes an idle ticker sleep until its next tick before it stops.
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
/// ticker stops at once; a running job is finished first.
pub async fn run_periodic<J, Fut>(period: Duration, stop: CancellationToken, job: J) -> u64
where
    J: FnMut(u64) -> Fut,
    Fut: Future<Output = ()>,
{
    let mut ticks = tokio::time::interval(period);
    let mut job = job;
    let mut ran = 0;
    loop {
        ticks.tick().await;
        // Stop between jobs, never in the middle of one.
        if stop.is_cancelled() {
            return ran;
        }
        job(ran).await;
        ran += 1;
    }
}
// ANCHOR_END: run_periodic
