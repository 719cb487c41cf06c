// wrong: only polls that return Pending are checked, so a slow final poll, the one that returns Ready, is never reported
//! # Exercise `slow_poll_detector`: time every poll of a future
//!
//! Write `watch` and the `poll` of `Watched`, a wrapper that times each poll
//! of the future inside it with an injected clock and records every poll that
//! took longer than a threshold, with the task's name and the poll's number.
//! A slow poll is a task that blocks its worker thread; this is how tools
//! such as tokio-metrics find them.
//!
//! Book: chapter 8, "Finding slow polls". Check: `cargo workbook check slow_poll_detector`.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

// ANCHOR: given
/// Given: a monotonic clock. `now` is the time elapsed since some fixed
/// start; only differences between two readings mean anything.
pub trait Clock: Send + Sync {
    fn now(&self) -> Duration;
}

/// Given: the real clock, for demos.
#[derive(Debug)]
pub struct RealClock(Instant);

impl RealClock {
    pub fn new() -> Self {
        RealClock(Instant::now())
    }
}

impl Default for RealClock {
    fn default() -> Self {
        RealClock::new()
    }
}

impl Clock for RealClock {
    fn now(&self) -> Duration {
        self.0.elapsed()
    }
}

/// Given: one slow poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SlowPoll {
    /// The name given to `watch`.
    pub task: String,
    /// Which poll of this future it was: 1 for the first poll, counting
    /// every poll (quick ones and the last one too).
    pub poll: u32,
    /// How long that one poll took, by the clock.
    pub took: Duration,
}

/// Given: a shared log of slow polls; clones write to the same log.
#[derive(Debug, Clone, Default)]
pub struct SlowPolls(Arc<Mutex<Vec<SlowPoll>>>);

impl SlowPolls {
    pub fn new() -> Self {
        SlowPolls::default()
    }

    /// Adds a report.
    pub fn record(&self, report: SlowPoll) {
        self.0.lock().unwrap().push(report);
    }

    /// Every report so far, in the order they were recorded.
    pub fn reports(&self) -> Vec<SlowPoll> {
        self.0.lock().unwrap().clone()
    }
}

/// Given: the wrapper's state.
pub struct Watched<F> {
    task: String,
    future: Pin<Box<F>>,
    clock: Arc<dyn Clock>,
    threshold: Duration,
    /// Polls so far.
    polls: u32,
    log: SlowPolls,
}
// ANCHOR_END: given

// ANCHOR: watch
/// Wraps `future`: it behaves exactly like `future` (same output, same
/// wake-ups: the caller's `Context` is passed through untouched), and every
/// poll that takes longer than `threshold` (strictly: a poll of exactly
/// `threshold` is fine) is recorded in `log`. A poll's time is the clock's
/// reading right after the inner `poll` returns minus the reading right
/// before it was called; time spent between polls (waiting to be woken, or
/// before the first poll) is no poll's fault. The poll that returns `Ready`
/// counts like any other.
pub fn watch<F: Future>(
    task: &str,
    future: F,
    clock: Arc<dyn Clock>,
    threshold: Duration,
    log: SlowPolls,
) -> Watched<F> {
    Watched {
        task: task.to_string(),
        future: Box::pin(future),
        clock,
        threshold,
        polls: 0,
        log,
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.polls += 1;
        let start = this.clock.now();
        let result = this.future.as_mut().poll(cx);
        let took = this.clock.now().saturating_sub(start);
        if result.is_pending() && took > this.threshold {
            this.log.record(SlowPoll {
                task: this.task.clone(),
                poll: this.polls,
                took,
            });
        }
        result
    }
}
// ANCHOR_END: watch
