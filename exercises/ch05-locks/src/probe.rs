//! A `Condvar` that lets tests see who is asleep on it.
//!
//! Whether a thread is blocked inside `Condvar::wait` cannot be observed from
//! outside, so a test could only *hope* that a waiter is asleep before it
//! acts, which is how flaky tests are born. [`ProbedCondvar`] is a `Condvar`
//! plus two counters: how many threads sleep on it now, and how many
//! wake-ups it has delivered. Use it exactly as you would use `Condvar`. You
//! do not need to edit this file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, MutexGuard};

/// A `Condvar` that counts its sleepers and its wake-ups.
#[derive(Debug, Default)]
pub struct ProbedCondvar {
    condvar: Condvar,
    sleeping: AtomicUsize,
    woken: AtomicUsize,
}

impl ProbedCondvar {
    /// A condition variable nobody waits on yet.
    pub fn new() -> Self {
        ProbedCondvar::default()
    }

    /// `Condvar::wait`: unlocks `guard`, sleeps until notified (or woken
    /// spuriously), locks again and returns the guard.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        // Counted while the mutex is still held: a thread that takes the
        // mutex after seeing the count knows the sleeper is really asleep.
        self.sleeping.fetch_add(1, Ordering::SeqCst);
        let guard = self
            .condvar
            .wait(guard)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        self.sleeping.fetch_sub(1, Ordering::SeqCst);
        self.woken.fetch_add(1, Ordering::SeqCst);
        guard
    }

    /// Wakes one sleeper, if any.
    pub fn notify_one(&self) {
        self.condvar.notify_one();
    }

    /// Wakes every sleeper.
    pub fn notify_all(&self) {
        self.condvar.notify_all();
    }

    /// How many threads are inside `wait` right now.
    pub fn sleeping(&self) -> usize {
        self.sleeping.load(Ordering::SeqCst)
    }

    /// How many times a `wait` has returned so far.
    pub fn wake_ups(&self) -> usize {
        self.woken.load(Ordering::SeqCst)
    }
}
