// Tests for exercise `hand_state_machine` (chapter 2, "async fn is a state
// machine"). The same file grades the stub and the reference solution; keep
// plain `//` comments at the top (the solution includes it with `include!`).

use ch02_exercises::hand_state_machine::{Db, two_hops, two_hops_by_hand};
use kit::poll::Harness;
use std::task::Poll;
use std::time::Duration;

// Only a safety net: every step here wakes itself, so no wait happens.
const PATIENCE: Duration = Duration::from_secs(2);

fn db() -> Db {
    Db::new(&[(1, 10), (10, 100), (2, 20)])
}

#[test]
fn gives_the_same_answer_as_the_async_fn() {
    let compiled = Harness::new(two_hops(db(), 1)).run_to_completion(PATIENCE);
    let by_hand = Harness::new(two_hops_by_hand(db(), 1)).run_to_completion(PATIENCE);
    assert_eq!(
        compiled, 110,
        "sanity check: 1 -> 10 -> 100, and 10 + 100 = 110"
    );
    assert_eq!(
        by_hand, compiled,
        "two_hops_by_hand(db, 1) must return middle + end = 10 + 100"
    );
    let missing = Harness::new(two_hops_by_hand(db(), 7)).run_to_completion(PATIENCE);
    assert_eq!(missing, 0, "7 is not in the table: 0, then get(0) is 0 too");
}

#[test]
fn creating_it_starts_no_lookup() {
    let db = db();
    let _future = two_hops_by_hand(db.clone(), 1);
    assert_eq!(
        db.calls(),
        Vec::<String>::new(),
        "building the future already called db.get: an async fn runs none of its body until \
         the first poll, so `two_hops_by_hand` must only store its arguments (state Start)"
    );
}

#[test]
fn lookups_start_one_after_the_other() {
    let db = db();
    let mut harness = Harness::new(two_hops_by_hand(db.clone(), 1));
    assert_eq!(harness.poll(), Poll::Pending);
    assert_eq!(
        db.calls(),
        vec!["get(1)"],
        "the first poll runs the body up to the first .await: exactly one lookup started"
    );
    assert_eq!(harness.poll(), Poll::Pending);
    assert_eq!(
        db.calls(),
        vec!["get(1)", "get(10)"],
        "once the first lookup gives 10, the same poll goes on to start get(10)"
    );
    assert_eq!(harness.poll(), Poll::Ready(110));
}

#[test]
fn takes_as_many_polls_as_the_compiler_version() {
    let mut compiled = Harness::new(two_hops(db(), 2));
    compiled.run_to_completion(PATIENCE);
    let mut by_hand = Harness::new(two_hops_by_hand(db(), 2));
    by_hand.run_to_completion(PATIENCE);
    assert_eq!(
        by_hand.polls(),
        compiled.polls(),
        "the compiled async fn needs {} polls, yours needed {}: when a step finishes, go on to \
         the next state in the same poll (loop) instead of returning Pending in between",
        compiled.polls(),
        by_hand.polls()
    );
}

#[test]
#[should_panic(expected = "after completion")]
fn polling_after_completion_panics() {
    let mut future = Box::pin(two_hops_by_hand(db(), 1));
    let waker = std::task::Waker::noop();
    let mut cx = std::task::Context::from_waker(waker);
    let mut ready = false;
    for _ in 0..10 {
        if future.as_mut().poll(&mut cx).is_ready() {
            ready = true;
            break;
        }
    }
    assert!(ready, "two_hops_by_hand should be Ready within 10 polls");
    // The compiled async fn panics here with "`async fn` resumed after
    // completion"; the hand-written one should be in state Done and say so.
    let _ = future.as_mut().poll(&mut cx);
}

#[test]
fn gives_the_same_answer_under_spurious_polls_and_wakes() {
    use kit::spurious::Harness as Spurious;
    for seed in 0..20 {
        // A fresh waker per poll, extra polls, wakes that mean nothing: the
        // machine must go on from the state it is in, never repeat a step or
        // re-poll a finished lookup.
        let db = db();
        let got = Spurious::new(two_hops_by_hand(db.clone(), 1)).run_with_noise(seed);
        assert_eq!(got, 110, "seed {seed}: 1 -> 10 -> 100 gives 10 + 100");
        assert_eq!(
            db.calls().len(),
            2,
            "seed {seed}: two lookups expected, db.get was called {:?}: a spurious poll must not \
             start a lookup again",
            db.calls()
        );
    }
}
