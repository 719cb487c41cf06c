//! Demo `requests`: N slow requests done sequentially, on threads, as tasks.
//!
//! Every request waits `latency` (a sleep, standing in for the network).
//! The time model predicts: sequential = the sum of the waits; threads and
//! tasks = the longest wait (all waits overlap).

use crate::time_model;
use kit::slow::SlowService;
use kit::table::Table;
use std::sync::Arc;
use std::time::{Duration, Instant};

// ANCHOR: sequential
/// One request after another, each blocking the only thread.
pub fn sequential(service: &SlowService, ids: &[u64]) -> Duration {
    let start = Instant::now();
    for &id in ids {
        service.fetch_blocking(id);
    }
    start.elapsed()
}
// ANCHOR_END: sequential

// ANCHOR: threads
/// One OS thread per request; each thread blocks, but they block together.
pub fn on_threads(service: &SlowService, ids: &[u64]) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for &id in ids {
            scope.spawn(move || service.fetch_blocking(id));
        }
    }); // the scope joins every thread before returning
    start.elapsed()
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// One tokio task per request, all on a single thread: while a task waits,
/// the runtime polls the others.
pub fn as_tasks(service: Arc<SlowService>, ids: &[u64]) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("build a tokio runtime");
    runtime.block_on(async {
        let start = tokio::time::Instant::now();
        let handles: Vec<_> = ids
            .iter()
            .map(|&id| {
                let service = Arc::clone(&service);
                tokio::spawn(async move { service.fetch(id).await })
            })
            .collect();
        for handle in handles {
            handle.await.expect("a request task panicked");
        }
        start.elapsed()
    })
}
// ANCHOR_END: tasks

/// Runs the three strategies and returns the comparison table.
pub fn compare(requests: u64, latency: Duration) -> Table {
    let ids: Vec<u64> = (0..requests).collect();
    let waits = vec![latency; ids.len()];
    let service = Arc::new(SlowService::uniform(latency));
    let mut table = Table::comparison(&format!("{requests} requests of {latency:?}"));
    table.compare(
        "sequential",
        sequential(&service, &ids),
        time_model::sequential(&waits),
    );
    let overlapped = time_model::concurrent(&waits, Duration::ZERO);
    table.compare("one thread each", on_threads(&service, &ids), overlapped);
    table.compare(
        "one tokio task each",
        as_tasks(Arc::clone(&service), &ids),
        overlapped,
    );
    table
}
