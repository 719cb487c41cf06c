//! Small listings for the chapter page, each runnable (the smoke test runs them).

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Barrier, Mutex, PoisonError, RwLock};
use std::thread;

// ANCHOR: guard_scope
/// Appends to a shared log from several threads. The guard is Rust's `with`:
/// the lock is held from `lock()` to the end of the guard's scope.
pub fn shared_log(threads: usize) -> Vec<String> {
    let log = Mutex::new(Vec::new());
    thread::scope(|scope| {
        for id in 0..threads {
            let log = &log;
            scope.spawn(move || {
                let line = format!("thread {id} was here"); // built outside the lock
                let mut entries = log.lock().unwrap(); // lock taken here...
                entries.push(line);
            }); // ...and released here, when `entries` is dropped
        }
    });
    // No thread is left, so we can take the data out of the mutex.
    log.into_inner().unwrap()
}
// ANCHOR_END: guard_scope

// ANCHOR: poisoning
/// A thread panics while holding the lock; the next `lock()` reports it.
pub fn poisoned_total() -> (bool, u64) {
    let total = Arc::new(Mutex::new(0u64));
    let clone = Arc::clone(&total);
    let crashed = thread::spawn(move || {
        let mut guard = clone.lock().unwrap();
        *guard += 10;
        panic!("crash halfway through an update"); // the guard drops while unwinding
    })
    .join();
    assert!(crashed.is_err());
    let lock_result = total.lock();
    let was_poisoned = lock_result.is_err();
    // We decide the value is still usable, and take it anyway.
    let value = *lock_result.unwrap_or_else(PoisonError::into_inner);
    (was_poisoned, value)
}
// ANCHOR_END: poisoning

// ANCHOR: rwlock
/// A read-mostly table: any number of readers at once, or one writer.
pub fn read_mostly(readers: usize, lookups: usize) -> usize {
    let prices = RwLock::new(HashMap::from([("tea", 3), ("cake", 5)]));
    let found = thread::scope(|scope| {
        let workers: Vec<_> = (0..readers)
            .map(|_| {
                scope.spawn(|| {
                    (0..lookups)
                        .filter(|_| prices.read().unwrap().contains_key("tea"))
                        .count()
                })
            })
            .collect();
        // A writer waits until no reader holds the lock, then excludes them.
        prices.write().unwrap().insert("scone", 4);
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    assert_eq!(prices.read().unwrap().len(), 3);
    found
}
// ANCHOR_END: rwlock

// ANCHOR: publish
/// One thread writes data then raises a flag; another waits for the flag
/// then reads the data. Release/Acquire make the data visible with the flag.
pub fn publish_and_read() -> u64 {
    let data = AtomicU64::new(0);
    let ready = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            data.store(42, Ordering::Relaxed); // (1) the payload
            ready.store(true, Ordering::Release); // (2) publishes (1)
        });
        scope
            .spawn(|| {
                while !ready.load(Ordering::Acquire) {
                    // (3) once this sees (2)...
                    std::hint::spin_loop();
                }
                data.load(Ordering::Relaxed) // (4) ...this sees (1): 42
            })
            .join()
            .unwrap()
    })
}
// ANCHOR_END: publish

// ANCHOR: barrier
/// Starts `threads` workers at the same moment, so that they really compete.
pub fn start_together(threads: usize) -> usize {
    let barrier = Barrier::new(threads);
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| scope.spawn(|| barrier.wait().is_leader()))
            .collect();
        // Exactly one thread is told it is the "leader" when they all pass.
        handles
            .into_iter()
            .map(|h| h.join().unwrap() as usize)
            .sum()
    })
}
// ANCHOR_END: barrier
