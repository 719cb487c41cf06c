// wrong: at most one thread per core runs at a time (batches of `available_parallelism`), so with more ids than cores the calls do not all wait at once.
//! # Exercise `thread_fanout`: blocking calls, one thread each
//!
//! Make every blocking call on its own OS thread so that all of them wait at
//! the same time, then collect the results in the order of the ids. This is
//! how concurrency looked before async: one thread per thing you wait for.
//!
//! Book: chapter 1, "Concurrent waiting with threads". Check: `cargo workbook check thread_fanout`.

use std::thread;

// ANCHOR: fetch_on_threads
/// Calls `fetch(id)` for every id, each call on its own thread, all running
/// at once; `result[i]` is `fetch(ids[i])`.
pub fn fetch_on_threads<T, F>(ids: &[u64], fetch: F) -> Vec<T>
where
    T: Send,
    F: Fn(u64) -> T + Sync,
{
    let fetch = &fetch;
    // More threads than cores only fight over the cores, so go in batches.
    let batch_size = thread::available_parallelism().map_or(1, |n| n.get());
    let mut results = Vec::with_capacity(ids.len());
    for batch in ids.chunks(batch_size) {
        thread::scope(|scope| {
            let handles: Vec<_> = batch
                .iter()
                .map(|&id| scope.spawn(move || fetch(id)))
                .collect();
            for handle in handles {
                results.push(handle.join().unwrap());
            }
        });
    }
    results
}
// ANCHOR_END: fetch_on_threads
