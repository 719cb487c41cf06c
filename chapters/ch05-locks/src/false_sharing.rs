//! False sharing: two threads, two counters, no shared data, and still
//! slow, because the two counters sit on one cache line.
//!
//! Caches move memory between cores in lines of 64 bytes (128 on some
//! CPUs, which also fetch lines in pairs). Two `AtomicU64`s declared side by
//! side share a line, so every increment by one core takes the line away
//! from the other, exactly as if they shared one counter. Padding each
//! counter to its own line (`crossbeam::utils::CachePadded`) removes the
//! fight without changing a line of the logic.

use crossbeam::utils::CachePadded;
use std::sync::Barrier;
use std::sync::atomic::{AtomicU64, Ordering};
use std::thread;
use std::time::Duration;

// ANCHOR: layouts
/// Two counters side by side: 16 bytes, one cache line.
#[derive(Default)]
pub struct Adjacent {
    pub counters: [AtomicU64; 2],
}

/// The same two counters, each padded and aligned to its own cache line
/// (`CachePadded` uses 128 bytes on x86-64 and aarch64).
#[derive(Default)]
pub struct Padded {
    pub counters: [CachePadded<AtomicU64>; 2],
}
// ANCHOR_END: layouts

/// Where thread `which` of two finds its own counter.
pub trait TwoCounters: Sync {
    fn counter(&self, which: usize) -> &AtomicU64;
}

impl TwoCounters for Adjacent {
    fn counter(&self, which: usize) -> &AtomicU64 {
        &self.counters[which]
    }
}

impl TwoCounters for Padded {
    fn counter(&self, which: usize) -> &AtomicU64 {
        &self.counters[which]
    }
}

// ANCHOR: increment
/// Each of `threads` (1 or 2) threads adds 1 to *its own* counter
/// `per_thread` times. Returns the CPU time the threads spent, added up:
/// a core waiting for a cache line is busy (stalled), so the fight shows
/// in CPU time, while time spent descheduled on a busy machine does not.
pub fn run(counters: &dyn TwoCounters, threads: usize, per_thread: u64) -> Duration {
    assert!((1..=2).contains(&threads), "one or two threads");
    let start = Barrier::new(threads);
    thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|which| {
                let (start, mine) = (&start, counters.counter(which));
                scope.spawn(move || {
                    start.wait();
                    let cpu_before = kit::measure::thread_cpu_time();
                    for _ in 0..per_thread {
                        // Relaxed: nobody reads this counter until the end.
                        mine.fetch_add(1, Ordering::Relaxed);
                    }
                    kit::measure::thread_cpu_time().saturating_sub(cpu_before)
                })
            })
            .collect();
        workers
            .into_iter()
            .map(|worker| worker.join().unwrap())
            .sum()
    })
}
// ANCHOR_END: increment

/// How far apart the two counters of each layout are, in bytes.
pub fn distance(counters: &dyn TwoCounters) -> usize {
    let first = counters.counter(0) as *const AtomicU64 as usize;
    let second = counters.counter(1) as *const AtomicU64 as usize;
    second - first
}
