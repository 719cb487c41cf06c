// Runs every demo's logic at a tiny size so that `cargo test` keeps the
// demos compiling and working. Nothing here asserts on timing.

use ch05_demos::{
    atomics_more, basics, contention, deadlock, false_sharing, futex_lock, lost_update,
};
use std::time::Duration;

#[test]
fn basics_listings_run() {
    assert_eq!(basics::shared_log(3).len(), 3);
    assert_eq!(basics::poisoned_total(), (true, 10));
    assert_eq!(basics::read_mostly(2, 10), 20);
    assert_eq!(basics::publish_and_read(), 42);
    assert_eq!(basics::start_together(3), 1);
}

#[test]
fn lost_update_counts() {
    // The split version may or may not lose updates in a tiny run; it can
    // never count more than it was asked to.
    assert!(lost_update::count_with(2, 1_000, lost_update::split_increment) <= 2_000);
    assert_eq!(
        lost_update::count_with(2, 1_000, lost_update::atomic_increment),
        2_000
    );
}

#[test]
fn deadlock_is_detected_and_fixes_finish() {
    assert!(matches!(
        deadlock::run_opposite_orders(Duration::from_millis(50)),
        deadlock::Outcome::Deadlocked { .. }
    ));
    for use_try_lock in [false, true] {
        let (outcome, total) = deadlock::run_fixed(100, use_try_lock);
        assert!(matches!(outcome, deadlock::Outcome::Finished { .. }));
        assert_eq!(total, 2_000, "transfers must conserve money");
    }
    deadlock::run_single_thread(10);
}

#[test]
fn every_counter_counts_exactly() {
    for threads in 1..=3 {
        for (_, counter) in contention::counters(threads) {
            contention::ops_per_second(counter.as_ref(), threads, 1_000);
        }
    }
}

#[test]
fn deeper_atomics_listings_run() {
    use std::sync::atomic::AtomicU64;
    let value = AtomicU64::new(3);
    assert_eq!(atomics_more::double(&value), 3);
    assert_eq!(value.into_inner(), 6);
    assert_eq!(atomics_more::publish_with_fences(), 42);
    assert!(std::ptr::eq(
        atomics_more::settings(),
        atomics_more::settings()
    ));
}

#[test]
fn false_sharing_runs_both_layouts() {
    let (adjacent, padded) = (
        false_sharing::Adjacent::default(),
        false_sharing::Padded::default(),
    );
    assert!(false_sharing::distance(&adjacent) < 64);
    assert!(false_sharing::distance(&padded) >= 64);
    for threads in [1, 2] {
        false_sharing::run(&adjacent, threads, 1_000);
        false_sharing::run(&padded, threads, 1_000);
    }
    assert_eq!(
        adjacent.counters[1].load(std::sync::atomic::Ordering::Relaxed),
        1_000
    );
}

#[test]
fn every_lock_counts_exactly_under_contention() {
    // `hammer` panics if an increment is lost.
    for (_, lock) in futex_lock::locks() {
        for threads in [1, 2, 4] {
            futex_lock::hammer(lock.as_ref(), threads, 2_000);
        }
    }
}
