// wrong: add_permits wakes at most count waiters: notify_all wakes every sleeper for each returned permit, a thundering herd of useless wake-ups.
//! # Exercise `semaphore`: a counting semaphore from `Mutex` + `Condvar`
//!
//! Build a semaphore that hands out at most `n` permits at a time: `acquire`
//! blocks while none is left, and dropping a permit gives it back and wakes
//! a waiter. It teaches the one rule of condition variables: re-check the
//! condition in a `while` loop after every wake-up, because a wake-up is a
//! hint, not a promise.
//!
//! Book: chapter 5, "Condition variables and spurious wake-ups". Check: `cargo workbook check semaphore`.

use crate::probe::ProbedCondvar;
use crate::sync::{Mutex, MutexGuard};
use std::sync::PoisonError;

// ANCHOR: types
/// At most `permits` holders at a time.
#[derive(Debug)]
pub struct Semaphore {
    /// Permits left to hand out.
    permits: Mutex<usize>,
    /// Signalled whenever permits are added.
    permits_added: ProbedCondvar,
}

/// One permit; dropping it gives the permit back.
#[derive(Debug)]
pub struct Permit<'a> {
    semaphore: &'a Semaphore,
}
// ANCHOR_END: types

impl Semaphore {
    /// A semaphore with `permits` permits available.
    pub fn new(permits: usize) -> Self {
        Semaphore {
            permits: Mutex::new(permits),
            permits_added: ProbedCondvar::new(),
        }
    }

    // ANCHOR: acquire
    /// Blocks until a permit is available, then takes it.
    pub fn acquire(&self) -> Permit<'_> {
        let mut permits = self.lock_permits();
        while *permits == 0 {
            permits = self.permits_added.wait(permits);
        }
        *permits -= 1;
        Permit { semaphore: self }
    }
    // ANCHOR_END: acquire

    /// Takes a permit if one is available right now; never blocks.
    pub fn try_acquire(&self) -> Option<Permit<'_>> {
        let mut permits = self.lock_permits();
        if *permits == 0 {
            return None;
        }
        *permits -= 1;
        Some(Permit { semaphore: self })
    }

    // ANCHOR: add_permits
    /// Adds `count` permits and wakes up to `count` waiters.
    pub fn add_permits(&self, count: usize) {
        *self.lock_permits() += count;
        // Wake everybody: whoever gets the lock first takes a permit, and
        // the while loop sends the others back to sleep.
        self.permits_added.notify_all();
    }
    // ANCHOR_END: add_permits

    /// Permits available right now.
    pub fn available(&self) -> usize {
        *self.lock_permits()
    }

    /// Threads blocked in `acquire` right now.
    pub fn waiting(&self) -> usize {
        self.permits_added.sleeping()
    }

    /// How many times a blocked `acquire` has been woken so far.
    pub fn wake_ups(&self) -> usize {
        self.permits_added.wake_ups()
    }

    /// Wakes every blocked `acquire` without adding a permit.
    ///
    /// The operating system is allowed to do this at any time (a "spurious
    /// wake-up"); tests call it to make sure waiters survive it.
    pub fn spurious_wake_up(&self) {
        // Holding the mutex while notifying: a thread counted in `waiting()`
        // released the mutex only by going to sleep, so it is really asleep.
        let _permits = self.lock_permits();
        self.permits_added.notify_all();
    }

    fn lock_permits(&self) -> MutexGuard<'_, usize> {
        // The count is a plain number that no panic can leave half-updated,
        // so a poisoned mutex (a holder panicked) is still safe to use.
        self.permits.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Permit<'_> {
    fn drop(&mut self) {
        self.semaphore.add_permits(1);
    }
}
