//! A stream of requests fanned out with `buffered(k)`: at most `k` in flight,
//! answers in request order. With equal latencies the requests go in waves
//! of `k`, so the model is `ceil(n / k) * latency`.

use futures::stream::{self, StreamExt};
use std::time::Duration;
// tokio's Instant follows the paused clock in tests and the real one otherwise.
use tokio::time::Instant;

/// A stand-in for a network call: waits `latency`, answers with the id.
async fn fetch(id: u32, latency: Duration) -> u32 {
    tokio::time::sleep(latency).await;
    id
}

// ANCHOR: buffered
/// Runs `n` fetches through `buffered(k)` and returns the answers in the
/// order they came out and the time taken.
pub async fn fan_out(n: u32, k: usize, latency: Duration) -> (Vec<u32>, Duration) {
    let started = Instant::now();
    let answers = stream::iter(0..n)
        .map(|id| fetch(id, latency)) // a stream of futures, none started yet
        .buffered(k) // keeps k of them running, yields in input order
        .collect::<Vec<_>>()
        .await;
    (answers, started.elapsed())
}
// ANCHOR_END: buffered

/// The same with `buffer_unordered(k)`: answers in completion order.
pub async fn fan_out_unordered(n: u32, k: usize, latency: Duration) -> (Vec<u32>, Duration) {
    let started = Instant::now();
    let answers = stream::iter(0..n)
        .map(|id| fetch(id, latency))
        .buffer_unordered(k)
        .collect::<Vec<_>>()
        .await;
    (answers, started.elapsed())
}

/// `ceil(n / k) * latency`.
pub fn predicted(n: u32, k: usize, latency: Duration) -> Duration {
    latency * (n as usize).div_ceil(k) as u32
}
