// wrong: block_in_place is not spawn_blocking: it runs the job on the current thread, and on a current-thread runtime it panics instead of moving the job off the loop.
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
    // Tell tokio this thread is about to block, and run the job right here.
    tokio::task::block_in_place(job)
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
