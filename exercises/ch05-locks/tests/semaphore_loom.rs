// Loom model for exercise `semaphore` (chapter 5, "Condition variables and spurious wake-ups").
// Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo workbook check
// semaphore` does that for you. Loom runs the threads under every
// interleaving of their lock, wait and notify calls, so a wake-up that is
// lost in one rare order fails every run. When a waiter is never woken, loom
// stops with "deadlock": some thread sleeps on the condition variable and
// nobody is left to notify it.

#[cfg(loom)]
mod model {
    use ch05_exercises::semaphore::Semaphore;
    use loom::sync::Arc;
    use loom::thread;

    /// Runs the semaphore on one thread first: if a method is still
    /// `todo!()`, the test fails here cleanly (a panic that unwinds through
    /// live loom threads aborts the whole process).
    fn single_threaded_first() {
        loom::model(|| {
            let semaphore = Semaphore::new(1);
            let permit = semaphore.acquire();
            assert!(
                semaphore.try_acquire().is_none(),
                "the only permit is taken"
            );
            drop(permit);
            semaphore.add_permits(1);
            assert_eq!(semaphore.available(), 2, "one given back, one added");
        });
    }

    /// Two permits added one at a time while two acquires wait. In one of the
    /// orders loom tries, the first waiter has been notified but has not yet
    /// taken its permit when the second permit arrives: the count is 1, not
    /// 0, and a waiter still sleeps. Notify for every permit added, whatever
    /// the count was; a "deadlock" here means the second waiter was never woken.
    #[test]
    fn every_permit_added_wakes_a_waiter() {
        single_threaded_first();
        loom::model(|| {
            // Leaked, and the waiters are not joined: when loom finds a
            // waiter asleep forever, no thread is left holding loom objects
            // that would have to be dropped while the failure unwinds.
            let semaphore: &'static Semaphore = Box::leak(Box::new(Semaphore::new(0)));
            for _ in 0..2 {
                thread::spawn(move || std::mem::forget(semaphore.acquire()));
            }
            semaphore.add_permits(1);
            semaphore.add_permits(1);
        });
    }

    /// A permit added for a sleeping acquire, then taken first by another
    /// caller (`try_acquire`): the woken acquire finds 0 permits and must go
    /// back to sleep (`while`, not `if`). With `if` it takes a permit that does
    /// not exist (an overflow panic from `0 - 1`, or two holders of one permit).
    #[test]
    fn a_stolen_wake_up_sends_the_waiter_back_to_sleep() {
        single_threaded_first();
        loom::model(|| {
            let semaphore = Arc::new(Semaphore::new(0));
            let waiter = {
                let semaphore = Arc::clone(&semaphore);
                thread::spawn(move || std::mem::forget(semaphore.acquire()))
            };
            semaphore.add_permits(1);
            if let Some(stolen) = semaphore.try_acquire() {
                std::mem::forget(stolen);
                semaphore.add_permits(1);
            }
            waiter.join().unwrap();
            assert_eq!(
                semaphore.available(),
                0,
                "every permit added was taken exactly once; a permit count that is not 0 \
                 here means an acquire returned without taking one"
            );
        });
    }
}
