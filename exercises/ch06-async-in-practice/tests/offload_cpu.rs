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
         time: spawn them all with spawn_blocking before awaiting any. Awaiting each right \
         after spawning it runs them one after another, and so does a lazy iterator: \
         `jobs.into_iter().map(spawn_blocking)` spawns nothing until the loop pulls the next \
         handle, so without `.collect::<Vec<_>>()` first each job starts only when the one \
         before it has been awaited.",
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

#[test]
fn the_event_loop_keeps_running_while_a_batch_works() {
    let results = within(
        GENEROUS,
        "three blocking jobs, each waiting for a message from a task on the event loop",
        "The jobs ran, but the event loop was not free to run the task that releases them: \
         `std::thread::spawn` plus `join()` (or `block_on`, or any blocking wait) holds the \
         loop's thread until the jobs end. Await spawn_blocking's JoinHandles instead: an \
         `.await` gives the thread back to the loop while the jobs work.",
        || {
            let barrier = Arc::new(Barrier::new(3));
            let mut releases = Vec::new();
            let jobs: Vec<_> = [7u64, 3, 9]
                .into_iter()
                .map(|n| {
                    let (release, released) = mpsc::channel::<u64>();
                    releases.push(release);
                    let barrier = Arc::clone(&barrier);
                    move || {
                        // All three run at once, then each waits for the loop.
                        barrier.wait();
                        n * 10 + released.recv().expect("the releasing task runs")
                    }
                })
                .collect();
            // A task on the event loop, beside the batch: it can only run if
            // the loop's thread is free while the jobs work.
            let heartbeat = async move {
                for (bonus, release) in releases.into_iter().enumerate() {
                    tokio::task::yield_now().await;
                    release
                        .send(bonus as u64)
                        .expect("the job is still waiting");
                }
            };
            on_one_thread(async move {
                let (results, ()) = tokio::join!(run_cpu_jobs(jobs), heartbeat);
                results
            })
        },
    );
    assert_eq!(
        results,
        vec![70, 31, 92],
        "results must come back in the order of the jobs (7, 3, 9), each with its own release"
    );
}

#[test]
fn an_empty_batch_gives_no_results() {
    let results: Vec<u64> = within(
        GENEROUS,
        "an empty batch of jobs",
        "No job means nothing to wait for: the batch should return an empty Vec at once.",
        || on_one_thread(run_cpu_jobs(Vec::<fn() -> u64>::new())),
    );
    assert!(
        results.is_empty(),
        "no jobs in, no results out; got {results:?}"
    );
}
