//! # Exercise `amdahl`: how much faster can more cores make a program?
//!
//! Write Amdahl's law. A program spends a fraction `p` of its single-core
//! time in work that splits perfectly across workers and the rest in work
//! that does not; the serial rest caps the speedup however many cores you add.
//!
//! Book: chapter 1, "Amdahl's law". Check: `cargo workbook check amdahl`.

// ANCHOR: speedup
/// Speedup on `workers` workers: `1 / ((1 - p) + p / n)`.
///
/// # Panics
/// If `parallel_fraction` is not in `0.0..=1.0`, or `workers` is 0.
pub fn speedup(parallel_fraction: f64, workers: u32) -> f64 {
    // TODO: check the arguments (panic with "between 0 and 1" / "at least one
    // worker"), then return the formula above.
    todo!()
}
// ANCHOR_END: speedup

// ANCHOR: max_speedup
/// The limit of [`speedup`] as the number of workers grows without bound:
/// `1 / (1 - p)`, or `f64::INFINITY` for a perfectly parallel program.
pub fn max_speedup(parallel_fraction: f64) -> f64 {
    // TODO: what is left of the formula when `p / n` goes to zero?
    todo!()
}
// ANCHOR_END: max_speedup

// ANCHOR: workers_needed
/// The fewest workers whose speedup reaches `target`, or `None` when no
/// number of workers can (the target is at or above [`max_speedup`]).
/// A target of 1 or less needs one worker. The count is a `u32`: a target
/// that would need more than `u32::MAX` workers is out of reach too.
pub fn workers_needed(parallel_fraction: f64, target: f64) -> Option<u32> {
    // TODO: solve the formula for n (round up), or return None when the
    // serial part alone already takes more than 1 / target of the time.
    todo!()
}
// ANCHOR_END: workers_needed
