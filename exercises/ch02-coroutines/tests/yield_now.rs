// Tests for exercise `yield_now` (chapter 2, "Cooperative scheduling:
// yield_now"). The same file grades the stub and the reference solution; keep
// plain `//` comments at the top (the solution includes it with `include!`).

use ch02_exercises::yield_now::yield_now;
use kit::poll::Harness;
use std::cell::RefCell;
use std::rc::Rc;
use std::task::Poll;

/// Polls like an executor would, but gives up after `max_polls` so that a
/// future that never finishes fails the test instead of spinning forever.
fn drive<F: Future>(harness: &mut Harness<F>, max_polls: usize) -> Option<F::Output> {
    for _ in 0..max_polls {
        if let Poll::Ready(value) = harness.poll() {
            return Some(value);
        }
    }
    None
}

#[test]
fn first_poll_is_pending_and_wakes() {
    let mut harness = Harness::new(yield_now());
    assert_eq!(
        harness.poll(),
        Poll::Pending,
        "yield_now's first poll must return Pending: that is the suspension that lets others run"
    );
    assert_eq!(
        harness.wakes(),
        1,
        "yield_now returned Pending and called its waker {} times, expected 1: nothing else \
         will ever wake it, so without the wake it would hang forever",
        harness.wakes()
    );
}

#[test]
fn second_poll_is_ready() {
    let mut harness = Harness::new(yield_now());
    let _ = harness.poll();
    assert_eq!(
        harness.poll(),
        Poll::Ready(()),
        "yield_now suspends once: the second poll must return Ready, or the awaiting future \
         never continues"
    );
}

#[test]
fn lets_the_other_future_run() {
    let log = Rc::new(RefCell::new(Vec::new()));
    let worker = |name: &'static str| {
        let log = Rc::clone(&log);
        async move {
            log.borrow_mut().push(format!("{name}1"));
            yield_now().await;
            log.borrow_mut().push(format!("{name}2"));
        }
    };
    // `join` polls `a` then `b` each time it is polled.
    let mut harness = Harness::new(futures::future::join(worker("a"), worker("b")));
    assert!(
        drive(&mut harness, 10).is_some(),
        "two futures that each yield once should finish within 10 polls"
    );
    assert_eq!(
        *log.borrow(),
        vec!["a1", "b1", "a2", "b2"],
        "`a` should stop at yield_now().await and let `b` start before it goes on; a \
         yield_now that is Ready at once does not suspend anything"
    );
}

#[test]
fn the_ready_poll_wakes_nobody() {
    let mut harness = Harness::new(yield_now());
    let _ = harness.poll();
    assert_eq!(harness.poll(), Poll::Ready(()));
    assert_eq!(
        harness.wakes(),
        1,
        "yield_now woke its task {} times, expected exactly 1 (on the Pending poll): a wake on \
         the poll that returns Ready schedules a task that has nothing left to do. Wake only \
         when you return Pending",
        harness.wakes()
    );
}

#[test]
fn finishes_under_spurious_polls_and_wakes() {
    use kit::spurious::Harness as Spurious;
    for seed in 0..20 {
        let mut harness = Spurious::new(async {
            yield_now().await;
            yield_now().await;
            7
        });
        assert_eq!(
            harness.run_with_noise(seed),
            7,
            "seed {seed}: two yields then 7, with spurious polls in between"
        );
    }
}
