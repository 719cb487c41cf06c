// Tests for exercise `offload_cpu` (chapter 6, "Blocking and CPU work: spawn_blocking").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// No clock here: each "CPU job" blocks its thread until something else
// happens (a message from the event loop, or the other jobs reaching a
// barrier). Run on the event loop's own thread, such a job can never be
// released, and the watchdog reports "deadlock suspected" instead of hanging.

use ch06_exercises::offload_cpu::{run_cpu_job, run_cpu_jobs};
use kit::watchdog::{GENEROUS, within};
use std::sync::{Arc, Barrier, mpsc};

/// Runs `work` on a fresh current-thread runtime: one thread for all tasks,
/// like asyncio's loop, so a task that blocks it blocks everything.
fn on_one_thread<T>(work: impl Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("build a runtime")
        .block_on(work)
}

#[test]
fn the_event_loop_keeps_running_while_a_cpu_job_works() {
    let value = within(
        GENEROUS,
        "a blocking job waiting for a message from another task",
        "The job ran on the event loop's thread, so the task that would release it never ran: \
         hand the job to tokio::task::spawn_blocking (tokio::spawn is not enough, it runs the \
         job on the same loop).",
        || {
            let (release, released) = mpsc::channel::<()>();
            // Stands for a long computation: it holds its thread until released.
            let job = move || {
                released.recv().expect("the releasing task runs");
                42
            };
            let heartbeat = async move {
                tokio::task::yield_now().await;
                release.send(()).expect("the job is still waiting");
            };
            on_one_thread(async move {
                let (value, ()) = tokio::join!(run_cpu_job(job), heartbeat);
                value
            })
        },
    );
    assert_eq!(value, 42, "run_cpu_job returns the job's result");
}

#[test]
fn cpu_jobs_run_at_the_same_time_and_keep_their_order() {
    let results = within(
        GENEROUS,
        "three blocking jobs that wait for each other at a barrier",
        "The three jobs meet at a barrier, so they finish only if all three run at the same \
         time: spawn them all with spawn_blocking before awaiting any (awaiting each right \
         after spawning it runs them one after another).",
        || {
            let barrier = Arc::new(Barrier::new(3));
            let jobs: Vec<_> = (1..=3u64)
                .map(|n| {
                    let barrier = Arc::clone(&barrier);
                    move || {
                        barrier.wait();
                        n * 10
                    }
                })
                .collect();
            on_one_thread(run_cpu_jobs(jobs))
        },
    );
    assert_eq!(
        results,
        vec![10, 20, 30],
        "results must come back in the order of the jobs"
    );
}
