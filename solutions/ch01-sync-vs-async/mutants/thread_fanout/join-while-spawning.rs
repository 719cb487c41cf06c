// wrong: each thread is joined right after it is spawned, so the calls run one after another instead of all waiting at once.
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
    thread::scope(|scope| {
        let mut results = Vec::with_capacity(ids.len());
        for &id in ids {
            let handle = scope.spawn(move || fetch(id));
            results.push(handle.join().unwrap());
        }
        results
    })
}
// ANCHOR_END: fetch_on_threads
