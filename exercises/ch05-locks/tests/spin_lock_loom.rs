// Loom model for exercise `spin_lock` (chapter 5, "Atomics and memory ordering").
// Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo workbook check
// spin_lock` does that for you. Loom tries every interleaving of the two
// threads and every value the memory model lets a load return, and fails if
// a thread touches the protected value without being ordered after the
// previous holder's writes.

#[cfg(loom)]
mod model {
    use ch05_exercises::spin_lock::SpinLock;
    use loom::sync::Arc;
    use loom::thread;

    /// Runs the lock on one thread first, with no `Arc` and no second thread:
    /// if `lock` is still `todo!()`, the test fails here cleanly (a panic
    /// that unwinds through live loom threads aborts the whole process).
    fn single_threaded_first() {
        loom::model(|| {
            let lock = SpinLock::new(1usize);
            *lock.lock() += 1;
            assert_eq!(*lock.lock(), 2);
        });
    }

    #[test]
    fn two_threads_see_each_others_writes() {
        single_threaded_first();
        loom::model(|| {
            let lock = Arc::new(SpinLock::new(0usize));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.lock() += 1)
            };
            *lock.lock() += 1;
            other.join().unwrap();
            let total = *lock.lock();
            assert_eq!(
                total, 2,
                "two increments under the lock gave {total}: the second holder did not see \
                 the first one's write. Does `lock` use `Acquire` and the guard's drop `Release`?"
            );
        });
    }

    /// `try_lock` takes the lock too, so it needs the same `Acquire` as
    /// `lock`: here one thread only ever uses `try_lock`.
    #[test]
    fn try_lock_sees_the_last_holders_writes() {
        single_threaded_first();
        loom::model(|| {
            let lock = Arc::new(SpinLock::new(0usize));
            let other = {
                let lock = Arc::clone(&lock);
                thread::spawn(move || *lock.lock() += 1)
            };
            loop {
                if let Some(mut guard) = lock.try_lock() {
                    *guard += 1;
                    break;
                }
                thread::yield_now();
            }
            other.join().unwrap();
            let total = *lock.lock();
            assert_eq!(
                total, 2,
                "two increments under the lock gave {total}: a holder did not see the other's \
                 write. A successful `try_lock` must use `Acquire`, like `lock`."
            );
        });
    }
}
