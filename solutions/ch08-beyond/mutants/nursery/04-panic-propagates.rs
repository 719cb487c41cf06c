// wrong: a job that panics makes the whole nursery panic (the join error is unwrapped) instead of being turned into an Err after the others are cancelled
//! # Exercise `nursery`: structured concurrency built from a `JoinSet`
//!
//! Write `nursery`, tokio's version of asyncio's `TaskGroup` or a trio
//! nursery: run every job as its own task, return all results in input order
//! if they all succeed, and at the first failure cancel the others and wait
//! until every one of them has really ended before returning the error.
//!
//! Book: chapter 8, "Structured concurrency". Check: `cargo workbook check nursery`.

use std::pin::Pin;
use tokio::task::JoinSet;

// ANCHOR: job
/// Given: one job of the group. Boxed so that jobs of different types fit in one list.
pub type Job<T> = Pin<Box<dyn Future<Output = Result<T, String>> + Send>>;
// ANCHOR_END: job

// ANCHOR: contract
/// Runs every job concurrently, each as its own spawned task.
///
/// - All succeed: `Ok` with their values in the order of `jobs` (not the
///   order they finished). No jobs: `Ok(vec![])` at once.
/// - A job fails: the first failure to *happen* (in time, not in input
///   order) decides. Abort every job still running, wait until each of them
///   has ended (its future dropped, so its guards and destructors have run),
///   then return `Err` with that job's message. A failure does not wait for
///   slower jobs to finish their work.
/// - A job that panics is a failure too: `Err` with a message containing
///   "panicked", and the same cancelling.
/// - When two jobs fail at the same instant, either error may be returned.
pub async fn nursery<T: Send + 'static>(jobs: Vec<Job<T>>) -> Result<Vec<T>, String> {
    let count = jobs.len();
    let mut set = JoinSet::new();
    for (index, job) in jobs.into_iter().enumerate() {
        set.spawn(async move { (index, job.await) });
    }
    let mut values: Vec<Option<T>> = (0..count).map(|_| None).collect();
    while let Some(joined) = set.join_next().await {
        let error = match joined.unwrap() {
            (index, Ok(value)) => {
                values[index] = Some(value);
                continue;
            }
            (_, Err(message)) => message,
        };
        set.abort_all();
        while set.join_next().await.is_some() {}
        return Err(error);
    }
    Ok(values
        .into_iter()
        .map(|value| value.expect("every job succeeded"))
        .collect())
}
// ANCHOR_END: contract
