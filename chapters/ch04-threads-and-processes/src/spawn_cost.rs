//! What it costs to start a unit of concurrency and wait for it to end.
//!
//! Each function creates one unit that does nothing and waits for it, so
//! the time measured is pure bookkeeping: for a thread, a kernel task with
//! its own stack; for a process, a new address space, `exec` of a program
//! and its exit; for a tokio task, one heap allocation and a queue push.

use std::process::Command;
use std::time::Duration;

use kit::measure::median_of;

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
/// before the next spawn (one at a time, like the other two).
pub fn task_round_trips(runtime: &tokio::runtime::Runtime, count: u32) {
    runtime.block_on(async {
        for _ in 0..count {
            tokio::spawn(async {}).await.expect("empty task");
        }
    });
}
// ANCHOR_END: units

/// Median time of one round trip of each kind, over `samples` runs.
#[derive(Debug, Clone, Copy)]
pub struct SpawnCosts {
    pub task: Duration,
    pub thread: Duration,
    pub process: Duration,
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
    // resolution, so time 100 and divide.
    let task_batch = 100;
    let task = median_of(samples, || task_round_trips(&runtime, task_batch)) / task_batch;
    let thread = median_of(samples, thread_round_trip);
    let process = median_of(process_samples, process_round_trip);
    SpawnCosts {
        task,
        thread,
        process,
    }
}

/// Rules of thumb the table compares against: a task costs about a
/// microsecond, a thread a few tens, a process around a millisecond.
pub fn rule_of_thumb() -> SpawnCosts {
    SpawnCosts {
        task: Duration::from_micros(2),
        thread: Duration::from_micros(20),
        process: Duration::from_micros(700),
    }
}
