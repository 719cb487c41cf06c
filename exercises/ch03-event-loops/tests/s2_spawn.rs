// Tests for exercise `s2_spawn` (chapter 3, "Step 2: spawn, a run queue and join handles").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch03_exercises::s2_spawn::{JoinError, block_on, spawn};
use kit::poll::PollCount;
use kit::watchdog::{GENEROUS, within};
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll, Waker};
use std::thread;

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
    within(GENEROUS, what, HANG_HINT, move || block_on(future))
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
            if text.contains("not yet implemented") {
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
