//! One shared counter, four ways, on 1..N threads.
//!
//! Every thread adds 1 to the counter many times. With a `Mutex` or an
//! `RwLock` the threads queue for the lock; with an atomic they queue for
//! the cache line that holds it; with a sharded counter each thread has its
//! own cache line and nobody queues at all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Barrier, Mutex, RwLock};
use std::thread;
use std::time::{Duration, Instant};

/// A counter that threads add to; `thread` says which thread is calling.
pub trait Counter: Sync {
    fn add_one(&self, thread: usize);
    fn total(&self) -> u64;
}

impl Counter for Mutex<u64> {
    fn add_one(&self, _thread: usize) {
        *self.lock().unwrap() += 1;
    }
    fn total(&self) -> u64 {
        *self.lock().unwrap()
    }
}

impl Counter for RwLock<u64> {
    fn add_one(&self, _thread: usize) {
        // Every increment is a write: the RwLock's readers are no help here.
        *self.write().unwrap() += 1;
    }
    fn total(&self) -> u64 {
        *self.read().unwrap()
    }
}

impl Counter for AtomicU64 {
    fn add_one(&self, _thread: usize) {
        self.fetch_add(1, Ordering::Relaxed);
    }
    fn total(&self) -> u64 {
        self.load(Ordering::Relaxed)
    }
}

// ANCHOR: sharded
/// One atomic per thread, each on its own 128-byte line so that two cores
/// never fight over the same cache line ("false sharing").
#[repr(align(128))]
#[derive(Default)]
struct Shard(AtomicU64);

/// A counter split into shards; reading it adds the shards up.
pub struct ShardedCounter {
    shards: Vec<Shard>,
}

impl ShardedCounter {
    pub fn new(shards: usize) -> Self {
        ShardedCounter {
            shards: (0..shards.max(1)).map(|_| Shard::default()).collect(),
        }
    }
}

impl Counter for ShardedCounter {
    fn add_one(&self, thread: usize) {
        let shard = &self.shards[thread % self.shards.len()];
        shard.0.fetch_add(1, Ordering::Relaxed);
    }
    fn total(&self) -> u64 {
        // Exact once the writers are done; a moving estimate while they run.
        self.shards
            .iter()
            .map(|s| s.0.load(Ordering::Relaxed))
            .sum()
    }
}
// ANCHOR_END: sharded

/// Runs `threads` threads that each add `per_thread` to `counter`; returns
/// the time from the common start to the last thread's end.
pub fn hammer(counter: &dyn Counter, threads: usize, per_thread: u64) -> Duration {
    let start_line = Barrier::new(threads + 1);
    let mut started_at = None;
    thread::scope(|scope| {
        for thread in 0..threads {
            let start_line = &start_line;
            scope.spawn(move || {
                start_line.wait();
                for _ in 0..per_thread {
                    counter.add_one(thread);
                }
            });
        }
        start_line.wait();
        started_at = Some(Instant::now());
        // Leaving the scope joins every thread.
    });
    started_at.expect("set inside the scope").elapsed()
}

/// The four counters, fresh, with their labels.
pub fn counters(threads: usize) -> Vec<(&'static str, Box<dyn Counter>)> {
    vec![
        ("Mutex<u64>", Box::new(Mutex::new(0u64))),
        ("RwLock<u64> (write)", Box::new(RwLock::new(0u64))),
        ("AtomicU64::fetch_add", Box::new(AtomicU64::new(0))),
        ("sharded atomics", Box::new(ShardedCounter::new(threads))),
    ]
}

/// One measurement: operations per second of one counter on `threads` threads.
pub fn ops_per_second(counter: &dyn Counter, threads: usize, per_thread: u64) -> f64 {
    let took = hammer(counter, threads, per_thread);
    let total = threads as u64 * per_thread;
    assert_eq!(counter.total(), total, "a counter lost increments");
    total as f64 / took.as_secs_f64()
}
