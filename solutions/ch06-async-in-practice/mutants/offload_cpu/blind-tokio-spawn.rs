// wrong: tokio::spawn is not run_in_executor: a spawned task still runs the closure on the event loop's threads, so a blocking job holds up the loop.
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
    // A task of its own, like create_task: the caller just awaits it.
    tokio::spawn(async move { job() })
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
    let handles: Vec<_> = jobs.into_iter().map(tokio::task::spawn_blocking).collect();
    let mut results = Vec::with_capacity(handles.len());
    for handle in handles {
        results.push(handle.await.expect("a CPU job panicked"));
    }
    results
}
// ANCHOR_END: run_cpu_jobs
