// wrong: a JoinSet that waits for every job: a failure cancels nothing
//! # Exercise `task_group`: asyncio's `TaskGroup` in tokio
//!
//! Run a batch of jobs as tasks of their own and wait for all of them; the
//! first failure cancels the jobs still running, and every error that did
//! happen is returned. A `JoinSet` alone does not do this: it cancels nothing
//! when a task fails, and its `abort` only asks, so the group must still wait
//! for the aborted tasks to be gone before it returns.
//!
//! Book: chapter 6, "Task groups: waiting for all, cancelling on failure". Check: `cargo workbook check task_group`.

use tokio::task::JoinSet;

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
    let count = jobs.len();
    // Dropping a JoinSet aborts its tasks: if our caller drops us, no job leaks.
    let mut group = JoinSet::new();
    for (position, job) in jobs.into_iter().enumerate() {
        group.spawn(async move { (position, job.await) });
    }

    let mut outputs: Vec<Option<T>> = (0..count).map(|_| None).collect();
    let mut errors: Vec<(usize, E)> = Vec::new();
    let mut panic = None;
    // Drain to the end, even after aborting: `abort_all` only asks, and a
    // task is gone only once `join_next` has handed back its outcome.
    while let Some(joined) = group.join_next().await {
        match joined {
            Ok((position, Ok(output))) => outputs[position] = Some(output),
            Ok((position, Err(error))) => {
                errors.push((position, error));
            }
            // A sibling we cancelled: not an error of its own.
            Err(join_error) if join_error.is_cancelled() => {}
            Err(join_error) => {
                panic.get_or_insert(join_error.into_panic());
                group.abort_all();
            }
        }
    }

    if let Some(payload) = panic {
        std::panic::resume_unwind(payload);
    }
    if errors.is_empty() {
        Ok(outputs.into_iter().flatten().collect())
    } else {
        errors.sort_by_key(|&(position, _)| position);
        Err(errors.into_iter().map(|(_, error)| error).collect())
    }
}
// ANCHOR_END: run_group
