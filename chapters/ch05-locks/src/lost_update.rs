//! A lost update: `x += 1` done as a separate read and write on many threads.
//!
//! Each step is an atomic operation, so there is no data race and the code
//! is safe Rust; but another thread can write between our read and our
//! write, and one of the two increments disappears. That is a *race
//! condition*, which no type system forbids.

use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;

// ANCHOR: increments
/// Read, then write: two atomic steps, with a gap between them.
pub fn split_increment(counter: &AtomicU64) {
    let seen = counter.load(Ordering::Relaxed);
    // Another thread may store here; our store then overwrites its update.
    counter.store(seen + 1, Ordering::Relaxed);
}

/// One indivisible read-modify-write: nothing can land in between.
pub fn atomic_increment(counter: &AtomicU64) {
    counter.fetch_add(1, Ordering::Relaxed);
}
// ANCHOR_END: increments

// ANCHOR: count_with
/// Runs `increment` `per_thread` times on each of `threads` threads, all
/// started together, and returns the final count.
pub fn count_with(threads: usize, per_thread: u64, increment: fn(&AtomicU64)) -> u64 {
    let counter = AtomicU64::new(0);
    let start = Barrier::new(threads);
    thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                start.wait();
                for _ in 0..per_thread {
                    increment(&counter);
                }
            });
        }
    });
    counter.into_inner()
}
// ANCHOR_END: count_with
