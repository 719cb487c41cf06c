//! # Exercise `s3_timers`: a timer heap, `sleep`, and a loop that sleeps until the next deadline
//!
//! Add timers to step 2's executor: `sleep` registers a deadline and a waker
//! in a min-heap; the loop wakes the timers that are due and, when nothing is
//! ready, blocks only until the earliest deadline. Time comes from a `Clock`
//! you can swap for a virtual one, so the tests run on exact virtual time.
//!
//! Book: chapter 3, "Step 3: timers". Check: `cargo workbook check s3_timers`.

use std::cell::RefCell;
use std::cmp::{Ordering as CmpOrdering, Reverse};
use std::collections::{BinaryHeap, VecDeque};
use std::fmt;
use std::panic::AssertUnwindSafe;
use std::pin::{Pin, pin};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};
use std::time::{Duration, Instant};

use futures::FutureExt;

/// A spawned future, boxed so that tasks of different types share one queue.
type BoxFuture = Pin<Box<dyn Future<Output = ()> + Send>>;

// ANCHOR: clock
/// Where the loop gets the time from. Injected, so that tests can run the
/// loop on virtual time and check deadlines exactly.
pub trait Clock: Send + Sync {
    /// Time since the clock started.
    fn now(&self) -> Duration;

    /// The loop is idle until `deadline`: how long may it block? A real
    /// clock answers with the time left; a virtual clock jumps forward to
    /// the deadline and answers zero.
    fn wait_for(&self, deadline: Duration) -> Duration;
}

/// The machine's monotonic clock.
pub struct RealClock {
    start: Instant,
}

impl RealClock {
    pub fn new() -> Arc<Self> {
        Arc::new(RealClock {
            start: Instant::now(),
        })
    }
}

impl Clock for RealClock {
    fn now(&self) -> Duration {
        self.start.elapsed()
    }

    fn wait_for(&self, deadline: Duration) -> Duration {
        deadline.saturating_sub(self.now())
    }
}

/// A clock that only moves when the idle loop asks to wait, and then jumps
/// straight to the deadline (what tokio's paused clock does). It records
/// every deadline it was asked to wait for.
#[derive(Default)]
pub struct VirtualClock {
    now: Mutex<Duration>,
    waits: Mutex<Vec<Duration>>,
}

impl VirtualClock {
    pub fn new() -> Arc<Self> {
        Arc::new(VirtualClock::default())
    }

    /// The deadlines the loop waited for, in order.
    pub fn waits(&self) -> Vec<Duration> {
        self.waits.lock().unwrap().clone()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        *self.now.lock().unwrap()
    }

    fn wait_for(&self, deadline: Duration) -> Duration {
        self.waits.lock().unwrap().push(deadline);
        let mut now = self.now.lock().unwrap();
        *now = (*now).max(deadline);
        Duration::ZERO
    }
}
// ANCHOR_END: clock

// ANCHOR: timer
/// One pending `sleep`: wake `waker` at `deadline`.
struct Timer {
    deadline: Duration,
    /// Breaks ties between equal deadlines: first registered, first woken.
    seq: u64,
    waker: Waker,
}

// The heap orders timers by (deadline, seq); the waker plays no part.
impl Ord for Timer {
    fn cmp(&self, other: &Self) -> CmpOrdering {
        (self.deadline, self.seq).cmp(&(other.deadline, other.seq))
    }
}

impl PartialOrd for Timer {
    fn partial_cmp(&self, other: &Self) -> Option<CmpOrdering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Timer {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == CmpOrdering::Equal
    }
}

impl Eq for Timer {}
// ANCHOR_END: timer

// ANCHOR: shared
/// What the loop and every waker share.
struct Shared {
    /// Tasks that were woken and wait for their next poll, oldest first.
    run_queue: Mutex<VecDeque<Arc<Task>>>,
    /// The thread running `block_on`, unparked when work arrives.
    loop_thread: Thread,
    /// Pending sleeps. `BinaryHeap` pops the *largest* item; `Reverse`
    /// turns it into a min-heap, so `peek` is the earliest deadline.
    timers: Mutex<BinaryHeap<Reverse<Timer>>>,
    next_timer_seq: AtomicU64,
    clock: Arc<dyn Clock>,
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
        let ready_now = self.run_queue.lock().unwrap().len();
        for _ in 0..ready_now {
            let Some(task) = self.run_queue.lock().unwrap().pop_front() else {
                break;
            };
            task.run();
        }
    }

    fn has_ready_tasks(&self) -> bool {
        !self.run_queue.lock().unwrap().is_empty()
    }

    // ANCHOR: timers
    /// Registers a wake-up for `waker` at `deadline`.
    fn add_timer(&self, deadline: Duration, waker: Waker) {
        let seq = self.next_timer_seq.fetch_add(1, Ordering::SeqCst);
        let timer = Timer {
            deadline,
            seq,
            waker,
        };
        self.timers.lock().unwrap().push(Reverse(timer));
    }

    /// Wakes every timer whose deadline has passed, earliest first.
    fn fire_due_timers(&self) {
        let now = self.clock.now();
        let mut due = Vec::new();
        {
            let mut timers = self.timers.lock().unwrap();
            while let Some(Reverse(earliest)) = timers.peek() {
                if earliest.deadline > now {
                    break;
                }
                let Reverse(timer) = timers.pop().expect("peeked just now");
                due.push(timer.waker);
            }
        }
        // Woken outside the lock: a waker may run code that adds a timer.
        for waker in due {
            waker.wake();
        }
    }

    /// Nothing is ready: block until the next deadline, or until a waker
    /// unparks the thread, whichever comes first.
    fn park(&self) {
        let next_deadline = self.timers.lock().unwrap().peek().map(|t| t.0.deadline);
        let timeout = next_deadline.map(|deadline| self.clock.wait_for(deadline));
        match timeout {
            None => thread::park(),
            Some(timeout) if timeout.is_zero() => {}
            Some(timeout) => thread::park_timeout(timeout),
        }
    }
    // ANCHOR_END: timers

    /// Drops the tasks still queued when `block_on` returns. Taken out of the
    /// lock first: dropping a future may wake another task, which locks the
    /// queue again.
    fn shutdown(&self) {
        let leftovers = std::mem::take(&mut *self.run_queue.lock().unwrap());
        drop(leftovers);
        let timers = std::mem::take(&mut *self.timers.lock().unwrap());
        drop(timers);
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
        // Cleared *before* the poll: a wake-up that happens during the poll
        // (a task that yields) must put the task back in the queue.
        self.scheduled.store(false, Ordering::SeqCst);
        let waker = Waker::from(Arc::clone(&self));
        let mut cx = Context::from_waker(&waker);
        let mut slot = self.future.lock().unwrap();
        if let Some(future) = slot.as_mut()
            && future.as_mut().poll(&mut cx).is_ready()
        {
            // Drop the finished future now, not when the last waker goes.
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
                // Not finished: leave our waker for the task to call.
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
    // Woken outside the lock, so the waiter may poll at once.
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
    let state = Arc::new(Mutex::new(JoinState {
        result: None,
        waiter: None,
    }));
    let task_state = Arc::clone(&state);
    let task_future = async move {
        // A panic inside one poll unwinds to here instead of through the
        // loop: one broken task must not take the others down.
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
/// completes, on the machine's clock. Tasks still unfinished then are dropped.
pub fn block_on<F: Future>(future: F) -> F::Output {
    block_on_with_clock(RealClock::new(), future)
}

/// Like [`block_on`], with the time taken from `clock`.
pub fn block_on_with_clock<F: Future>(clock: Arc<dyn Clock>, future: F) -> F::Output {
    let shared = Arc::new(Shared {
        run_queue: Mutex::new(VecDeque::new()),
        loop_thread: thread::current(),
        timers: Mutex::new(BinaryHeap::new()),
        next_timer_seq: AtomicU64::new(0),
        clock,
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
        shared.fire_due_timers();
        shared.run_ready_tasks();
        let idle = !main_waker.woken.load(Ordering::SeqCst) && !shared.has_ready_tasks();
        if idle {
            // A wake-up between the check and `park` is not lost: `unpark`
            // before `park` makes `park` return at once.
            shared.park();
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

// ANCHOR: sleep
/// The loop's current time, on its clock.
///
/// # Panics
/// Outside `block_on`.
pub fn now() -> Duration {
    current("now").clock.now()
}

/// Completes once `duration` has passed on the loop's clock.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        duration,
        deadline: None,
        registered: None,
    }
}

/// The future returned by [`sleep`].
pub struct Sleep {
    duration: Duration,
    /// Set on the first poll: the clock starts when the sleep is awaited,
    /// not when it is created (futures are lazy).
    deadline: Option<Duration>,
    /// The waker of the timer registered last. A pending poll registers a
    /// timer again only when the waker changed (the sleep moved to another
    /// task); with the same waker the timer already in the heap will do.
    registered: Option<Waker>,
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let shared = current("sleep");
        let now = shared.clock.now();
        let duration = self.duration;
        let deadline = *self.deadline.get_or_insert(now + duration);
        // Being polled does not mean the time is up: the task may have been
        // woken for another reason. Only the clock decides.
        if now >= deadline {
            return Poll::Ready(());
        }
        // Register once per waker, not once per poll: a sleep polled often
        // (woken by a sibling in `join!`) would otherwise fill the heap with
        // copies. A stale copy left by an earlier waker only wakes its old
        // task once, spuriously, which the contract allows.
        let same_waker = self
            .registered
            .as_ref()
            .is_some_and(|registered| registered.will_wake(cx.waker()));
        if !same_waker {
            shared.add_timer(deadline, cx.waker().clone());
            self.registered = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}
// ANCHOR_END: sleep
