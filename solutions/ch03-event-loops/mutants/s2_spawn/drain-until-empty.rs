// wrong: a round must poll only the tasks queued when it started: draining the queue until it is empty lets a task that keeps yielding starve the main future and everyone else.
//! # Exercise `s2_spawn`: an executor with `spawn`, a run queue and join handles
//!
//! Grow step 1 into an executor. `spawn` boxes a future into a task; a
//! task's waker puts the task back on a run queue; the loop polls only what
//! is in the queue, and sleeps when it is empty. `spawn` returns a
//! `JoinHandle`, a future of the task's output, or of the panic that ended it.
//!
//! Book: chapter 3, "Step 2: spawn, a run queue and join handles". Check: `cargo workbook check s2_spawn`.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use futures::FutureExt;

/// A spawned future, boxed so that tasks of different types share one queue.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: shared
/// What the loop and every waker share.
struct Shared {
    /// Tasks that were woken and wait for their next poll, oldest first.
    run_queue: Mutex<VecDeque<Arc<Task>>>,
    /// The thread running `block_on`, unparked when work arrives.
    loop_thread: Thread,
}

impl Shared {
    /// Queues `task` and wakes the loop in case it sleeps.
    fn schedule(&self, task: Arc<Task>) {
        self.run_queue.lock().unwrap().push_back(task);
        self.loop_thread.unpark();
    }

    /// Polls the tasks that are ready now, in the order they were woken.
    ///
    /// Tasks woken during this round wait for the next one, so a task that
    /// keeps yielding cannot starve the main future or the other tasks.
    fn run_ready_tasks(&self) {
        // Keep going until there is nothing left to do.
        loop {
            let Some(task) = self.run_queue.lock().unwrap().pop_front() else {
                break;
            };
            task.run();
        }
    }

    fn has_ready_tasks(&self) -> bool {
        !self.run_queue.lock().unwrap().is_empty()
    }

    /// Drops the tasks still queued when `block_on` returns. Taken out of the
    /// lock first: dropping a future may wake another task, which locks the
    /// queue again.
    fn shutdown(&self) {
        let leftovers = std::mem::take(&mut *self.run_queue.lock().unwrap());
        drop(leftovers);
    }
}
// ANCHOR_END: shared

// ANCHOR: task
/// A spawned future and what its waker needs to queue it again.
struct Task {
    /// `None` once the future has completed.
    future: Mutex<Option<BoxFuture>>,
    /// True while the task sits in the run queue: a second wake-up before
    /// the poll must not queue it twice.
    scheduled: AtomicBool,
    shared: Arc<Shared>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        if !self.scheduled.swap(true, Ordering::SeqCst) {
            let shared = Arc::clone(&self.shared);
            shared.schedule(self);
        }
    }
}

impl Task {
    /// Polls the task once, with a waker that queues this very task.
    fn run(self: Arc<Self>) {
        self.scheduled.store(false, Ordering::SeqCst);
        let waker = Waker::from(Arc::clone(&self));
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            *slot = None;
        }
    }
}
// ANCHOR_END: task

// ANCHOR: join_handle
/// Why a task ended without an output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JoinError {
    /// The task panicked; the panic's message.
    Panicked(String),
}

impl fmt::Display for JoinError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JoinError::Panicked(message) => write!(f, "task panicked: {message}"),
        }
    }
}

impl std::error::Error for JoinError {}

/// The slot a task writes its result into, and who waits for it.
struct JoinState<T> {
    result: Option<Result<T, JoinError>>,
    /// The waker of whoever awaits the handle, woken when `result` is set.
    waiter: Option<Waker>,
}

/// Awaits a spawned task's output. Dropping it detaches the task, which
/// keeps running.
pub struct JoinHandle<T> {
    state: Arc<Mutex<JoinState<T>>>,
}

impl<T> Future for JoinHandle<T> {
    type Output = Result<T, JoinError>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let mut state = self.state.lock().unwrap();
        match state.result.take() {
            Some(result) => Poll::Ready(result),
            None => {
                state.waiter = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}

/// Stores the task's result and wakes whoever awaits the handle.
fn finish<T>(state: &Mutex<JoinState<T>>, result: Result<T, JoinError>) {
    let waiter = {
        let mut state = state.lock().unwrap();
        state.result = Some(result);
        state.waiter.take()
    };
    if let Some(waiter) = waiter {
        waiter.wake();
    }
}
// ANCHOR_END: join_handle

// ANCHOR: spawn
/// Starts `future` as a task on the running `block_on` loop.
///
/// # Panics
/// Outside `block_on`: "spawn called outside block_on".
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let shared = current("spawn");
    let state = Arc::new(Mutex::new(JoinState::<F::Output> {
        result: None,
        waiter: None,
    }));
    let task_state = Arc::clone(&state);
    let task_future = async move {
        let result = AssertUnwindSafe(future)
            .catch_unwind()
            .await
            .map_err(|payload| JoinError::Panicked(panic_message(payload.as_ref())));
        finish(&task_state, result);
    };
    let task = Arc::new(Task {
        future: Mutex::new(Some(Box::pin(task_future))),
        scheduled: AtomicBool::new(true),
        shared: Arc::clone(&shared),
    });
    shared.schedule(task);
    JoinHandle { state }
}
// ANCHOR_END: spawn

/// The text of a panic payload (`panic!` gives a `&str` or a `String`).
fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a panic with a non-text payload)".to_string()
    }
}

// ANCHOR: block_on
/// The main future's waker: like step 1's, a flag and an unpark.
struct MainWaker {
    woken: AtomicBool,
    loop_thread: Thread,
}

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.loop_thread.unpark();
    }
}

/// Runs `future` and every task it spawns on this thread until `future`
/// completes. Tasks still unfinished then are dropped.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let shared = Arc::new(Shared {
        run_queue: Mutex::new(VecDeque::new()),
        loop_thread: thread::current(),
    });
    let _entered = enter(Arc::clone(&shared));
    let main_waker = Arc::new(MainWaker {
        woken: AtomicBool::new(true), // poll the main future once to start
        loop_thread: thread::current(),
    });
    let waker = Waker::from(Arc::clone(&main_waker));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    let output = loop {
        if main_waker.woken.swap(false, Ordering::SeqCst)
            && let Poll::Ready(output) = future.as_mut().poll(&mut cx)
        {
            break output;
        }
        shared.run_ready_tasks();
        let idle = !main_waker.woken.load(Ordering::SeqCst) && !shared.has_ready_tasks();
        if idle {
            thread::park();
        }
    };
    shared.shutdown();
    output
}
// ANCHOR_END: block_on

// ANCHOR: current
thread_local! {
    /// The loop running on this thread, so that `spawn` can find it the way
    /// `tokio::spawn` finds its runtime.
    static CURRENT: RefCell<Option<Arc<Shared>>> = const { RefCell::new(None) };
}

/// Clears `CURRENT` when `block_on` returns (or unwinds).
struct Entered;

impl Drop for Entered {
    fn drop(&mut self) {
        CURRENT.with(|current| current.borrow_mut().take());
    }
}

fn enter(shared: Arc<Shared>) -> Entered {
    CURRENT.with(|current| *current.borrow_mut() = Some(shared));
    Entered
}

fn current(what: &str) -> Arc<Shared> {
    CURRENT
        .with(|current| current.borrow().clone())
        .unwrap_or_else(|| panic!("{what} called outside block_on"))
}
// ANCHOR_END: current
