// Tests for exercise `slow_poll_detector` (chapter 8, "Finding slow polls").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The clock is a fake that only moves when a test (or a test future, during
// its poll) moves it, so every "poll took 50 ms" is exact and no real time
// passes.

use ch08_exercises::slow_poll_detector::{Clock, SlowPoll, SlowPolls, watch};
use kit::poll::Harness;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);
const PATIENCE: Duration = Duration::from_secs(5);

#[derive(Default)]
struct FakeClock {
    nanos: AtomicU64,
}

impl FakeClock {
    fn advance(&self, by: Duration) {
        self.nanos.fetch_add(by.as_nanos() as u64, Ordering::SeqCst);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> Duration {
        Duration::from_nanos(self.nanos.load(Ordering::SeqCst))
    }
}

/// A future whose n-th poll "takes" `costs[n]` (it moves the fake clock while
/// it runs), returns Pending (waking itself) until the last cost, then Ready.
struct Costly {
    clock: Arc<FakeClock>,
    costs: VecDeque<Duration>,
    output: &'static str,
}

impl Future for Costly {
    type Output = &'static str;
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        let cost = self
            .costs
            .pop_front()
            .expect("Costly polled after it returned Ready");
        self.clock.advance(cost);
        if self.costs.is_empty() {
            Poll::Ready(self.output)
        } else {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

fn costly(clock: &Arc<FakeClock>, costs: &[Duration], output: &'static str) -> Costly {
    Costly {
        clock: Arc::clone(clock),
        costs: costs.iter().copied().collect(),
        output,
    }
}

fn slow(task: &str, poll: u32, took: Duration) -> SlowPoll {
    SlowPoll {
        task: task.to_string(),
        poll,
        took,
    }
}

#[test]
fn a_slow_poll_is_reported_with_the_task_name_and_number() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let future = costly(&clock, &[MS, 50 * MS, 2 * MS], "resized");
    let mut harness = Harness::new(watch(
        "resize-images",
        future,
        clock.clone(),
        10 * MS,
        log.clone(),
    ));
    assert_eq!(
        harness.run_to_completion(PATIENCE),
        "resized",
        "the wrapper returns the inner future's output"
    );
    assert_eq!(
        log.reports(),
        vec![slow("resize-images", 2, 50 * MS)],
        "polls took 1, 50 and 2 ms with a 10 ms threshold: exactly one report, for poll #2 (polls \
         count from 1), naming the task and the 50 ms that one poll took"
    );
}

#[test]
fn quick_polls_are_not_reported() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let future = costly(&clock, &[3 * MS, 3 * MS, 3 * MS, 3 * MS], "done");
    let mut harness = Harness::new(watch("quick", future, clock.clone(), 10 * MS, log.clone()));
    assert_eq!(
        harness.run_to_completion(PATIENCE),
        "done",
        "the wrapper returns the inner future's output"
    );
    assert_eq!(
        log.reports(),
        vec![],
        "four polls of 3 ms each, threshold 10 ms: no poll was slow. A report here means the \
         polls' times were added up instead of each poll being timed alone."
    );
}

#[test]
fn a_poll_exactly_at_the_threshold_is_not_slow() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let future = costly(&clock, &[10 * MS, 11 * MS], "ok");
    Harness::new(watch("edge", future, clock.clone(), 10 * MS, log.clone()))
        .run_to_completion(PATIENCE);
    assert_eq!(
        log.reports(),
        vec![slow("edge", 2, 11 * MS)],
        "threshold 10 ms: a 10 ms poll is not over it, an 11 ms poll is (compare with `>`, not `>=`)"
    );
}

#[test]
fn time_between_polls_is_no_polls_fault() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let future = costly(&clock, &[MS, MS, MS], "woken");
    let mut harness = Harness::new(watch("sleepy", future, clock.clone(), 10 * MS, log.clone()));
    // Time passes before the first poll and while the task waits between polls.
    clock.advance(Duration::from_secs(5));
    assert!(harness.poll().is_pending(), "poll #1 of 3: Pending");
    clock.advance(Duration::from_secs(2));
    assert!(harness.poll().is_pending(), "poll #2 of 3: Pending");
    clock.advance(Duration::from_secs(3));
    assert_eq!(harness.poll(), Poll::Ready("woken"), "poll #3 of 3: Ready");
    assert_eq!(
        log.reports(),
        vec![],
        "each poll took 1 ms; the seconds went by before the first poll and between polls, while \
         the task was not running. Read the clock right before and right after each inner poll, \
         not once when the wrapper is built or at the end of the previous poll."
    );
}

#[test]
fn the_final_poll_is_timed_too() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let future = costly(&clock, &[MS, MS, 30 * MS], "last");
    Harness::new(watch(
        "finisher",
        future,
        clock.clone(),
        10 * MS,
        log.clone(),
    ))
    .run_to_completion(PATIENCE);
    assert_eq!(
        log.reports(),
        vec![slow("finisher", 3, 30 * MS)],
        "the poll that returns Ready took 30 ms: it is slow like any other (record before \
         returning, whatever the inner poll returned)"
    );
}

#[test]
fn poll_numbers_count_every_poll() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let costs = [
        Duration::ZERO,
        Duration::ZERO,
        25 * MS,
        Duration::ZERO,
        Duration::ZERO,
        40 * MS,
        MS,
    ];
    let future = costly(&clock, &costs, "seven");
    Harness::new(watch(
        "counted",
        future,
        clock.clone(),
        10 * MS,
        log.clone(),
    ))
    .run_to_completion(PATIENCE);
    assert_eq!(
        log.reports(),
        vec![slow("counted", 3, 25 * MS), slow("counted", 6, 40 * MS)],
        "seven polls, the third and the sixth slow: the numbers count every poll (quick ones \
         too), from 1"
    );
}

#[test]
fn two_tasks_report_under_their_own_names() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let left = watch(
        "left",
        costly(&clock, &[20 * MS, MS], "l"),
        clock.clone(),
        10 * MS,
        log.clone(),
    );
    let right = watch(
        "right",
        costly(&clock, &[MS, 40 * MS], "r"),
        clock.clone(),
        10 * MS,
        log.clone(),
    );
    let both = Harness::new(futures::future::join(left, right)).run_to_completion(PATIENCE);
    assert_eq!(
        both,
        ("l", "r"),
        "each wrapper returns its own future's output"
    );
    let mut reports = log.reports();
    reports.sort_by(|a, b| a.task.cmp(&b.task));
    assert_eq!(
        reports,
        vec![slow("left", 1, 20 * MS), slow("right", 2, 40 * MS)],
        "two watched futures share a log: left's first poll and right's second were slow; each \
         wrapper keeps its own name and its own poll count"
    );
}

#[test]
fn the_callers_waker_reaches_the_inner_future() {
    let clock = Arc::new(FakeClock::default());
    let log = SlowPolls::new();
    let (sender, receiver) = futures::channel::oneshot::channel::<u32>();
    // This harness gives every poll a new waker, as when a task moves.
    let mut harness = kit::spurious::Harness::new(watch(
        "waiter",
        receiver,
        clock.clone(),
        10 * MS,
        log.clone(),
    ));
    assert!(harness.poll().is_pending(), "nothing sent yet: Pending");
    assert!(
        harness.poll_extra(3).is_pending(),
        "three spurious polls, nothing sent: still Pending"
    );
    sender.send(9).unwrap();
    // Panics with its own message if no waker, or a stale one, was woken.
    harness.assert_woke_latest();
    assert_eq!(
        harness.poll(),
        Poll::Ready(Ok(9)),
        "after the wake-up, the message comes through"
    );
    assert_eq!(log.reports(), vec![], "no poll took any (fake) time");
}
