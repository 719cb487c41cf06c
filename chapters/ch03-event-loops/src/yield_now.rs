//! A `yield_now` that works on any executor, the home-made one included.

/// Returns `Pending` once, after waking its own task: the executor puts
/// the task at the back of its run queue and lets the others run. (The
/// future is `kit::poll::ready_after`; chapter 2 writes it by hand.)
pub fn yield_now() -> kit::poll::ReadyAfter<()> {
    kit::poll::ready_after(1, ())
}

/// Yields `times` times in a row.
pub async fn yield_many(times: usize) {
    for _ in 0..times {
        yield_now().await;
    }
}
