// wrong: each thread pushes its result into a shared Vec when it finishes, so the results come back in finishing order, not in the order of the ids.
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
    let results = std::sync::Mutex::new(Vec::with_capacity(ids.len()));
    thread::scope(|scope| {
        for &id in ids {
            let results = &results;
            scope.spawn(move || {
                let value = fetch(id);
                results.lock().unwrap().push(value);
            });
        }
    });
    results.into_inner().unwrap()
}
// ANCHOR_END: fetch_on_threads
