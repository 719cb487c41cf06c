//! A hand-written future, and a poll loop that shows what happens to it.
//!
//! [`Sleep`] completes after a delay. It starts a timer thread on its first
//! poll and hands that thread the waker; the thread calls `wake` when the
//! delay is over. [`run_by_hand`] is the smallest executor there is: poll,
//! wait for a wake-up, poll again, and print each step.

use kit::poll::WakeCounter;
use kit::table::Table;
use std::pin::{Pin, pin};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::thread;
use std::time::{Duration, Instant};

// ANCHOR: sleep
/// A future that is ready `delay` after its first poll.
pub struct Sleep {
    delay: Duration,
    state: SleepState,
    trace: bool,
}

enum SleepState {
    /// Created, never polled: no timer exists yet (futures are lazy).
    NotStarted,
    /// A timer thread is running; it sets the flag, then wakes us.
    Waiting { done: Arc<AtomicBool> },
    /// Returned `Ready`.
    Finished,
}

pub fn sleep(delay: Duration, trace: bool) -> Sleep {
    Sleep {
        delay,
        state: SleepState::NotStarted,
        trace,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        match &self.state {
            SleepState::NotStarted => {
                let done = Arc::new(AtomicBool::new(false));
                let (flag, waker, delay) = (Arc::clone(&done), cx.waker().clone(), self.delay);
                // The thread owns a clone of the waker: that is how the
                // outside world finds its way back to this task.
                thread::spawn(move || {
                    thread::sleep(delay);
                    flag.store(true, Ordering::Release);
                    waker.wake();
                });
                self.note("started a timer thread -> Pending");
                self.state = SleepState::Waiting { done };
                Poll::Pending
            }
            SleepState::Waiting { done } if done.load(Ordering::Acquire) => {
                self.note("timer fired -> Ready");
                self.state = SleepState::Finished;
                Poll::Ready(())
            }
            // Woken for some other reason (spuriously): keep waiting. (A
            // production timer would also store this poll's waker.)
            SleepState::Waiting { .. } => {
                self.note("not yet -> Pending");
                Poll::Pending
            }
            SleepState::Finished => panic!("Sleep polled after it returned Ready"),
        }
    }
}
// ANCHOR_END: sleep

impl Sleep {
    fn note(&self, what: &str) {
        if self.trace {
            println!("    Sleep({:?}): {what}", self.delay);
        }
    }
}

/// What [`run_by_hand`] saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunStats {
    pub polls: usize,
    pub wakes: usize,
}

// ANCHOR: run_by_hand
/// Polls `future` until it is ready, sleeping between polls until its waker
/// is called: the whole job of an executor, for one future.
pub fn run_by_hand<F: Future>(future: F, trace: bool) -> (F::Output, RunStats) {
    let wakes = if trace {
        WakeCounter::traced("main")
    } else {
        WakeCounter::new()
    };
    let waker = wakes.waker();
    let mut cx = Context::from_waker(&waker);
    // `poll` takes `Pin<&mut F>`: pin the future in place on our stack.
    let mut future = pin!(future);
    let mut polls = 0;
    loop {
        let seen = wakes.wakes();
        polls += 1;
        if trace {
            println!("  poll #{polls}");
        }
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            let stats = RunStats {
                polls,
                wakes: wakes.wakes(),
            };
            return (output, stats);
        }
        // Pending: do nothing until someone calls the waker.
        let woken = wakes.wait_for_wake_after(seen, Duration::from_secs(60));
        assert!(woken, "the future returned Pending and nobody woke it");
    }
}
// ANCHOR_END: run_by_hand

// ANCHOR: two_sleeps
/// An `async fn` that awaits two sleeps. Calling it runs none of its body:
/// the "body starts" line prints only at the first poll.
pub async fn two_sleeps(first: Duration, second: Duration, trace: bool) -> u32 {
    if trace {
        println!("    body starts");
    }
    sleep(first, trace).await;
    sleep(second, trace).await;
    42
}
// ANCHOR_END: two_sleeps

/// One traced run, for the demo: returns the stats and the elapsed time.
pub fn traced_run(first: Duration, second: Duration, trace: bool) -> (RunStats, Duration) {
    let future = two_sleeps(first, second, trace);
    if trace {
        println!("  created the future (nothing printed by its body yet)");
    }
    let started = Instant::now();
    let (answer, stats) = run_by_hand(future, trace);
    assert_eq!(answer, 42);
    (stats, started.elapsed())
}

/// Many polls without tracing, to time one poll + wake round trip of a
/// future that wakes itself. Returns the time per poll.
pub fn time_per_poll(pauses: u32) -> Duration {
    let future = async move {
        for _ in 0..pauses {
            crate::pause::pause().await;
        }
    };
    let started = Instant::now();
    let (_, stats) = run_by_hand(future, false);
    started.elapsed() / stats.polls as u32
}

/// The demo: one traced run of `two_sleeps`, then a timing of many polls.
pub fn demo_table(first: Duration, second: Duration, pauses: u32, trace: bool) -> Table {
    let (stats, elapsed) = traced_run(first, second, trace);
    let per_poll = time_per_poll(pauses);
    let mut table = Table::comparison("two_sleeps driven by hand");
    // Two sleeps: each makes one poll return Pending, plus the final poll.
    count_row(&mut table, "polls", stats.polls, 3);
    // Each Pending is followed by exactly one wake, from a timer thread.
    count_row(&mut table, "wakes", stats.wakes, 2);
    table.compare("elapsed (sleeps add up)", elapsed, first + second);
    table.row([
        format!("one poll + wake ({pauses} pauses)"),
        kit::table::duration(per_poll),
        "-".to_string(),
        "-".to_string(),
    ]);
    table
}

fn count_row(table: &mut Table, label: &str, measured: usize, predicted: usize) {
    table.row([
        label.to_string(),
        measured.to_string(),
        predicted.to_string(),
        kit::table::ratio(measured as f64, predicted as f64),
    ]);
}
