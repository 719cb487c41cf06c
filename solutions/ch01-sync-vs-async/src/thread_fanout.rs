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
    // Scoped threads may borrow `fetch` because the scope joins them all
    // before it returns. Spawn every thread first, then join them in order:
    // joining inside the spawning loop would wait for each call before
    // starting the next, which is sequential code that happens to use threads.
    thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .map(|&id| scope.spawn(move || fetch(id)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a fetch panicked"))
            .collect()
    })
}
// ANCHOR_END: fetch_on_threads
