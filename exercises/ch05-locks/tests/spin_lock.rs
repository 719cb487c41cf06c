// Tests for exercise `spin_lock` (chapter 5, "Atomics and memory ordering").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The memory orderings are checked by the loom model in spin_lock_loom.rs.

use ch05_exercises::spin_lock::SpinLock;
use kit::watchdog::{GENEROUS, within};
use std::sync::{Arc, Barrier};
use std::thread;

#[test]
fn the_guard_gives_access_and_unlocks_when_dropped() {
    let value = within(
        GENEROUS,
        "taking the spin lock a second time",
        "The second `lock()` spins forever when dropping the first guard does not \
         store `false` back into the flag.",
        || {
            let lock = SpinLock::new(vec![1]);
            lock.lock().push(2);
            // The first guard was a temporary, dropped at the end of the line.
            let guard = lock.lock();
            guard.clone()
        },
    );
    assert_eq!(
        value,
        vec![1, 2],
        "a write made through one guard must be seen through the next one"
    );
}

#[test]
fn try_lock_fails_while_the_lock_is_held() {
    let lock = SpinLock::new(0);
    let guard = lock.lock();
    assert!(
        lock.try_lock().is_none(),
        "try_lock returned a second guard while the first was alive: two threads could \
         then write the value at once. It must fail when the flag is already true."
    );
    drop(guard);
    let mut again = lock
        .try_lock()
        .expect("try_lock must succeed once the only guard has been dropped");
    *again += 1;
    assert_eq!(*again, 1);
}

#[test]
fn threads_never_lose_an_increment() {
    const THREADS: usize = 4;
    const ROUNDS: usize = 5_000;
    let total = within(
        GENEROUS,
        "four threads incrementing under the spin lock",
        "A guard that is never released makes every other thread spin forever.",
        || {
            let lock = Arc::new(SpinLock::new(0usize));
            // Start all threads together so that they really compete.
            let start = Arc::new(Barrier::new(THREADS));
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (lock, start) = (Arc::clone(&lock), Arc::clone(&start));
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..ROUNDS {
                            let mut guard = lock.lock();
                            // A deliberately slow read-modify-write: without
                            // mutual exclusion, another thread gets in between.
                            let seen = *guard;
                            for _ in 0..50 {
                                std::hint::black_box(seen);
                            }
                            *guard = seen + 1;
                            drop(guard);
                            // Some work outside the lock, so that the others
                            // get a go before this thread takes it again.
                            for _ in 0..50 {
                                std::hint::black_box(seen);
                            }
                        }
                    })
                })
                .collect();
            for worker in workers {
                worker.join().expect("a worker panicked");
            }
            *lock.lock()
        },
    );
    assert_eq!(
        total,
        THREADS * ROUNDS,
        "{THREADS} threads x {ROUNDS} increments should give {}, got {total}: two threads held \
         the lock at once. Taking it must be one atomic step (compare_exchange), not a load \
         followed by a store.",
        THREADS * ROUNDS
    );
}
