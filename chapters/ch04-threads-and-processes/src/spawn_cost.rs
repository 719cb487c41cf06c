//! What it costs to start a unit of concurrency and wait for it to end.
//!
//! Each function creates one unit that does nothing and waits for it, so
//! the time measured is pure bookkeeping: for a thread, a kernel task with
//! its own stack; for a process, `posix_spawn` (a `vfork`-style clone, no
//! copy of the page tables), `exec` of a program, its start-up and its
//! exit; for a tokio task, one heap allocation and two trips through the
//! runtime's run queue.

use std::process::Command;
use std::time::Duration;

use kit::measure::{median, median_of};

// ANCHOR: units
/// Starts an OS thread that does nothing and joins it.
pub fn thread_round_trip() {
    std::thread::spawn(|| {}).join().expect("empty thread");
}

/// Starts a child process (`true`, which exits at once) and waits for it.
pub fn process_round_trip() {
    let status = Command::new("true").status().expect("run `true`");
    assert!(status.success());
}

/// Spawns `count` tokio tasks that do nothing, awaiting each `JoinHandle`
/// before the next spawn (one at a time, like the other two). The loop
/// runs in a task of its own, so both sides are ordinary tasks.
pub fn task_round_trips(runtime: &tokio::runtime::Runtime, count: u32) {
    runtime.block_on(async {
        tokio::spawn(async move {
            for _ in 0..count {
                tokio::spawn(async {}).await.expect("empty task");
            }
        })
        .await
        .expect("spawning task");
    });
}
// ANCHOR_END: units

/// Median time of one round trip of each kind, over `samples` runs, and
/// of the two parts the task model is built from.
#[derive(Debug, Clone, Copy)]
pub struct SpawnCosts {
    pub task: Duration,
    pub thread: Duration,
    pub process: Duration,
    /// A oneshot channel made, sent on and received from (one task).
    pub task_cell: Duration,
    /// One trip through the run queue (a task that wakes itself).
    pub run_queue_trip: Duration,
    /// Two `Mutex` lock/unlock pairs and eight atomic read-modify-writes.
    pub task_bookkeeping: Duration,
}

/// Measures all three; `process_samples` is separate because processes
/// are slow enough that fewer samples keep the demo short.
pub fn measure(samples: usize, process_samples: usize) -> SpawnCosts {
    // A current-thread runtime: the task runs on this thread, so the
    // figure is the task's own cost, not a wake-up of another thread.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    // A batch of tasks per sample: one task alone is below the timer's
    // resolution, so time 100 and divide. The model's parts are timed in
    // the same loop, right after each batch, so that a burst of load from
    // other programs hits the measurement and its model alike.
    let batch = 100;
    let (mut tasks, mut allocs, mut trips, mut books) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..samples.max(1) {
        let (_, time) = kit::measure::timed(|| task_round_trips(&runtime, batch));
        tasks.push(time / batch);
        allocs.push(task_cell_alloc(batch));
        trips.push(yield_round_trip(&runtime, batch));
        books.push(task_bookkeeping(batch));
    }
    let thread = median_of(samples, thread_round_trip);
    let process = median_of(process_samples, process_round_trip);
    SpawnCosts {
        task: median(tasks),
        thread,
        process,
        task_cell: median(allocs),
        run_queue_trip: median(trips),
        task_bookkeeping: median(books),
    }
}

// ANCHOR: task_model
/// A future that wakes its own task and returns `Pending` once, then is
/// ready: one trip through the run queue, nothing else.
struct WakeSelfOnce(bool);

impl Future for WakeSelfOnce {
    type Output = ();
    fn poll(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<()> {
        if self.0 {
            return std::task::Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        std::task::Poll::Pending
    }
}

/// One trip through a current-thread runtime's run queue: a spawned task
/// wakes itself, is pushed on the queue, popped and polled again. Timed
/// over `count` trips and divided. (Not `yield_now`: tokio defers that
/// wake-up until it has checked its drivers, which costs more.)
pub fn yield_round_trip(runtime: &tokio::runtime::Runtime, count: u32) -> Duration {
    runtime.block_on(async {
        tokio::spawn(async move {
            let start = std::time::Instant::now();
            for _ in 0..count {
                WakeSelfOnce(false).await;
            }
            start.elapsed() / count.max(1)
        })
        .await
        .expect("timing task")
    })
}

/// A `tokio::sync::oneshot` made, sent on and received from by one task:
/// a heap-allocated cell that carries one value from one side to the
/// other, which is what a task's cell does for its output and its
/// `JoinHandle` (allocate, store the output, flip the state, read it out,
/// free).
pub fn task_cell_alloc(count: u32) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let start = std::time::Instant::now();
        for round in 0..count {
            let (sender, receiver) = tokio::sync::oneshot::channel::<u32>();
            sender.send(round).expect("receiver alive");
            std::hint::black_box(receiver.await.expect("sent"));
        }
        start.elapsed() / count.max(1)
    })
}

/// The task's bookkeeping: the runtime's list of live tasks is locked
/// twice (insert at spawn, remove at completion), and the task's state
/// word goes through about eight atomic read-modify-writes (scheduled,
/// running, complete, the join waker set and woken, references dropped).
/// Timed as 2 uncontended `Mutex` lock/unlock pairs and 8 `fetch_add`s.
pub fn task_bookkeeping(count: u32) -> Duration {
    let list = std::sync::Mutex::new(0u64);
    let state = std::sync::atomic::AtomicU64::new(0);
    let (_, time) = kit::measure::timed(|| {
        for _ in 0..count {
            for _ in 0..2 {
                *std::hint::black_box(&list).lock().expect("unpoisoned") += 1;
            }
            for _ in 0..8 {
                std::hint::black_box(&state).fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            }
        }
    });
    time / count.max(1)
}

/// The model of `spawn(async {}).await` on a current-thread runtime, built
/// from parts timed on their own: allocate the task's cell, do its
/// bookkeeping, and make two trips through the run queue: the new task is
/// queued and polled (it finishes at once), and its completion wakes the
/// loop awaiting the `JoinHandle`, which is queued and polled again.
pub fn task_model(alloc: Duration, bookkeeping: Duration, round_trip: Duration) -> Duration {
    alloc + bookkeeping + 2 * round_trip
}
// ANCHOR_END: task_model

/// What the table compares against: for the task, [`task_model`] from its
/// measured parts; for a thread (tens of microseconds: a 2 MiB stack
/// mapped with a guard page, a `clone`, a futex wake on exit) and a
/// process (`exec` and start-up, around a millisecond), rules of thumb.
pub fn predictions(measured: &SpawnCosts) -> SpawnCosts {
    SpawnCosts {
        task: task_model(
            measured.task_cell,
            measured.task_bookkeeping,
            measured.run_queue_trip,
        ),
        thread: Duration::from_micros(20),
        process: Duration::from_micros(700),
        ..*measured
    }
}
