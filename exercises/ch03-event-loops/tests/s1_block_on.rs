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
use std::thread;

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
    let output = within(GENEROUS, "block_on(ready(42))", HANG_HINT, move || {
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
        kit::asleep::wait_until_asleep(loop_thread, polled_again, GENEROUS);
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
        GENEROUS,
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
        GENEROUS,
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
        GENEROUS,
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
    let output = within(GENEROUS, "block_on(async block)", HANG_HINT, || {
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
