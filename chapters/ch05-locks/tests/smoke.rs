// Runs every demo's logic at a tiny size so that `cargo test` keeps the
// demos compiling and working. Nothing here asserts on timing.

use ch05_demos::{basics, contention, deadlock, lost_update};
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
