// wrong: results come back in the order of jobs, not in the order the jobs finished.
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
    // Collect results as the jobs finish: nobody waits on a slow job.
    let mut running = tokio::task::JoinSet::new();
    for job in jobs {
        running.spawn_blocking(job);
    }
    let mut results = Vec::new();
    while let Some(result) = running.join_next().await {
        results.push(result.expect("a CPU job panicked"));
    }
    results
}
// ANCHOR_END: run_cpu_jobs
