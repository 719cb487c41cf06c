// wrong: CPU work over several cores is only the total divided by the cores; one job cannot be split, so the longest job is a floor too.
//! # Exercise `time_model`: predict how long a batch of work takes
//!
//! Write the three formulas of the chapter's time model: waits done one
//! after another add up; waits started together take as long as the longest
//! one plus a little overhead per task; CPU work split over cores takes the
//! total divided by the cores, but never less than the longest single job.
//!
//! Book: chapter 1, "The time model". Check: `cargo workbook check time_model`.

use std::time::Duration;

// ANCHOR: sequential
/// Waits done one after another: `T = T1 + T2 + ... + Tn`.
pub fn sequential(waits: &[Duration]) -> Duration {
    waits.iter().sum()
}
// ANCHOR_END: sequential

// ANCHOR: concurrent
/// Waits started together (threads or async tasks): the batch ends when the
/// longest wait ends, plus `overhead_per_task` for each task started.
/// `T = max(Ti) + n * overhead`.
pub fn concurrent(waits: &[Duration], overhead_per_task: Duration) -> Duration {
    let longest = waits.iter().max().copied().unwrap_or(Duration::ZERO);
    longest + overhead_per_task * waits.len() as u32
}
// ANCHOR_END: concurrent

// ANCHOR: parallel_cpu
/// CPU-bound jobs spread over `cores` cores, in the best case.
///
/// The cores share the total work, so `T >= sum(Ti) / cores`; but one job runs
/// on one core, so `T >= max(Ti)` as well. The best case is the larger bound.
///
/// # Panics
/// If `cores` is 0: "needs at least one core".
pub fn parallel_cpu(jobs: &[Duration], cores: usize) -> Duration {
    assert!(cores > 0, "needs at least one core");
    let total: Duration = jobs.iter().sum();
    // The cores share the work evenly.
    total / cores as u32
}
// ANCHOR_END: parallel_cpu
