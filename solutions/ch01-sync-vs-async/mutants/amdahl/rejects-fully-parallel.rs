// wrong: the range check excludes 1.0, so a perfectly parallel program (p = 1) panics instead of scaling with the workers.
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
    assert!(
        (0.0..1.0).contains(&parallel_fraction),
        "parallel_fraction must be between 0 and 1, got {parallel_fraction}"
    );
    assert!(workers > 0, "needs at least one worker");
    let serial = 1.0 - parallel_fraction;
    1.0 / (serial + parallel_fraction / f64::from(workers))
}
// ANCHOR_END: speedup

// ANCHOR: max_speedup
/// The limit of [`speedup`] as the number of workers grows without bound:
/// `1 / (1 - p)`, or `f64::INFINITY` for a perfectly parallel program.
pub fn max_speedup(parallel_fraction: f64) -> f64 {
    let serial = 1.0 - parallel_fraction;
    if serial == 0.0 {
        return f64::INFINITY;
    }
    1.0 / serial
}
// ANCHOR_END: max_speedup

// ANCHOR: workers_needed
/// The fewest workers whose speedup reaches `target`, or `None` when no
/// number of workers can (the target is at or above [`max_speedup`]).
pub fn workers_needed(parallel_fraction: f64, target: f64) -> Option<u32> {
    let serial = 1.0 - parallel_fraction;
    // The parallel part must shrink to fit in what the target leaves.
    let room = 1.0 / target - serial;
    if room <= 0.0 {
        return None;
    }
    let workers = (parallel_fraction / room).ceil();
    Some((workers as u32).max(1))
}
// ANCHOR_END: workers_needed
