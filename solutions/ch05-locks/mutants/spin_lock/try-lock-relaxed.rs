// wrong: try_lock takes the lock too, so it needs the same Acquire as lock: a Relaxed success ordering may read data the last holder has not published to us.
//! # Exercise `spin_lock`: a lock made of one atomic boolean
//!
//! Build a spin lock: `lock` flips a flag from `false` to `true` in a loop,
//! and the guard flips it back when dropped. The orderings are the lesson:
//! taking the lock must *acquire* what the last holder *released*, or the
//! next holder may read stale data; a loom model checks exactly that.
//!
//! Book: chapter 5, "Atomics and memory ordering". Check: `cargo workbook check spin_lock`.

use crate::sync::{AtomicBool, MutPtr, Ordering, UnsafeCell, spin_loop};
use std::ops::{Deref, DerefMut};

// ANCHOR: types
/// A mutual-exclusion lock that waits by spinning instead of sleeping.
pub struct SpinLock<T> {
    /// `true` while some guard exists.
    locked: AtomicBool,
    /// The protected value; only the holder of the flag may touch it.
    value: UnsafeCell<T>,
}

/// Proof that the lock is held; gives access to the value, unlocks on drop.
pub struct SpinGuard<'a, T> {
    lock: &'a SpinLock<T>,
    /// Pointer to the value, valid while the guard lives. Under loom it also
    /// records the access, so loom can check it is ordered after the last one.
    value: Option<MutPtr<T>>,
}

// Safety: the lock hands the value to one thread at a time, so sharing the
// lock between threads is sound whenever the value may move between threads.
unsafe impl<T: Send> Sync for SpinLock<T> {}
// ANCHOR_END: types

impl<T> SpinLock<T> {
    /// A new, unlocked lock around `value`.
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    // ANCHOR: lock
    /// Spins until the lock is free, then takes it.
    pub fn lock(&self) -> SpinGuard<'_, T> {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spin_loop();
        }
        self.guard()
    }
    // ANCHOR_END: lock

    /// Takes the lock if it is free right now; never waits.
    pub fn try_lock(&self) -> Option<SpinGuard<'_, T>> {
        self.locked
            .compare_exchange(false, true, Ordering::Relaxed, Ordering::Relaxed)
            .ok()
            .map(|_| self.guard())
    }

    /// Builds the guard; call only after setting the flag.
    fn guard(&self) -> SpinGuard<'_, T> {
        SpinGuard {
            lock: self,
            value: Some(self.value.get_mut()),
        }
    }
}

// ANCHOR: unlock
impl<T> Drop for SpinGuard<'_, T> {
    fn drop(&mut self) {
        // End our access to the value before anyone else can start theirs.
        self.value = None;
        self.lock.locked.store(false, Ordering::Release);
    }
}
// ANCHOR_END: unlock

impl<T> Deref for SpinGuard<'_, T> {
    type Target = T;

    fn deref(&self) -> &T {
        // Safety: the guard exists only while the flag is held, so no other
        // reference to the value exists.
        unsafe { self.pointer().deref() }
    }
}

impl<T> DerefMut for SpinGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // Safety: as in `deref`; `&mut self` makes this borrow unique.
        unsafe { self.pointer().deref() }
    }
}

impl<T> SpinGuard<'_, T> {
    fn pointer(&self) -> &MutPtr<T> {
        self.value
            .as_ref()
            .expect("the pointer lives as long as the guard")
    }
}
