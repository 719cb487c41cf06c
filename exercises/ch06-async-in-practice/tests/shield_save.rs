// Tests for exercise `shield_save` (chapter 6, "Cancellation: dropping, shielding, tokens").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// Every test runs under the watchdog, so an answer that blocks its thread fails
// with "deadlock suspected" instead of hanging.
//
// A save takes 60 ms (write) + 40 ms (commit) of virtual time. The tests
// cancel callers with `tokio::time::timeout`, which drops the future it wraps.

use ch06_exercises::shield_save::{Store, save_order};
use paused::paused;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Calls `save_order` but gives up after `patience`, like an impatient client.
async fn impatient_save(store: &Arc<Store>, order: u64, patience: Duration) {
    let outcome = tokio::time::timeout(patience, save_order(Arc::clone(store), order)).await;
    assert!(
        outcome.is_err(),
        "a save takes 100 ms, so a caller that waits only {patience:?} should be cancelled \
         first; it finished instead: does save_order return before the order is committed?"
    );
}

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: something blocked the runtime's only thread \
     (std::thread::sleep, a blocking wait, a std lock held across an await?).";

#[test]
fn a_save_survives_the_caller_being_cancelled() {
    paused(
        "a save survives the caller being cancelled",
        HANG_HINT,
        || async {
            let store = Arc::new(Store::default());
            // Order 1's caller gives up during the write, order 2's during the commit.
            impatient_save(&store, 1, ms(30)).await;
            impatient_save(&store, 2, ms(80)).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
            let (written, committed) = (store.written(), store.committed());
            assert_eq!(
                (written.clone(), committed.clone()),
                (vec![1, 2], vec![1, 2]),
                "both callers were cancelled (at 30 ms, during the write, and at 80 ms, during the \
                 commit), and a second later the store shows written {written:?}, committed \
                 {committed:?}; expected both orders written and committed. Dropping a future cancels \
                 everything it awaits: run the whole save (write and commit) in a spawned task."
            );
        },
    );
}

#[test]
fn save_order_returns_once_the_order_is_committed() {
    paused(
        "save order returns once the order is committed",
        HANG_HINT,
        || async {
            let store = Arc::new(Store::default());
            let start = Instant::now();
            let saved =
                tokio::time::timeout(Duration::from_secs(3600), save_order(Arc::clone(&store), 5));
            saved
                .await
                .expect("save_order did not return within an hour of virtual time");
            let took = start.elapsed();
            assert_eq!(
                store.committed(),
                vec![5],
                "save_order returned before order 5 was committed: await the spawned task's JoinHandle \
                 instead of firing and forgetting"
            );
            assert_eq!(
                took,
                ms(100),
                "a save is a 60 ms write then a 40 ms commit: expected 100 ms, got {took:?}"
            );
        },
    );
}
