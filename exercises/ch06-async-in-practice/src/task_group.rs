//! # Exercise `task_group`: asyncio's `TaskGroup` in tokio
//!
//! Run a batch of jobs as tasks of their own and wait for all of them; the
//! first failure cancels the jobs still running, and every error that did
//! happen is returned. A `JoinSet` alone does not do this: it cancels nothing
//! when a task fails, and its `abort` only asks, so the group must still wait
//! for the aborted tasks to be gone before it returns.
//!
//! Book: chapter 6, "Task groups: waiting for all, cancelling on failure". Check: `cargo workbook check task_group`.

// ANCHOR: run_group
/// Runs every job as a task of its own and returns once none is left.
///
/// - If every job succeeds: `Ok` with their outputs in the order of `jobs`.
/// - When a job fails, the jobs still running are cancelled; the group waits
///   until they are gone, then returns `Err` with the errors of every job
///   that failed (two may fail at the same moment), in the order of `jobs`.
///   A cancelled job's non-result is not an error.
/// - If a job panics, the others are cancelled and waited for in the same
///   way, then the panic is resumed in the caller.
/// - Nothing outlives the group: when it returns, or when its own future is
///   dropped, no job is left running.
pub async fn run_group<T, E, F>(jobs: Vec<F>) -> Result<Vec<T>, Vec<E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    // TODO: spawn every job into a `tokio::task::JoinSet`, each tagged with
    // its position. Loop on `join_next().await` until it returns None: keep
    // outputs and errors by position; on the first error (or panic) call
    // `abort_all()` and keep draining, skipping the `JoinError`s that
    // `is_cancelled()`. Resume a panic with `std::panic::resume_unwind`.
    todo!()
}
// ANCHOR_END: run_group
