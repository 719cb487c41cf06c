// Tests for exercise `s1_block_on` (chapter 3, "Step 1: block_on").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch03_exercises::s1_block_on::block_on;
use kit::poll::PollCount;
use kit::watchdog::{GENEROUS, within};
use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread::{self, Thread};
use std::time::Duration;

/// A correct `block_on` finishes each test in milliseconds; a hang is
/// reported after this long, not after the 10 s CI default.
const DEADLINE: Duration = Duration::from_secs(3);

const HANG_HINT: &str = "block_on is probably asleep and nobody wakes it: does the waker \
                         unpark the thread that runs the loop, and does the loop check a flag \
                         so that a wake-up arriving before `park` is not lost?";

/// Pending until its waker has been called from another thread; counts
/// the polls that came without a wake-up since the previous poll.
struct WokenByHelper {
    woken: Arc<Mutex<bool>>,
    polls: usize,
    polls_without_wake: Arc<AtomicUsize>,
    /// Gets the waker and the id of the thread running the loop.
    waker_for_helper: Option<mpsc::Sender<(Waker, Option<u32>)>>,
}

impl Future for WokenByHelper {
    type Output = &'static str;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<&'static str> {
        self.polls += 1;
        if self.polls == 1 {
            let sender = self.waker_for_helper.take().expect("first poll");
            let loop_thread = kit::asleep::current_tid();
            sender.send((cx.waker().clone(), loop_thread)).unwrap();
            return Poll::Pending;
        }
        let woken = self.woken.lock().unwrap();
        if *woken {
            return Poll::Ready("done");
        }
        drop(woken);
        self.polls_without_wake.fetch_add(1, Ordering::SeqCst);
        Poll::Pending
    }
}

/// A future that wakes itself `times` times before completing: what
/// `yield_now` does.
struct YieldTimes {
    left: usize,
}

impl Future for YieldTimes {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.left == 0 {
            return Poll::Ready(());
        }
        self.left -= 1;
        // Woken *during* the poll, before Pending is even returned.
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[test]
fn a_ready_future_is_polled_once() {
    let (future, polls) = PollCount::new(std::future::ready(42));
    let output = within(DEADLINE, "block_on(ready(42))", HANG_HINT, move || {
        block_on(future)
    });
    assert_eq!(output, 42, "block_on must return the future's output");
    assert_eq!(
        polls.load(Ordering::SeqCst),
        1,
        "a future that is Ready at once needs exactly one poll"
    );
}

#[test]
fn the_loop_sleeps_until_a_waker_from_another_thread_wakes_it() {
    let polls_without_wake = Arc::new(AtomicUsize::new(0));
    let woken = Arc::new(Mutex::new(false));
    let (waker_tx, waker_rx) = mpsc::channel::<(Waker, Option<u32>)>();
    // The helper wakes the future only once the loop's thread is asleep in
    // the kernel (a correct block_on parks), or as soon as the loop has
    // polled again without a wake-up (a spinning block_on never sleeps; the
    // assertion below reports it). No timing is involved either way.
    let helper_woken = Arc::clone(&woken);
    let spurious_polls = Arc::clone(&polls_without_wake);
    let helper = thread::spawn(move || {
        let (waker, loop_thread) = waker_rx.recv().unwrap();
        let polled_again = || spurious_polls.load(Ordering::SeqCst) > 0;
        kit::asleep::wait_until_asleep(loop_thread, polled_again, DEADLINE);
        *helper_woken.lock().unwrap() = true;
        waker.wake();
    });
    let future = WokenByHelper {
        woken,
        polls: 0,
        polls_without_wake: Arc::clone(&polls_without_wake),
        waker_for_helper: Some(waker_tx),
    };
    let output = within(
        DEADLINE,
        "block_on(woken by another thread)",
        HANG_HINT,
        move || block_on(future),
    );
    helper.join().unwrap();
    assert_eq!(output, "done");
    let spurious = polls_without_wake.load(Ordering::SeqCst);
    assert_eq!(
        spurious, 0,
        "the future was polled {spurious} times without being woken: block_on must not poll \
         again until the waker is called (this is busy polling, it burns a core while it waits); \
         park the thread and let the waker unpark it"
    );
}

#[test]
fn a_wake_during_the_poll_is_not_lost() {
    let (future, polls) = PollCount::new(YieldTimes { left: 5 });
    within(
        DEADLINE,
        "block_on(a future that yields 5 times)",
        HANG_HINT,
        move || block_on(future),
    );
    let polls = polls.load(Ordering::SeqCst);
    assert_eq!(
        polls, 6,
        "a future that wakes itself 5 times then completes needs 6 polls, got {polls}"
    );
}

#[test]
fn a_value_sent_from_another_thread_arrives() {
    let (sender, receiver) = futures::channel::oneshot::channel::<String>();
    let helper = thread::spawn(move || {
        sender.send("from the helper".to_string()).unwrap();
    });
    let received = within(
        DEADLINE,
        "block_on(oneshot receiver)",
        HANG_HINT,
        move || block_on(receiver),
    );
    helper.join().unwrap();
    assert_eq!(
        received.as_deref(),
        Ok("from the helper"),
        "block_on must return what the future resolved to"
    );
}

#[test]
fn block_on_runs_async_blocks_with_several_awaits() {
    let output = within(DEADLINE, "block_on(async block)", HANG_HINT, || {
        block_on(async {
            YieldTimes { left: 2 }.await;
            let a = async { 20 }.await;
            YieldTimes { left: 1 }.await;
            a + 22
        })
    });
    assert_eq!(
        output, 42,
        "an async block's awaits run in order and its value comes back"
    );
}

/// Pending until a helper thread has woken it `wakes_needed` times. Each
/// poll hands its waker (and the loop thread) to the helper, and counts
/// whether a wake-up came since the previous poll.
struct NeedsWakes {
    wakes_needed: usize,
    /// Wake-ups the helper has delivered so far.
    wakes_done: Arc<AtomicUsize>,
    /// Wake-ups already seen by a poll.
    wakes_seen: usize,
    polls: Arc<AtomicUsize>,
    polls_without_wake: Arc<AtomicUsize>,
    to_helper: mpsc::Sender<(Waker, Thread, Option<u32>)>,
}

impl Future for NeedsWakes {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let polls = self.polls.fetch_add(1, Ordering::SeqCst) + 1;
        let done = self.wakes_done.load(Ordering::SeqCst);
        if polls > 1 && done == self.wakes_seen {
            self.polls_without_wake.fetch_add(1, Ordering::SeqCst);
        }
        self.wakes_seen = done;
        if done >= self.wakes_needed {
            return Poll::Ready(());
        }
        let message = (
            cx.waker().clone(),
            thread::current(),
            kit::asleep::current_tid(),
        );
        // The helper may have hung up once it delivered every wake-up.
        let _ = self.to_helper.send(message);
        Poll::Pending
    }
}

/// What a helper thread does between two real wake-ups.
#[derive(Clone, Copy)]
enum Between {
    /// Nothing: wake as soon as the loop sleeps.
    Nothing,
    /// Unpark the loop thread `n` times without waking the future, each
    /// time once it is asleep again: `park` returning proves nothing.
    SpuriousUnparks(usize),
}

/// Runs a `NeedsWakes` future that needs `wakes` wake-ups from a helper
/// thread; returns (polls, polls that came without a wake-up).
fn run_with_helper(wakes: usize, between: Between) -> (usize, usize) {
    let wakes_done = Arc::new(AtomicUsize::new(0));
    let polls = Arc::new(AtomicUsize::new(0));
    let polls_without_wake = Arc::new(AtomicUsize::new(0));
    let (to_helper, from_future) = mpsc::channel::<(Waker, Thread, Option<u32>)>();
    let helper_done = Arc::clone(&wakes_done);
    let helper_polls = Arc::clone(&polls);
    let helper = thread::spawn(move || {
        for round in 0..wakes {
            // The newest waker: a spinning loop sends one per poll.
            let Ok(mut latest) = from_future.recv() else {
                return;
            };
            while let Ok(newer) = from_future.try_recv() {
                latest = newer;
            }
            let (waker, loop_thread, tid) = latest;
            // Polled again before any wake-up: this loop does not sleep, stop
            // waiting for it to (the assertions below report it).
            let polls_so_far = helper_polls.load(Ordering::SeqCst);
            let spun = || helper_polls.load(Ordering::SeqCst) > polls_so_far;
            if let Between::SpuriousUnparks(n) = between {
                for _ in 0..n {
                    if !kit::asleep::wait_until_asleep(tid, spun, DEADLINE) {
                        break;
                    }
                    loop_thread.unpark();
                }
            }
            kit::asleep::wait_until_asleep(tid, spun, DEADLINE);
            helper_done.store(round + 1, Ordering::SeqCst);
            waker.wake();
        }
    });
    let future = NeedsWakes {
        wakes_needed: wakes,
        wakes_done,
        wakes_seen: 0,
        polls: Arc::clone(&polls),
        polls_without_wake: Arc::clone(&polls_without_wake),
        to_helper,
    };
    within(
        DEADLINE,
        "block_on(a future woken several times from another thread)",
        HANG_HINT,
        move || block_on(future),
    );
    helper.join().unwrap();
    (
        polls.load(Ordering::SeqCst),
        polls_without_wake.load(Ordering::SeqCst),
    )
}

#[test]
fn every_wake_up_costs_one_poll_over_several_rounds() {
    let (polls, unwoken) = run_with_helper(5, Between::Nothing);
    assert_eq!(
        (polls, unwoken),
        (6, 0),
        "(polls, polls without a wake-up) for a future woken 5 times from another thread, each \
         time once the loop slept: expected (6, 0), got ({polls}, {unwoken}). A loop that sleeps \
         after the first wake-up but spins after it does not *consume* the wake-up: read and \
         clear the flag in one step (`swap(false)`), a `load` leaves it set for ever"
    );
}

#[test]
fn park_returning_without_a_wake_up_is_not_a_wake_up() {
    let (polls, unwoken) = run_with_helper(3, Between::SpuriousUnparks(2));
    assert_eq!(
        (polls, unwoken),
        (4, 0),
        "(polls, polls without a wake-up) when the loop thread was unparked twice for nothing \
         before each of 3 real wake-ups: expected (4, 0), got ({polls}, {unwoken}). `park` may \
         return without a wake-up (the docs allow it, and anyone may call `unpark`): check the \
         flag in a `while` loop around `park`, not once with `if`"
    );
}

/// Puts the calling thread on `cpu` only. False where that is not allowed.
fn pin_to_cpu(cpu: usize) -> bool {
    // Safety: `cpu_set_t` is plain data, zeroed is its empty set; the call
    // reads `size_of` bytes of it and changes only this thread's affinity.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_SET(cpu, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}

/// The first CPU this process may run on.
fn first_allowed_cpu() -> Option<usize> {
    // Safety: as above; `sched_getaffinity` fills the set it is given.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            return None;
        }
        (0..libc::CPU_SETSIZE as usize).find(|&cpu| libc::CPU_ISSET(cpu, &set))
    }
}

/// Gives the calling thread the lowest priority there is (`SCHED_IDLE`), or
/// back the normal one: a normal thread woken on the same CPU then runs at
/// once, before this one takes another step.
fn set_idle_priority(idle: bool) -> bool {
    let policy = if idle {
        libc::SCHED_IDLE
    } else {
        libc::SCHED_OTHER
    };
    let param = libc::sched_param { sched_priority: 0 };
    // Safety: `param` is a valid `sched_param`; pid 0 means this thread.
    unsafe { libc::sched_setscheduler(0, policy, &param) == 0 }
}

/// The order that loses a wake-up if the waker unparks before it sets the
/// flag: the loop wakes from `park`, finds no flag, parks again, and only
/// then is the flag set. Nothing is left to unpark it.
///
/// The test forces that order instead of hoping for it: the waking thread
/// and the loop share one CPU, and the waker runs at the lowest priority,
/// so the moment it unparks the loop, the kernel switches to the loop and
/// lets it run until it blocks again. (Where pinning or `SCHED_IDLE` is not
/// allowed, the test still runs, without the forcing.)
#[test]
fn a_wake_up_is_never_lost_when_the_waker_is_preempted_after_unpark() {
    let cpu = first_allowed_cpu();
    for by_value in [false, true] {
        let released = Arc::new(Mutex::new(false));
        let (waker_tx, waker_rx) = mpsc::channel::<(Waker, Option<u32>)>();
        let helper_released = Arc::clone(&released);
        let helper = thread::spawn(move || {
            let (waker, loop_thread) = waker_rx.recv().unwrap();
            if let Some(cpu) = cpu {
                pin_to_cpu(cpu);
            }
            kit::asleep::wait_until_asleep(loop_thread, || false, GENEROUS);
            *helper_released.lock().unwrap() = true;
            let lowered = set_idle_priority(true);
            if by_value {
                waker.wake();
            } else {
                waker.wake_by_ref();
            }
            if lowered {
                set_idle_priority(false);
            }
        });
        // The waker goes to the helper on the first poll only.
        let mut waker_tx = Some(waker_tx);
        let future = futures::future::poll_fn(move |cx| {
            if *released.lock().unwrap() {
                return Poll::Ready(());
            }
            if let Some(sender) = waker_tx.take() {
                if let Some(cpu) = cpu {
                    pin_to_cpu(cpu);
                }
                sender
                    .send((cx.waker().clone(), kit::asleep::current_tid()))
                    .unwrap();
            }
            Poll::Pending
        });
        let how = if by_value { "wake()" } else { "wake_by_ref()" };
        within(
            DEADLINE,
            "block_on(woken by a thread preempted right after its unpark)",
            &format!(
                "the wake-up was lost: the waking thread was paused just after it called \
                 `unpark` ({how}), the loop woke, found its flag not set yet and parked again, \
                 and nobody unparked it after the flag was set. Set the flag first, then \
                 unpark; and make `wake` do what `wake_by_ref` does"
            ),
            move || block_on(future),
        );
        helper.join().unwrap();
    }
}
