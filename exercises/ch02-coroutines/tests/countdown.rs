// Tests for exercise `countdown` (chapter 2, "The Future trait").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch02_exercises::countdown::countdown;
use kit::poll::Harness;
use std::task::Poll;
use std::time::Duration;

// Only a safety net for the "never woken" failure: a correct countdown wakes
// itself before returning, so the harness never actually waits.
const PATIENCE: Duration = Duration::from_secs(2);

#[test]
fn pending_n_times_then_ready() {
    let mut harness = Harness::new(countdown(3));
    for poll in 1..=3 {
        assert_eq!(
            harness.poll(),
            Poll::Pending,
            "countdown(3) must return Pending on polls 1, 2 and 3, but poll #{poll} was Ready: \
             is `remaining` counted down once per poll?"
        );
    }
    assert_eq!(
        harness.poll(),
        Poll::Ready(()),
        "countdown(3) must be Ready on poll #4, after returning Pending 3 times"
    );
}

#[test]
fn countdown_zero_is_ready_at_once() {
    let mut harness = Harness::new(countdown(0));
    assert_eq!(
        harness.poll(),
        Poll::Ready(()),
        "countdown(0) has nothing to wait for: the first poll must return Ready"
    );
    assert_eq!(
        harness.wakes(),
        0,
        "a future that is Ready must not wake itself"
    );
}

#[test]
fn every_pending_comes_with_a_wake() {
    let mut harness = Harness::new(countdown(2));
    let _ = harness.poll();
    assert_eq!(
        harness.wakes(),
        1,
        "after returning Pending the waker was called {} times, expected 1: a future that \
         returns Pending must arrange a wake-up (here: `cx.waker().wake_by_ref()`), or it \
         would hang forever",
        harness.wakes()
    );
}

#[test]
fn runs_to_completion_under_an_executor_that_waits_for_wakes() {
    let mut harness = Harness::new(countdown(5));
    harness.run_to_completion(PATIENCE);
    assert_eq!(
        (harness.polls(), harness.wakes()),
        (6, 5),
        "countdown(5) should take 6 polls and 5 wake-ups (polls, wakes); got {:?}",
        (harness.polls(), harness.wakes())
    );
}

#[test]
fn creating_the_future_runs_nothing() {
    let future = countdown(4);
    assert_eq!(
        future.remaining, 4,
        "`countdown(4)` must only build the future: counting happens in `poll`, and nothing \
         has polled it yet (futures are lazy)"
    );
    let harness = Harness::new(future);
    assert_eq!((harness.polls(), harness.wakes()), (0, 0));
}

#[test]
fn finishes_under_spurious_polls_and_wakes() {
    use kit::spurious::Harness as Spurious;
    for seed in 0..20 {
        // A fresh waker on every poll: the wake of each Pending poll must go
        // to the waker of that poll (`cx.waker()`), never to an older one.
        let mut harness = Spurious::new(countdown(4));
        harness.run_with_noise(seed);
        assert_eq!(
            harness.polls(),
            5,
            "seed {seed}: countdown(4) is Pending 4 times and Ready on poll 5, spurious polls \
             included; it took {} polls",
            harness.polls()
        );
    }
}
