//! Demo `cpu_bound`: async does not make CPU work faster; cores do.
//!
//! The same CPU-bound jobs run four ways: one after another; as tokio tasks
//! on one thread; as tokio tasks on a multi-thread runtime; and on scoped
//! threads. Tasks on one thread take as long as the sequential loop: a task
//! that never awaits never lets another one run, and there is only one core's
//! worth of work being done at any time.

use crate::time_model;
use kit::table::Table;
use std::time::{Duration, Instant};

// ANCHOR: current_thread
/// CPU jobs as tasks on a current-thread runtime: concurrent, not parallel.
pub fn tasks_on_one_thread(jobs: usize, rounds: u64) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("build a tokio runtime");
    spawn_and_wait(&runtime, jobs, rounds)
}
// ANCHOR_END: current_thread

/// CPU jobs as tasks on a multi-thread runtime with one worker per core.
pub fn tasks_on_all_cores(jobs: usize, rounds: u64, cores: usize) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(cores)
        .build()
        .expect("build a tokio runtime");
    spawn_and_wait(&runtime, jobs, rounds)
}

// ANCHOR: spawn_and_wait
/// Spawns `jobs` tasks that each compute and never await, then waits for all.
fn spawn_and_wait(runtime: &tokio::runtime::Runtime, jobs: usize, rounds: u64) -> Duration {
    runtime.block_on(async {
        let start = Instant::now();
        let handles: Vec<_> = (0..jobs)
            .map(|_| tokio::spawn(async move { crate::spin(rounds) }))
            .collect();
        for handle in handles {
            handle.await.expect("a job panicked");
        }
        start.elapsed()
    })
}
// ANCHOR_END: spawn_and_wait

/// CPU jobs one after another on this thread.
pub fn sequential(jobs: usize, rounds: u64) -> Duration {
    let start = Instant::now();
    for _ in 0..jobs {
        crate::spin(rounds);
    }
    start.elapsed()
}

/// CPU jobs on at most `cores` scoped threads, jobs dealt round-robin.
pub fn on_threads(jobs: usize, rounds: u64, cores: usize) -> Duration {
    let start = Instant::now();
    std::thread::scope(|scope| {
        for worker in 0..cores.min(jobs) {
            let my_jobs = (worker..jobs).step_by(cores).count();
            scope.spawn(move || (0..my_jobs).map(|_| crate::spin(rounds)).sum::<u64>());
        }
    });
    start.elapsed()
}

/// Runs the four strategies and returns the comparison table.
pub fn compare(jobs: usize, job_time: Duration, cores: usize) -> Table {
    let rounds = crate::rounds_for(job_time);
    // Predict from a measured job, not the requested one: calibration is rough.
    let one_job = kit::measure::median_of(3, || {
        crate::spin(rounds);
    });
    let work = vec![one_job; jobs];
    let serial = time_model::sequential(&work);
    let parallel = time_model::parallel_cpu(&work, cores);
    let mut table = Table::comparison(&format!("{jobs} CPU jobs of {one_job:.0?}"));
    table.compare("sequential", sequential(jobs, rounds), serial);
    table.compare(
        "tokio tasks, 1 thread",
        tasks_on_one_thread(jobs, rounds),
        serial,
    );
    table.compare(
        &format!("tokio tasks, {cores} threads"),
        tasks_on_all_cores(jobs, rounds, cores),
        parallel,
    );
    table.compare(
        &format!("{cores} OS threads"),
        on_threads(jobs, rounds, cores),
        parallel,
    );
    table
}
