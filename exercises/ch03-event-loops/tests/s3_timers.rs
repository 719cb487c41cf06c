// Tests for exercise `s3_timers` (chapter 3, "Step 3: timers").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Every test runs on a `VirtualClock`: time moves only when the idle loop
// asks to wait, and then jumps to the deadline, so the times are exact.

use ch03_exercises::s3_timers::{VirtualClock, block_on, block_on_with_clock, now, sleep, spawn};
use kit::poll::{PollCount, WakeCounter};
use kit::watchdog::within;
use std::pin::Pin;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

/// A correct loop finishes each test in milliseconds; a hang is reported
/// after this long, not after the 10 s CI default.
const DEADLINE: Duration = Duration::from_secs(3);

const HANG_HINT: &str = "the loop went to sleep and never woke: when no task is ready but timers \
                         are pending, the loop must ask the clock to wait for the earliest \
                         deadline (`clock.wait_for`) and park for at most that long, then wake \
                         the timers that are due";

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

/// Runs `future` on a fresh virtual clock; returns its output and the clock.
fn run_virtual<T: Send + 'static>(
    what: &str,
    future: impl Future<Output = T> + Send + 'static,
) -> (T, Arc<VirtualClock>) {
    let clock = VirtualClock::new();
    let loop_clock = Arc::clone(&clock);
    let output = within(DEADLINE, what, HANG_HINT, move || {
        block_on_with_clock(loop_clock, future)
    });
    (output, clock)
}

/// Wraps a future and wakes the task on its first poll, so that the inner
/// future is polled a second time long before anything is due.
struct SpuriousWake<F> {
    inner: Pin<Box<F>>,
    woke: bool,
}

impl<F: Future> Future for SpuriousWake<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        if !self.woke {
            self.woke = true;
            cx.waker().wake_by_ref();
        }
        self.inner.as_mut().poll(cx)
    }
}

#[test]
fn a_sleep_resumes_exactly_at_its_deadline_after_one_wake() {
    let ((resumed_at, polls), _clock) = run_virtual("one sleep", async {
        let (task, polls) = PollCount::new(async {
            sleep(ms(100)).await;
            now()
        });
        let resumed_at = spawn(task).await.unwrap();
        (resumed_at, polls.load(Ordering::SeqCst))
    });
    assert_eq!(
        resumed_at,
        ms(100),
        "sleep(100 ms) started at 0 should resume at exactly 100 ms of virtual time"
    );
    assert_eq!(
        polls, 2,
        "a task that only sleeps should be polled twice (start, then the timer's wake-up); it was \
         polled {polls} times: are timers woken before they are due, or tasks polled unwoken?"
    );
}

#[test]
fn timers_fire_in_deadline_order() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let task_log = Arc::clone(&log);
    let (total, _clock) = run_virtual("four sleeps", async move {
        let delays = [300, 100, 200, 100];
        let handles: Vec<_> = delays
            .iter()
            .enumerate()
            .map(|(id, &delay)| {
                let log = Arc::clone(&task_log);
                spawn(async move {
                    sleep(ms(delay)).await;
                    log.lock().unwrap().push((id, now().as_millis()));
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
        now()
    });
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [(1, 100), (3, 100), (2, 200), (0, 300)],
        "(task, wake time in ms): sleeps of 300, 100, 200 and 100 ms must end earliest first, \
         ties in the order they were registered, each at its own deadline. A std BinaryHeap pops \
         the *largest* item: is the heap ordered earliest-first (Reverse)?"
    );
    assert_eq!(
        total,
        ms(300),
        "four sleeps running together take as long as the longest (300 ms), not the sum"
    );
}

#[test]
fn a_sleep_polled_before_its_deadline_stays_pending() {
    let (resumed_at, _clock) = run_virtual("a sleep woken early", async {
        spawn(async {
            SpuriousWake {
                inner: Box::pin(sleep(ms(100))),
                woke: false,
            }
            .await;
            now()
        })
        .await
        .unwrap()
    });
    assert_eq!(
        resumed_at,
        ms(100),
        "the sleep was polled a second time at 0 ms (its task was woken for another reason) and \
         completed at {resumed_at:?}: being polled does not mean the deadline has passed; compare \
         the clock with the deadline on every poll"
    );
}

#[test]
fn the_idle_loop_waits_for_the_next_deadline_and_no_longer() {
    let (_, clock) = run_virtual("three sleeps", async {
        let a = spawn(sleep(ms(300)));
        let b = spawn(sleep(ms(100)));
        let c = spawn(sleep(ms(200)));
        a.await.unwrap();
        b.await.unwrap();
        c.await.unwrap();
    });
    let waits: Vec<u128> = clock.waits().iter().map(Duration::as_millis).collect();
    assert_eq!(
        waits,
        [100, 200, 300],
        "the deadlines (ms) the idle loop asked the clock to wait for: it should wait once for \
         each earliest pending deadline. Polling on a fixed tick wastes wake-ups; waiting for a \
         later deadline fires the earlier timers late"
    );
}

#[test]
fn many_timers_each_fire_at_their_own_deadline() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let task_log = Arc::clone(&log);
    run_virtual("200 sleeps", async move {
        // A fixed pseudo-random sequence (a linear congruential generator).
        let mut seed = 12345u64;
        let mut handles = Vec::new();
        for _ in 0..200 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let delay = ms(1 + (seed >> 33) % 1000);
            let log = Arc::clone(&task_log);
            handles.push(spawn(async move {
                sleep(delay).await;
                log.lock().unwrap().push((delay, now()));
            }));
        }
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let log = log.lock().unwrap().clone();
    assert_eq!(log.len(), 200, "every sleeping task should finish");
    for (deadline, woke_at) in &log {
        assert_eq!(
            woke_at, deadline,
            "a task that slept {deadline:?} from time 0 woke at {woke_at:?}"
        );
    }
    assert!(
        log.windows(2).all(|pair| pair[0].1 <= pair[1].1),
        "tasks must wake in deadline order"
    );
}

#[test]
fn sleeps_in_one_task_add_up_sleeps_in_two_tasks_overlap() {
    let ((sequential, concurrent), _clock) =
        run_virtual("sequential and concurrent sleeps", async {
            let start = now();
            sleep(ms(100)).await;
            sleep(ms(150)).await;
            let sequential = now() - start;
            let start = now();
            let a = spawn(sleep(ms(100)));
            let b = spawn(sleep(ms(150)));
            a.await.unwrap();
            b.await.unwrap();
            (sequential, now() - start)
        });
    assert_eq!(
        sequential,
        ms(250),
        "two sleeps awaited one after another add up"
    );
    assert_eq!(
        concurrent,
        ms(150),
        "two sleeps in two tasks overlap: the longer one decides"
    );
}

#[test]
fn a_sleep_on_the_real_clock_completes() {
    // Only that it finishes: wall-clock durations are for the demos.
    within(
        DEADLINE,
        "a 1 ms sleep on the real clock",
        HANG_HINT,
        || {
            block_on(async {
                sleep(ms(1)).await;
                spawn(sleep(ms(1))).await.unwrap();
            })
        },
    );
}

#[test]
fn equal_deadlines_fire_in_the_order_they_were_registered() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let task_log = Arc::clone(&log);
    run_virtual("three sleeps ending at 100 ms", async move {
        // Task 7 is spawned first but registers its 100 ms deadline last (at
        // 40 ms); tasks 3 and 9 register theirs at 0 ms, 3 before 9.
        let plans: [(u32, &[u64]); 3] = [(7, &[40, 60]), (3, &[100]), (9, &[100])];
        let handles: Vec<_> = plans
            .into_iter()
            .map(|(label, sleeps)| {
                let log = Arc::clone(&task_log);
                spawn(async move {
                    for &delay in sleeps {
                        sleep(ms(delay)).await;
                    }
                    log.lock().unwrap().push((label, now().as_millis()));
                })
            })
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [(3, 100), (9, 100), (7, 100)],
        "(task, wake time in ms) for three timers due at 100 ms, registered by task 3 (at 0 ms), \
         task 9 (at 0 ms) and task 7 (at 40 ms): ties must fire in the order the timers were \
         *registered*, oldest first (compare `seq` the same way round as the deadline), not \
         newest first and not in spawn order"
    );
}

#[test]
fn a_sleep_keeps_the_deadline_of_its_first_poll() {
    let (resumed_at, _clock) = run_virtual("a sleep polled again by join!", async {
        spawn(async {
            // `join!` polls both sleeps whenever the task wakes, so the long
            // one is polled again at 30 ms, when the short one ends.
            futures::join!(sleep(ms(100)), sleep(ms(30)));
            now()
        })
        .await
        .unwrap()
    });
    assert_eq!(
        resumed_at,
        ms(100),
        "sleep(100 ms), polled at 0 ms and again at 30 ms, ended at {resumed_at:?}: the \
         deadline is fixed on the first poll (now + duration); computing it again on a later \
         poll pushes it back"
    );
}

#[test]
fn a_sleep_moved_to_another_task_wakes_the_new_one() {
    let ((first, second), _clock) = run_virtual("a sleep polled by two wakers", async {
        let first = WakeCounter::new();
        let second = WakeCounter::new();
        let mut pending_sleep = Box::pin(sleep(ms(100)));
        for counter in [&first, &second] {
            let waker = counter.waker();
            let polled = pending_sleep
                .as_mut()
                .poll(&mut Context::from_waker(&waker));
            assert!(polled.is_pending(), "sleep(100 ms) is pending at 0 ms");
        }
        // Let the clock pass 100 ms.
        sleep(ms(200)).await;
        (first.wakes(), second.wakes())
    });
    assert!(
        second >= 1,
        "a sleep polled first with waker A, then with waker B (it moved to another task), \
         woke A {first} times and B {second} times at its deadline: B, the waker of the latest \
         poll, must be woken. Register the timer again when the waker changes \
         (`Waker::will_wake` tells)"
    );
}

#[test]
fn the_idle_loop_waits_once_for_each_deadline_even_with_ties() {
    let (_, clock) = run_virtual("sleeps of 300, 100, 200 and 100 ms", async {
        let handles: Vec<_> = [300, 100, 200, 100]
            .into_iter()
            .map(|delay| spawn(sleep(ms(delay))))
            .collect();
        for handle in handles {
            handle.await.unwrap();
        }
    });
    let waits: Vec<u128> = clock.waits().iter().map(Duration::as_millis).collect();
    assert_eq!(
        waits,
        [100, 200, 300],
        "the deadlines (ms) the idle loop waited for: two timers due at 100 ms fire in the same \
         round, so the loop waits once per distinct deadline. Waiting again for 100 ms means \
         `fire_due_timers` popped only one due timer: pop every timer that is due"
    );
}
