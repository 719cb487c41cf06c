// Tests for exercise `join_pair` (chapter 2, "Combining futures by hand: join
// and select"). The same file grades the stub and the reference solution; keep
// plain `//` comments at the top (the solution includes it with `include!`).

use ch02_exercises::join_pair::join;
use kit::poll::{Harness, PollCount, Strict};
use std::sync::atomic::Ordering;
use std::task::Poll;
use std::time::Duration;

// Only a safety net: the test futures wake themselves, so nothing waits.
const PATIENCE: Duration = Duration::from_secs(2);

use kit::poll::ready_after as after;

#[test]
fn returns_both_outputs_in_order() {
    let mut harness = Harness::new(join(after(2, "left"), after(0, 7)));
    assert_eq!(
        harness.run_to_completion(PATIENCE),
        ("left", 7),
        "join(a, b) returns (a's output, b's output), whichever finished first"
    );
}

#[test]
fn never_polls_a_finished_future() {
    // `Strict` panics if a future is polled again after it returned Ready.
    let quick_first = join(
        Strict::new("quick", after(0, 1)),
        Strict::new("slow", after(3, 2)),
    );
    assert_eq!(
        Harness::new(quick_first).run_to_completion(PATIENCE),
        (1, 2)
    );
    let quick_second = join(
        Strict::new("slow", after(3, 1)),
        Strict::new("quick", after(0, 2)),
    );
    assert_eq!(
        Harness::new(quick_second).run_to_completion(PATIENCE),
        (1, 2)
    );
}

#[test]
fn polls_both_sides_on_the_first_poll() {
    let (a, a_polls) = PollCount::new(after(2, 'a'));
    let (b, b_polls) = PollCount::new(after(2, 'b'));
    let mut harness = Harness::new(join(a, b));
    assert_eq!(harness.poll(), Poll::Pending);
    let polls = (
        a_polls.load(Ordering::SeqCst),
        b_polls.load(Ordering::SeqCst),
    );
    assert_eq!(
        polls,
        (1, 1),
        "after one poll of join(a, b), (a, b) were polled {polls:?} times, expected (1, 1): \
         a join that waits for `a` before it starts `b` runs them one after another"
    );
}

#[test]
fn takes_the_longer_wait_not_the_sum() {
    let mut harness = Harness::new(join(after(2, ()), after(3, ())));
    harness.run_to_completion(PATIENCE);
    assert_eq!(
        harness.polls(),
        4,
        "a needs 3 polls and b needs 4; run together they finish on poll 4 (the longer), but \
         join took {} polls: 7 would mean they ran one after another",
        harness.polls()
    );
}

#[test]
fn waits_for_both() {
    let mut harness = Harness::new(join(after(0, 'a'), after(1, 'b')));
    assert_eq!(
        harness.poll(),
        Poll::Pending,
        "`a` is done but `b` is not: join must keep a's output and return Pending"
    );
    assert_eq!(
        harness.poll(),
        Poll::Ready(('a', 'b')),
        "`a` finished on the first poll and `b` on the second: the join must now return both \
         outputs. Keep a finished side's output until the other is in (do not take it out early), \
         and poll the unfinished side on every call"
    );
}

// Under spurious polls, with a fresh waker on every poll and event-driven
// sides (`futures::channel::oneshot` stores the waker it is polled with and
// wakes it on `send`): each side's event must wake the latest poll, and
// neither side may be polled after it finished (`Strict` panics if it is).
#[test]
fn both_sides_wake_the_latest_poll_under_spurious_polls() {
    use futures::channel::oneshot;
    use kit::spurious::Harness as Spurious;
    let (a_tx, a_rx) = oneshot::channel::<u32>();
    let (b_tx, b_rx) = oneshot::channel::<u32>();
    let mut harness = Spurious::new(join(Strict::new("a", a_rx), Strict::new("b", b_rx)));
    assert!(harness.poll().is_pending(), "nothing was sent yet");
    assert!(harness.poll_extra(2).is_pending(), "still nothing sent");
    b_tx.send(20).unwrap();
    assert!(
        harness.wakes() >= 1,
        "`b` received its value but the join's task was never woken: poll both sides with the \
         `cx` you were given"
    );
    harness.assert_woke_latest();
    assert!(
        harness.poll_extra(3).is_pending(),
        "`b` is done but `a` is not: join stays Pending and keeps b's output"
    );
    a_tx.send(10).unwrap();
    harness.assert_woke_latest();
    assert_eq!(
        harness.poll(),
        Poll::Ready((Ok(10), Ok(20))),
        "both sent: join returns (a's output, b's output), in that order"
    );
}
