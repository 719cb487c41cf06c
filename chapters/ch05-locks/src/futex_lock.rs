//! A lock that sleeps in the kernel instead of spinning: one `AtomicU32`
//! and the Linux `futex` system call, measured against a spin lock and
//! `std::sync::Mutex` under contention.
//!
//! A spin lock waits by burning its core; when there are more threads than
//! cores, the holder may be preempted while the waiters spin through their
//! whole time slices. A futex ("fast userspace mutex") lets a waiter say to
//! the kernel: "put me to sleep, but only if this word still holds the value
//! I saw", and lets the unlocker wake one sleeper. The uncontended path never
//! enters the kernel: it is one compare-exchange, like the spin lock.

use std::cell::UnsafeCell;
use std::hint::spin_loop;
use std::ops::{Deref, DerefMut};
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::sync::{Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: states
/// Nobody holds the lock.
const UNLOCKED: u32 = 0;
/// Held, and nobody sleeps on it: unlocking needs no system call.
const LOCKED: u32 = 1;
/// Held, and someone may be asleep in the kernel: unlocking must wake one.
const CONTENDED: u32 = 2;
// ANCHOR_END: states

/// A mutual-exclusion lock whose waiters sleep on a futex.
pub struct FutexLock<T> {
    state: AtomicU32,
    value: UnsafeCell<T>,
}

// Safety: as for `Mutex`: the lock hands the value to one thread at a time,
// so sharing the lock is sound whenever the value may move between threads.
unsafe impl<T: Send> Sync for FutexLock<T> {}

/// Access to the value; unlocks when dropped.
pub struct FutexGuard<'a, T> {
    lock: &'a FutexLock<T>,
}

impl<T> FutexLock<T> {
    pub fn new(value: T) -> Self {
        FutexLock {
            state: AtomicU32::new(UNLOCKED),
            value: UnsafeCell::new(value),
        }
    }

    // ANCHOR: lock
    pub fn lock(&self) -> FutexGuard<'_, T> {
        // Fast path: free and uncontended, one compare-exchange.
        if self
            .state
            .compare_exchange(UNLOCKED, LOCKED, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            // Slow path: mark the lock CONTENDED (we are about to sleep, so
            // the holder must wake someone), and sleep until the swap finds
            // it free. Whoever takes it this way leaves it CONTENDED: there
            // may be other sleepers, and one extra wake-up is cheap.
            while self.state.swap(CONTENDED, Ordering::Acquire) != UNLOCKED {
                futex_wait(&self.state, CONTENDED);
            }
        }
        FutexGuard { lock: self }
    }
    // ANCHOR_END: lock
}

// ANCHOR: unlock
impl<T> Drop for FutexGuard<'_, T> {
    fn drop(&mut self) {
        // `Release` publishes our writes; only a lock marked CONTENDED can
        // have sleepers, so only then is the system call needed.
        if self.lock.state.swap(UNLOCKED, Ordering::Release) == CONTENDED {
            futex_wake_one(&self.lock.state);
        }
    }
}
// ANCHOR_END: unlock

impl<T> Deref for FutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // Safety: the guard exists only while this thread holds the lock.
        unsafe { &*self.lock.value.get() }
    }
}

impl<T> DerefMut for FutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // Safety: as in `deref`, and `&mut self` makes the borrow unique.
        unsafe { &mut *self.lock.value.get() }
    }
}

// ANCHOR: futex
/// Sleeps while `word` holds `expected`. The kernel checks the value and
/// queues us in one step, so a wake between our check and our sleep is
/// not lost; it may also return early (a signal, a spurious wake-up), which
/// is why the caller loops.
#[cfg(target_os = "linux")]
fn futex_wait(word: &AtomicU32, expected: u32) {
    // Safety: FUTEX_WAIT reads the 4-byte aligned word `word` points to,
    // which lives as long as this call; a null timeout means "no timeout".
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAIT | libc::FUTEX_PRIVATE_FLAG,
            expected,
            std::ptr::null::<libc::timespec>(),
        );
    }
}

/// Wakes at most one thread asleep on `word`.
#[cfg(target_os = "linux")]
fn futex_wake_one(word: &AtomicU32) {
    // Safety: FUTEX_WAKE only uses the address as a key to find sleepers.
    unsafe {
        libc::syscall(
            libc::SYS_futex,
            word.as_ptr(),
            libc::FUTEX_WAKE | libc::FUTEX_PRIVATE_FLAG,
            1,
        );
    }
}
// ANCHOR_END: futex

/// Elsewhere there is no futex: yield instead (correct, just not a sleep).
#[cfg(not(target_os = "linux"))]
fn futex_wait(word: &AtomicU32, expected: u32) {
    if word.load(Ordering::Relaxed) == expected {
        thread::yield_now();
    }
}

#[cfg(not(target_os = "linux"))]
fn futex_wake_one(_word: &AtomicU32) {}

/// The spin lock of the exercises, for comparison (its waiters never sleep).
pub struct SpinLock<T> {
    locked: AtomicBool,
    value: UnsafeCell<T>,
}

// Safety: as for `FutexLock`.
unsafe impl<T: Send> Sync for SpinLock<T> {}

impl<T> SpinLock<T> {
    pub fn new(value: T) -> Self {
        SpinLock {
            locked: AtomicBool::new(false),
            value: UnsafeCell::new(value),
        }
    }

    fn with<R>(&self, work: impl FnOnce(&mut T) -> R) -> R {
        while self
            .locked
            .compare_exchange_weak(false, true, Ordering::Acquire, Ordering::Relaxed)
            .is_err()
        {
            spin_loop();
        }
        // Safety: we hold the flag, so nobody else touches the value.
        let result = work(unsafe { &mut *self.value.get() });
        self.locked.store(false, Ordering::Release);
        result
    }
}

/// The three locks behind one interface, for the measurements.
pub trait DemoLock: Sync {
    fn increment(&self);
    fn total(&self) -> u64;
}

impl DemoLock for Mutex<u64> {
    fn increment(&self) {
        *self.lock().unwrap() += 1;
    }
    fn total(&self) -> u64 {
        *self.lock().unwrap()
    }
}

impl DemoLock for FutexLock<u64> {
    fn increment(&self) {
        *self.lock() += 1;
    }
    fn total(&self) -> u64 {
        *self.lock()
    }
}

impl DemoLock for SpinLock<u64> {
    fn increment(&self) {
        self.with(|value| *value += 1);
    }
    fn total(&self) -> u64 {
        self.with(|value| *value)
    }
}

/// The locks measured, by name.
pub fn locks() -> Vec<(&'static str, Box<dyn DemoLock>)> {
    vec![
        ("std::sync::Mutex", Box::new(Mutex::new(0u64))),
        ("futex lock", Box::new(FutexLock::new(0u64))),
        ("spin lock", Box::new(SpinLock::new(0u64))),
    ]
}

/// What one contended run measured.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    pub wall: Duration,
    /// CPU time of the whole process during the run: a spinning waiter
    /// burns CPU, a sleeping one does not.
    pub cpu: Duration,
}

/// `threads` threads each take `lock` `per_thread` times (a tiny critical
/// section), started together. Panics if an increment was lost.
pub fn hammer(lock: &dyn DemoLock, threads: usize, per_thread: u64) -> Run {
    let before = lock.total();
    let start = Barrier::new(threads + 1);
    let cpu_before = kit::measure::process_cpu_time();
    let started = thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                start.wait();
                for _ in 0..per_thread {
                    lock.increment();
                }
            });
        }
        start.wait();
        // The scope joins every thread before it returns this instant.
        Instant::now()
    });
    let wall = started.elapsed();
    let cpu = kit::measure::process_cpu_time().saturating_sub(cpu_before);
    assert_eq!(
        lock.total() - before,
        threads as u64 * per_thread,
        "the lock lost increments"
    );
    Run { wall, cpu }
}
