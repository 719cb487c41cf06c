// Tests for exercise `semaphore` (chapter 5, "Condition variables and spurious wake-ups").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// No test sleeps: they watch `waiting()` and `wake_ups()` to know when a
// thread is really asleep, and use a watchdog only to turn a hang into a
// failure.

use ch05_exercises::probe;
use ch05_exercises::semaphore::Semaphore;
use kit::watchdog::{GENEROUS, wait_until, within};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;

/// Spawns `count` threads that each acquire a permit, report their id on
/// the channel, and keep the permit: so every wake-up in these tests comes
/// from the test itself, not from another waiter giving its permit back.
///
/// Also returns each thread's kernel id, so a test can wait until the
/// threads are really asleep (see [`asleep_in_the_kernel`]).
fn spawn_acquirers(
    semaphore: &Arc<Semaphore>,
    count: usize,
) -> (
    Vec<thread::JoinHandle<()>>,
    mpsc::Receiver<usize>,
    Vec<Option<u32>>,
) {
    let (acquired_tx, acquired_rx) = mpsc::channel();
    let (tid_tx, tid_rx) = mpsc::channel();
    let handles = (0..count)
        .map(|id| {
            let semaphore = Arc::clone(semaphore);
            let acquired_tx = acquired_tx.clone();
            let tid_tx = tid_tx.clone();
            thread::spawn(move || {
                tid_tx.send(kit::asleep::current_tid()).unwrap();
                let permit = semaphore.acquire();
                acquired_tx.send(id).unwrap();
                std::mem::forget(permit);
            })
        })
        .collect();
    let tids = (0..count).map(|_| tid_rx.recv().unwrap()).collect();
    (handles, acquired_rx, tids)
}

/// True once every thread is blocked in the kernel. `waiting()` counts a
/// waiter as soon as it registers under the lock, a moment before it really
/// sleeps; a notify that lands in that moment wakes it as a spurious wake-up,
/// which would let a single `notify_one` look like enough.
fn asleep_in_the_kernel(tids: &[Option<u32>]) -> bool {
    tids.iter()
        .all(|tid| tid.is_none_or(kit::asleep::is_asleep))
}

#[test]
fn permits_are_handed_out_up_to_the_count() {
    let semaphore = Semaphore::new(2);
    let first = semaphore.acquire();
    let second = semaphore
        .try_acquire()
        .expect("a semaphore made with 2 permits must hand out a second one");
    assert_eq!(
        semaphore.available(),
        0,
        "two permits taken out of two: none should be left"
    );
    assert!(
        semaphore.try_acquire().is_none(),
        "try_acquire handed out a third permit from a semaphore of 2: it must take one \
         from the count, and fail when the count is 0"
    );
    drop(first);
    assert_eq!(
        semaphore.available(),
        1,
        "dropping a permit must give it back to the semaphore"
    );
    drop(second);
    assert_eq!(semaphore.available(), 2);
}

#[test]
fn a_released_permit_wakes_a_blocked_acquire() {
    within(
        GENEROUS,
        "an acquire waiting for a released permit",
        "Giving a permit back must notify the condition variable, or a thread asleep \
         in `acquire` is never woken.",
        || {
            let semaphore = Arc::new(Semaphore::new(1));
            let held = semaphore.acquire();
            let (handles, acquired, _) = spawn_acquirers(&semaphore, 1);
            wait_until(|| semaphore.waiting() == 1, &handles);
            drop(held);
            assert_eq!(acquired.recv().unwrap(), 0);
            held_check(handles);
        },
    );
}

/// Joins the threads, forwarding their panics.
fn held_check(handles: Vec<thread::JoinHandle<()>>) {
    for handle in handles {
        handle.join().expect("an acquiring thread panicked");
    }
}

#[test]
fn adding_two_permits_wakes_two_waiters() {
    within(
        GENEROUS,
        "two acquires waiting for two new permits",
        "`add_permits(2)` must wake two sleepers (notify once per permit, or notify_all); \
         a single notify_one leaves the second waiter asleep next to a free permit.",
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let (handles, acquired, tids) = spawn_acquirers(&semaphore, 2);
            wait_until(
                || semaphore.waiting() == 2 && asleep_in_the_kernel(&tids),
                &handles,
            );
            semaphore.add_permits(2);
            let mut ids = vec![acquired.recv().unwrap(), acquired.recv().unwrap()];
            ids.sort();
            assert_eq!(ids, vec![0, 1]);
            held_check(handles);
        },
    );
}

#[test]
fn a_spurious_wake_up_does_not_hand_out_a_permit() {
    within(
        GENEROUS,
        "waiters surviving a spurious wake-up",
        "After the wake-up the waiters should go back to sleep, and the two permits \
         added afterwards should wake them.",
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let (handles, acquired, tids) = spawn_acquirers(&semaphore, 2);
            wait_until(
                || semaphore.waiting() == 2 && asleep_in_the_kernel(&tids),
                &handles,
            );
            let wake_ups_before = semaphore.wake_ups();
            // Wake both waiters although no permit was added, as the OS may.
            semaphore.spurious_wake_up();
            // Either both waiters woke and went back to sleep (right), or one
            // of them left `acquire` with a permit that does not exist.
            loop {
                let gave_up_waiting = handles.iter().any(|handle| handle.is_finished());
                assert!(
                    !gave_up_waiting,
                    "after a wake-up with 0 permits left, a waiter returned from `acquire` \
                     (or panicked trying to take a permit from a count of 0). A wake-up only \
                     means \"look again\": check the count in a `while` loop, not an `if`."
                );
                if semaphore.wake_ups() >= wake_ups_before + 2 && semaphore.waiting() == 2 {
                    break;
                }
                thread::yield_now();
            }
            assert!(
                acquired.try_recv().is_err(),
                "a waiter acquired a permit although none was added"
            );
            semaphore.add_permits(2);
            held_check(handles);
        },
    );
}

#[test]
fn never_more_holders_than_permits() {
    const PERMITS: usize = 3;
    const THREADS: usize = 8;
    const ROUNDS: usize = 300;
    let peak = within(
        GENEROUS,
        "eight threads sharing three permits",
        "A permit that is not given back, or a missed wake-up, leaves threads asleep forever.",
        || {
            let semaphore = Arc::new(Semaphore::new(PERMITS));
            let holders = Arc::new(AtomicUsize::new(0));
            let peak = Arc::new(AtomicUsize::new(0));
            let start = Arc::new(Barrier::new(THREADS));
            let workers: Vec<_> = (0..THREADS)
                .map(|_| {
                    let (semaphore, holders, peak, start) = (
                        Arc::clone(&semaphore),
                        Arc::clone(&holders),
                        Arc::clone(&peak),
                        Arc::clone(&start),
                    );
                    thread::spawn(move || {
                        start.wait();
                        for _ in 0..ROUNDS {
                            let _permit = semaphore.acquire();
                            let now = holders.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(now, Ordering::SeqCst);
                            thread::yield_now();
                            holders.fetch_sub(1, Ordering::SeqCst);
                        }
                    })
                })
                .collect();
            held_check(workers);
            assert_eq!(
                semaphore.available(),
                PERMITS,
                "every permit must be back once all holders are gone"
            );
            peak.load(Ordering::SeqCst)
        },
    );
    assert!(
        peak <= PERMITS,
        "{peak} threads held a permit at the same time, but the semaphore has only {PERMITS}"
    );
}

#[test]
fn a_permit_wakes_one_waiter_not_all_of_them() {
    within(
        GENEROUS,
        "one permit added while three acquires wait",
        "After the permit is taken, add_permits(2) should wake the other two.",
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let (handles, acquired, tids) = spawn_acquirers(&semaphore, 3);
            wait_until(
                || semaphore.waiting() == 3 && asleep_in_the_kernel(&tids),
                &handles,
            );
            // Counted on this thread: how many sleepers our notifies reach.
            let before = probe::sleepers_notified_by_this_thread();
            semaphore.add_permits(1);
            let woken = probe::sleepers_notified_by_this_thread() - before;
            assert_eq!(
                woken, 1,
                "add_permits(1) with three acquires asleep woke {woken} of them, expected \
                 exactly 1: one permit can serve one waiter. notify_all (or a notify per \
                 sleeper) wakes them all to fight over one permit, and all but one go back \
                 to sleep: call notify_one once per permit added."
            );
            acquired.recv().unwrap();
            semaphore.add_permits(2);
            held_check(handles);
        },
    );
}

#[test]
fn a_waiter_woken_for_nothing_goes_back_to_sleep() {
    within(
        GENEROUS,
        "an acquire woken spuriously three times with no permit left",
        "The acquire should sleep again after each spurious wake-up and return once \
         a permit is added.",
        || {
            let semaphore = Arc::new(Semaphore::new(0));
            let (tid_tx, tid_rx) = mpsc::channel();
            let waiter = {
                let semaphore = Arc::clone(&semaphore);
                thread::spawn(move || {
                    tid_tx.send(kit::asleep::current_tid()).unwrap();
                    // Its next three waits return without a notification,
                    // as the operating system is allowed to make them.
                    probe::wake_spuriously_on_this_thread(3);
                    std::mem::forget(semaphore.acquire());
                })
            };
            let tid = [tid_rx.recv().unwrap()];
            // If `acquire` takes a wake-up for a permit, the thread ends
            // here and `wait_until` reports it.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                wait_until(
                    || semaphore.waiting() == 1 && asleep_in_the_kernel(&tid),
                    std::slice::from_ref(&waiter),
                )
            }));
            assert!(
                outcome.is_ok() && semaphore.available() == 0,
                "an acquire woken spuriously with 0 permits left returned (or panicked \
                 taking a permit from a count of 0) instead of going back to sleep. A \
                 wake-up only means \"look again\": check the count in a `while` loop, \
                 not an `if`."
            );
            semaphore.add_permits(1);
            waiter.join().expect("the acquiring thread panicked");
        },
    );
}
