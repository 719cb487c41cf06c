// wrong: tokio::spawn into a Vec of JoinHandles, awaited in order, the rest aborted on a failure: dropping the group detaches its jobs instead of cancelling them
//! # Exercise `task_group`: asyncio's `TaskGroup` in tokio
//!
//! (A wrong answer: see the first line.)
//!
//! Book: chapter 6, "Task groups: waiting for all, cancelling on failure". Check: `cargo workbook check task_group`.

/// Runs every job as a task of its own and returns once none is left.
pub async fn run_group<T, E, F>(jobs: Vec<F>) -> Result<Vec<T>, Vec<E>>
where
    F: Future<Output = Result<T, E>> + Send + 'static,
    T: Send + 'static,
    E: Send + 'static,
{
    let handles: Vec<_> = jobs.into_iter().map(tokio::spawn).collect();
    let mut outputs = Vec::new();
    let mut errors = Vec::new();
    let mut failed = false;
    for handle in handles {
        if failed {
            handle.abort();
        }
        match handle.await {
            Ok(Ok(output)) => outputs.push(output),
            Ok(Err(error)) => {
                errors.push(error);
                failed = true;
            }
            Err(join_error) if join_error.is_cancelled() => {}
            Err(join_error) => std::panic::resume_unwind(join_error.into_panic()),
        }
    }
    if errors.is_empty() { Ok(outputs) } else { Err(errors) }
}
