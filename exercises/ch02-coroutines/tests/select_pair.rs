// Tests for exercise `select_pair` (chapter 2, "Combining futures by hand:
// join and select"). The same file grades the stub and the reference solution;
// keep plain `//` comments at the top (the solution includes it).

use ch02_exercises::select_pair::{Either, select};
use kit::poll::{Harness, PollCount};
use std::cell::RefCell;
use std::collections::VecDeque;
use std::pin::Pin;
use std::rc::Rc;
use std::sync::atomic::Ordering;
use std::task::{Context, Poll};

use kit::poll::ready_after as after;

/// Receives one message from a shared queue: polling it when a message is
/// there takes the message out, like `channel.recv()`.
struct Receive {
    queue: Rc<RefCell<VecDeque<&'static str>>>,
}

impl Future for Receive {
    type Output = &'static str;
    fn poll(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<&'static str> {
        match self.queue.borrow_mut().pop_front() {
            Some(message) => Poll::Ready(message),
            // A real channel would store the waker; these tests never
            // leave a Receive waiting.
            None => Poll::Pending,
        }
    }
}

/// Polls until Ready, at most `max_polls` times.
fn drive<F: Future>(future: F, max_polls: usize) -> Option<F::Output> {
    let mut harness = Harness::new(future);
    (0..max_polls).find_map(|_| match harness.poll() {
        Poll::Ready(value) => Some(value),
        Poll::Pending => None,
    })
}

#[test]
fn left_wins_when_it_finishes_first() {
    assert_eq!(
        drive(select(after(1, "a"), after(3, "b")), 10),
        Some(Either::Left("a")),
        "`a` is ready on its 2nd poll, `b` on its 4th: select must return Left(\"a\")"
    );
}

#[test]
fn right_wins_when_it_finishes_first() {
    assert_eq!(
        drive(select(after(3, "a"), after(1, "b")), 10),
        Some(Either::Right("b")),
        "`b` is ready on its 2nd poll, `a` only on its 4th: select must return Right(\"b\"); \
         a select that waits for `a` before looking at `b` runs them one after another"
    );
}

#[test]
fn polls_both_while_both_are_pending() {
    let (a, a_polls) = PollCount::new(after(5, 1));
    let (b, b_polls) = PollCount::new(after(5, 2));
    let mut harness = Harness::new(select(a, b));
    assert_eq!(harness.poll(), Poll::Pending);
    let polls = (
        a_polls.load(Ordering::SeqCst),
        b_polls.load(Ordering::SeqCst),
    );
    assert_eq!(
        polls,
        (1, 1),
        "after one poll of select(a, b) with both pending, (a, b) were polled {polls:?} times, \
         expected (1, 1)"
    );
}

#[test]
fn left_goes_first_when_both_are_ready() {
    assert_eq!(
        drive(select(after(0, 1), after(0, 2)), 10),
        Some(Either::Left(1)),
        "this select is biased: when both are ready on the same poll, `a` (Left) wins"
    );
}

#[test]
fn the_loser_consumes_nothing() {
    let queue = Rc::new(RefCell::new(VecDeque::from(["hello"])));
    let receive = Receive {
        queue: Rc::clone(&queue),
    };
    let winner = drive(select(after(0, "timer"), receive), 10);
    assert_eq!(winner, Some(Either::Left("timer")));
    assert_eq!(
        queue.borrow().len(),
        1,
        "`a` was ready, yet `b` was polled and took the message out of the queue; select \
         then dropped it, so the message is lost. Return as soon as `a` is Ready, without \
         polling `b`"
    );
}

// Under spurious polls, with a fresh waker on every poll (as when the select
// moves between tasks): whichever side's event comes, it must wake the waker
// of the latest poll, so both sides must be polled with the select's own
// context. `futures::channel::oneshot` receivers store the waker they are
// polled with and wake it on `send`, like any real event source.
#[test]
fn either_side_wakes_the_latest_poll_under_spurious_polls() {
    use futures::channel::oneshot;
    use kit::spurious::Harness as Spurious;
    for right_sends in [false, true] {
        let (a_tx, a_rx) = oneshot::channel::<&str>();
        let (b_tx, b_rx) = oneshot::channel::<&str>();
        let mut harness = Spurious::new(select(a_rx, b_rx));
        assert!(harness.poll().is_pending(), "nothing was sent yet");
        assert!(
            harness.poll_extra(3).is_pending(),
            "polled again with nothing sent: select must stay Pending"
        );
        let side = if right_sends { "b" } else { "a" };
        if right_sends {
            b_tx.send("from b").unwrap();
        } else {
            a_tx.send("from a").unwrap();
        }
        assert_eq!(
            harness.wakes(),
            1,
            "`{side}` received its value, which wakes the waker `{side}` was last polled with; \
             select's task was woken {} times, expected 1. Poll both sides with the `cx` you were \
             given (a side polled with another waker, or not at all, cannot wake the select)",
            harness.wakes()
        );
        harness.assert_woke_latest();
        let expected = if right_sends {
            Either::Right(Ok("from b"))
        } else {
            Either::Left(Ok("from a"))
        };
        assert_eq!(
            harness.poll(),
            Poll::Ready(expected),
            "after `{side}` sent, the next poll must return its value"
        );
    }
}
