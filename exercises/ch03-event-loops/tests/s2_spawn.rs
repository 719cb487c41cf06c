// Tests for exercise `s2_spawn` (chapter 3, "Step 2: spawn, a run queue and join handles").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch03_exercises::s2_spawn::{JoinError, block_on, spawn};
use kit::poll::PollCount;
use kit::watchdog::within;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;
use std::time::Duration;

/// A correct executor finishes each test in milliseconds; a hang is
/// reported after this long, not after the 10 s CI default.
const DEADLINE: Duration = Duration::from_secs(3);

const HANG_HINT: &str = "the loop is asleep and nothing wakes it: does a task's waker push the \
                         task back on the run queue *and* unpark the loop thread? Does the loop \
                         keep running while tasks are pending (not only while the queue is full)?";

/// Pending once after waking itself, then ready: what `yield_now` does.
fn yield_now() -> kit::poll::ReadyAfter<()> {
    kit::poll::ready_after(1, ())
}

/// Pending until `released`; leaves its waker in `parked_waker` each time
/// it is polled before that. On the first poll it can also send its waker
/// to a helper thread.
struct WaitForRelease {
    released: Arc<AtomicBool>,
    parked_waker: Arc<Mutex<Option<Waker>>>,
    send_waker_to: Option<mpsc::Sender<Waker>>,
}

impl Future for WaitForRelease {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.released.load(Ordering::SeqCst) {
            return Poll::Ready(());
        }
        if let Some(sender) = self.send_waker_to.take() {
            sender.send(cx.waker().clone()).unwrap();
        }
        *self.parked_waker.lock().unwrap() = Some(cx.waker().clone());
        Poll::Pending
    }
}

/// Runs `block_on(future)` under the watchdog; a panic that escapes
/// `block_on` (other than `todo!()`) fails with `escaped`.
fn run<T: Send + 'static>(what: &str, future: impl Future<Output = T> + Send + 'static) -> T {
    within(DEADLINE, what, HANG_HINT, move || block_on(future))
}

#[test]
fn spawned_tasks_run_and_their_handles_return_the_output() {
    let total = run("ten spawned tasks", async {
        let handles: Vec<_> = (0..10u64).map(|i| spawn(async move { i * i })).collect();
        let mut total = 0;
        for handle in handles {
            total += handle.await.expect("no task panics here");
        }
        total
    });
    assert_eq!(
        total, 285,
        "awaiting each JoinHandle must give that task's output (0² + 1² + ... + 9² = 285)"
    );
}

#[test]
fn tasks_run_in_the_order_they_were_woken() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let task_log = Arc::clone(&log);
    run("two tasks that yield", async move {
        let worker = |name: &'static str, log: Arc<Mutex<Vec<String>>>| async move {
            for round in 0..3 {
                log.lock().unwrap().push(format!("{name}{round}"));
                yield_now().await;
            }
        };
        let a = spawn(worker("a", Arc::clone(&task_log)));
        let b = spawn(worker("b", Arc::clone(&task_log)));
        a.await.unwrap();
        b.await.unwrap();
    });
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        ["a0", "b0", "a1", "b1", "a2", "b2"],
        "the run queue is first in, first out: tasks start in spawn order and a task that yields \
         goes to the back of the queue. Got {log:?}: do you pop from the wrong end?"
    );
}

#[test]
fn a_task_that_was_not_woken_is_not_polled_again() {
    let released = Arc::new(AtomicBool::new(false));
    let (waker_tx, waker_rx) = mpsc::channel::<Waker>();
    let (busy_done_tx, busy_done_rx) = mpsc::channel::<()>();
    let (waiting, waiting_polls) = PollCount::new(WaitForRelease {
        released: Arc::clone(&released),
        parked_waker: Arc::default(),
        send_waker_to: Some(waker_tx),
    });
    // The helper wakes the waiting task from another thread once the busy
    // task has finished: by then the loop may well be asleep.
    let helper_released = Arc::clone(&released);
    let helper = thread::spawn(move || {
        let waker = waker_rx.recv().unwrap();
        busy_done_rx.recv().unwrap();
        helper_released.store(true, Ordering::SeqCst);
        waker.wake();
    });
    run("a waiting task and a busy task", async move {
        let waiting = spawn(waiting);
        let busy = spawn(async move {
            for _ in 0..10 {
                yield_now().await;
            }
            busy_done_tx.send(()).unwrap();
        });
        busy.await.unwrap();
        waiting.await.unwrap();
    });
    helper.join().unwrap();
    let polls = waiting_polls.load(Ordering::SeqCst);
    assert_eq!(
        polls, 2,
        "the waiting task was woken once, so it should be polled twice (first poll + one per \
         wake-up); it was polled {polls} times while another task yielded 10 times. The loop \
         must poll only the tasks in the run queue, not every task it knows"
    );
}

#[test]
fn a_task_woken_twice_before_its_poll_is_queued_once() {
    let released = Arc::new(AtomicBool::new(false));
    let parked_waker: Arc<Mutex<Option<Waker>>> = Arc::default();
    let task_released = Arc::clone(&released);
    let task_parked = Arc::clone(&parked_waker);
    let (task, polls) = PollCount::new(async move {
        // Two wake-ups during one poll...
        futures::future::poll_fn(|cx| {
            cx.waker().wake_by_ref();
            cx.waker().wake_by_ref();
            Poll::Ready(())
        })
        .await;
        yield_once_without_waking().await;
        // ...then wait for the main future to release us.
        WaitForRelease {
            released: task_released,
            parked_waker: task_parked,
            send_waker_to: None,
        }
        .await;
    });
    run("a task woken twice", async move {
        let handle = spawn(task);
        // Give the task time to take its turns, then release it.
        while parked_waker.lock().unwrap().is_none() {
            yield_now().await;
        }
        for _ in 0..3 {
            yield_now().await;
        }
        released.store(true, Ordering::SeqCst);
        let waker = parked_waker.lock().unwrap().take().unwrap();
        waker.wake();
        handle.await.unwrap();
    });
    let polls = polls.load(Ordering::SeqCst);
    assert_eq!(
        polls, 3,
        "the task was woken twice during its first poll, then once more: it should be polled 3 \
         times, got {polls}. A task already in the run queue must not be queued again (keep a \
         `scheduled` flag), or every extra wake-up costs an extra poll"
    );
}

/// Returns Pending once after the caller woke itself; does not wake again.
async fn yield_once_without_waking() {
    let mut first = true;
    futures::future::poll_fn(move |_cx| {
        if first {
            first = false;
            Poll::Pending
        } else {
            Poll::Ready(())
        }
    })
    .await
}

#[test]
fn awaiting_a_join_handle_sleeps_until_the_task_finishes() {
    let released = Arc::new(AtomicBool::new(false));
    let (waker_tx, waker_rx) = mpsc::channel::<Waker>();
    let helper_released = Arc::clone(&released);
    let helper = thread::spawn(move || {
        let waker = waker_rx.recv().unwrap();
        helper_released.store(true, Ordering::SeqCst);
        waker.wake();
    });
    let task = WaitForRelease {
        released,
        parked_waker: Arc::default(),
        send_waker_to: Some(waker_tx),
    };
    let (main, main_polls) = PollCount::new(async move { spawn(task).await });
    let result = run("main awaiting a join handle", main);
    helper.join().unwrap();
    assert_eq!(result, Ok(()));
    let polls = main_polls.load(Ordering::SeqCst);
    assert!(
        polls <= 2,
        "the main future awaited one JoinHandle and was polled {polls} times: the handle should \
         store the awaiting waker and be woken once, when the task finishes, not wake itself \
         on every poll"
    );
}

#[test]
fn a_panicking_task_is_reported_and_the_others_keep_running() {
    let outcome = std::panic::catch_unwind(|| {
        run("a panicking task", async {
            let bad = spawn(async {
                yield_now().await;
                panic!("boom in a task");
            });
            let good = spawn(async {
                yield_now().await;
                yield_now().await;
                7
            });
            (bad.await, good.await)
        })
    });
    let (bad, good) = match outcome {
        Ok(results) => results,
        Err(payload) => {
            let text = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            // `todo!()`, or the watchdog reporting a hang: pass those on as
            // they are, they are not about `catch_unwind`.
            if text.contains("not yet implemented") || text.starts_with("deadlock suspected") {
                std::panic::resume_unwind(payload);
            }
            panic!(
                "a panic in a spawned task escaped block_on ({text:?}) and took the whole loop \
                 down: catch it around the task (`catch_unwind`) and hand it to the JoinHandle \
                 as JoinError::Panicked"
            );
        }
    };
    match bad {
        Err(JoinError::Panicked(message)) => assert!(
            message.contains("boom in a task"),
            "JoinError::Panicked should carry the panic's message, got {message:?}"
        ),
        Ok(()) => panic!("the panicking task's handle returned Ok"),
    }
    assert_eq!(
        good,
        Ok(7),
        "the other task must finish normally after its neighbour panicked"
    );
}

#[test]
fn a_task_that_wakes_itself_during_its_poll_is_polled_again() {
    let hint = "a task that woke itself during its own poll (what `yield_now` does) was never \
                polled again: its wake-up came while `scheduled` was still true, so it was not \
                queued. Clear `scheduled` *before* polling the task, not after";
    let (task, polls) = PollCount::new(yield_now());
    within(DEADLINE, "one task that yields once", hint, move || {
        block_on(async move { spawn(task).await.unwrap() })
    });
    let polls = polls.load(Ordering::SeqCst);
    assert_eq!(
        polls, 2,
        "a task that yields once needs 2 polls, got {polls}"
    );
}

#[test]
fn a_task_woken_during_a_round_waits_for_the_next_round() {
    let log = Arc::new(Mutex::new(Vec::new()));
    let main_log = Arc::clone(&log);
    run("the main future and a task, both yielding", async move {
        let task_log = Arc::clone(&main_log);
        let task = spawn(async move {
            for _ in 0..4 {
                task_log.lock().unwrap().push("task");
                yield_now().await;
            }
        });
        for _ in 0..4 {
            main_log.lock().unwrap().push("main");
            yield_now().await;
        }
        task.await.unwrap();
    });
    let log = log.lock().unwrap().clone();
    assert_eq!(
        log,
        [
            "main", "task", "main", "task", "main", "task", "main", "task"
        ],
        "who ran, in order, while the main future and one task each yielded 4 times: a task \
         that yields is woken *during* the round that polled it, and must wait for the next \
         round. Count the queue when the round begins and poll that many; draining the queue \
         until it is empty lets one task that keeps yielding starve the main future"
    );
}

/// Forwards to `inner`, and says so on a channel after its first poll.
struct TellAfterFirstPoll<F> {
    inner: F,
    tell: Option<mpsc::Sender<()>>,
}

impl<F: Future + Unpin> Future for TellAfterFirstPoll<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let result = Pin::new(&mut self.inner).poll(cx);
        if let Some(tell) = self.tell.take() {
            tell.send(()).unwrap();
        }
        result
    }
}

#[test]
fn a_join_handle_moved_to_another_task_wakes_the_new_one() {
    let released = Arc::new(AtomicBool::new(false));
    let (waker_tx, waker_rx) = mpsc::channel::<Waker>();
    let (main_polled_tx, main_polled_rx) = mpsc::channel::<()>();
    // Finishes the target task only once the main future has polled the
    // handle, so the handle's last waker is the main future's.
    let helper_released = Arc::clone(&released);
    let helper = thread::spawn(move || {
        let target_waker = waker_rx.recv().unwrap();
        main_polled_rx.recv().unwrap();
        helper_released.store(true, Ordering::SeqCst);
        target_waker.wake();
    });
    let target = WaitForRelease {
        released,
        parked_waker: Arc::default(),
        send_waker_to: Some(waker_tx),
    };
    let hint = "the main future awaited a JoinHandle that another task had polled first, and \
                was never woken: the handle woke the waker of its first poll (a task that had \
                moved on). Store the waker of *every* poll; the last one is who waits now";
    let result = within(
        DEADLINE,
        "a join handle that changed tasks",
        hint,
        move || {
            block_on(async move {
                let handle = spawn(target);
                // Another task polls the handle once, then gives it back
                // (returning it unawaited is the point here).
                #[allow(clippy::async_yields_async)]
                let first_owner = spawn(async move {
                    let mut handle = handle;
                    let early = futures::poll!(&mut handle);
                    assert!(
                        early.is_pending(),
                        "the target task cannot have finished yet"
                    );
                    handle
                });
                let handle = first_owner.await.unwrap();
                TellAfterFirstPoll {
                    inner: handle,
                    tell: Some(main_polled_tx),
                }
                .await
            })
        },
    );
    helper.join().unwrap();
    assert_eq!(result, Ok(()), "the target task's output comes back");
}
