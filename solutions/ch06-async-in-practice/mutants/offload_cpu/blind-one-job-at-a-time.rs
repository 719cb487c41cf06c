// wrong: the jobs must all be started before any is awaited: awaiting each spawn_blocking in turn runs them one after another.
//! # Exercise `offload_cpu`: CPU work off the event loop with `spawn_blocking`
//!
//! A task that computes for a long time (or calls a blocking API) holds its
//! worker thread, and on a current-thread runtime that stops every other
//! task. Move such jobs to tokio's blocking pool, asyncio's
//! `run_in_executor`, one at a time and several at once.
//!
//! Book: chapter 6, "Blocking and CPU work: spawn_blocking". Check: `cargo workbook check offload_cpu`.

// ANCHOR: run_cpu_job
/// Runs `job` on tokio's blocking thread pool and returns its result; the
/// calling task waits without holding the event loop.
///
/// # Panics
/// If the job panics.
pub async fn run_cpu_job<T, J>(job: J) -> T
where
    J: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(job)
        .await
        .expect("the CPU job panicked")
}
// ANCHOR_END: run_cpu_job

// ANCHOR: run_cpu_jobs
/// Runs all `jobs` on the blocking pool at the same time and returns their
/// results in the order of `jobs`.
pub async fn run_cpu_jobs<T, J>(jobs: Vec<J>) -> Vec<T>
where
    J: FnOnce() -> T + Send + 'static,
    T: Send + 'static,
{
    // Reuse run_cpu_job for each job, in order.
    let mut results = Vec::with_capacity(jobs.len());
    for job in jobs {
        results.push(run_cpu_job(job).await);
    }
    results
}
// ANCHOR_END: run_cpu_jobs
