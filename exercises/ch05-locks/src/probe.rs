//! A `Condvar` that lets tests see who is asleep on it, and wake them for no
//! reason.
//!
//! Whether a thread is blocked inside `Condvar::wait` cannot be observed from
//! outside, so a test could only *hope* that a waiter is asleep before it
//! acts, which is how flaky tests are born. [`ProbedCondvar`] is a `Condvar`
//! plus counters: how many threads sleep on it now, how many wake-ups it has
//! delivered, and how many sleepers the notifying thread's calls could have
//! woken. It also plays the operating system's right to wake a waiter
//! spuriously, on demand ([`wake_spuriously_on_this_thread`]). Use it exactly
//! as you would use `Condvar`. You do not need to edit this file.

use crate::sync::{Condvar, MutexGuard};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// A `Condvar` that counts its sleepers and its wake-ups.
#[derive(Debug, Default)]
pub struct ProbedCondvar {
    condvar: Condvar,
    sleeping: AtomicUsize,
    woken: AtomicUsize,
}

thread_local! {
    /// Spurious wake-ups still owed to the waits of this thread.
    static SPURIOUS_OWED: Cell<usize> = const { Cell::new(0) };
    /// Sleepers that this thread's `notify_*` calls could have woken.
    static SLEEPERS_NOTIFIED: Cell<usize> = const { Cell::new(0) };
}

/// Makes the next `count` waits on any [`ProbedCondvar`] by the calling
/// thread return without a notification: the lock is released and taken
/// back, as in a real spurious wake-up, but nothing changed. A waiter that
/// re-checks its condition in a `while` loop goes back to sleep; one that
/// uses `if` carries on with its condition false.
pub fn wake_spuriously_on_this_thread(count: usize) {
    SPURIOUS_OWED.with(|owed| owed.set(owed.get() + count));
}

/// How many sleepers the calling thread's `notify_one` / `notify_all` calls
/// could have woken so far: `notify_one` counts 1 if anyone slept,
/// `notify_all` counts every sleeper. Tests read it on the notifying thread
/// to check that a change wakes no more waiters than can use it.
pub fn sleepers_notified_by_this_thread() -> usize {
    SLEEPERS_NOTIFIED.with(Cell::get)
}

impl ProbedCondvar {
    /// A condition variable nobody waits on yet.
    pub fn new() -> Self {
        ProbedCondvar::default()
    }

    /// `Condvar::wait`: unlocks `guard`, sleeps until notified (or woken
    /// spuriously), locks again and returns the guard.
    pub fn wait<'a, T>(&self, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
        if take_a_spurious_wake_up() {
            self.woken.fetch_add(1, Ordering::SeqCst);
            return release_and_retake(&self.condvar, guard);
        }
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
        let could_wake = self.sleeping().min(1);
        SLEEPERS_NOTIFIED.with(|notified| notified.set(notified.get() + could_wake));
        self.condvar.notify_one();
    }

    /// Wakes every sleeper.
    pub fn notify_all(&self) {
        let could_wake = self.sleeping();
        SLEEPERS_NOTIFIED.with(|notified| notified.set(notified.get() + could_wake));
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

/// True (and one fewer owed) if this thread is owed a spurious wake-up.
fn take_a_spurious_wake_up() -> bool {
    SPURIOUS_OWED.with(|owed| {
        let left = owed.get();
        owed.set(left.saturating_sub(1));
        left > 0
    })
}

/// Lets go of the lock and takes it back, as a spurious wake-up does: a
/// wait with a zero timeout releases the mutex, and returns at once.
fn release_and_retake<'a, T>(condvar: &Condvar, guard: MutexGuard<'a, T>) -> MutexGuard<'a, T> {
    match condvar.wait_timeout(guard, Duration::ZERO) {
        Ok((guard, _)) => guard,
        Err(poisoned) => poisoned.into_inner().0,
    }
}

thread_local! {
    /// Forks the calling thread holds right now.
    static FORKS_IN_HAND: Cell<usize> = const { Cell::new(0) };
}

/// One fork of the dining philosophers: a lock around the fork's use
/// counter. Locking it is picking the fork up; dropping the guard puts it
/// down. Counting a use checks that the same thread holds two forks at that
/// moment, since a meal needs both at once.
#[derive(Debug, Default)]
pub struct Fork {
    uses: std::sync::Mutex<u64>,
}

/// A fork in a philosopher's hand: `Deref`s to its use counter.
#[derive(Debug)]
pub struct ForkInHand<'a> {
    uses: std::sync::MutexGuard<'a, u64>,
}

impl Fork {
    /// A fork nobody has used yet.
    pub fn new() -> Self {
        Fork::default()
    }

    /// Picks the fork up, waiting while a neighbour holds it. Like
    /// `Mutex::lock`, fails with the guard inside if a holder panicked.
    pub fn lock(&self) -> std::sync::LockResult<ForkInHand<'_>> {
        let locked = self.uses.lock();
        FORKS_IN_HAND.with(|held| held.set(held.get() + 1));
        match locked {
            Ok(uses) => Ok(ForkInHand { uses }),
            Err(poisoned) => Err(std::sync::PoisonError::new(ForkInHand {
                uses: poisoned.into_inner(),
            })),
        }
    }

    /// How many meals used this fork.
    pub fn into_uses(self) -> u64 {
        self.uses
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Drop for ForkInHand<'_> {
    fn drop(&mut self) {
        FORKS_IN_HAND.with(|held| held.set(held.get() - 1));
    }
}

impl std::ops::Deref for ForkInHand<'_> {
    type Target = u64;

    fn deref(&self) -> &u64 {
        &self.uses
    }
}

impl std::ops::DerefMut for ForkInHand<'_> {
    fn deref_mut(&mut self) -> &mut u64 {
        let held = FORKS_IN_HAND.with(Cell::get);
        assert!(
            held >= 2,
            "a philosopher counted a meal while holding {held} fork(s): a meal holds both \
             forks at once. Keep the first guard alive while you take the second, and \
             count both uses while holding both."
        );
        &mut self.uses
    }
}
