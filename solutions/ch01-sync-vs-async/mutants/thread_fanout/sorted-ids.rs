// wrong: the ids are sorted before the threads start, so the results follow the sorted ids instead of the order the caller gave.
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
    // Sorting makes the output deterministic.
    let mut ordered_ids = ids.to_vec();
    ordered_ids.sort_unstable();
    thread::scope(|scope| {
        let handles: Vec<_> = ordered_ids
            .iter()
            .map(|&id| scope.spawn(move || fetch(id)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap())
            .collect()
    })
}
// ANCHOR_END: fetch_on_threads
