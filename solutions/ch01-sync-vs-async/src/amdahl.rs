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
    check_fraction(parallel_fraction);
    assert!(workers > 0, "speedup needs at least one worker");
    let serial = 1.0 - parallel_fraction;
    1.0 / (serial + parallel_fraction / f64::from(workers))
}
// ANCHOR_END: speedup

// ANCHOR: max_speedup
/// The limit of [`speedup`] as the number of workers grows without bound:
/// `1 / (1 - p)`, or `f64::INFINITY` for a perfectly parallel program.
pub fn max_speedup(parallel_fraction: f64) -> f64 {
    check_fraction(parallel_fraction);
    1.0 / (1.0 - parallel_fraction)
}
// ANCHOR_END: max_speedup

// ANCHOR: workers_needed
/// The fewest workers whose speedup reaches `target`, or `None` when no
/// number of workers can (the target is at or above [`max_speedup`]).
/// A target of 1 or less needs one worker. The count is a `u32`: a target
/// that would need more than `u32::MAX` workers is out of reach too.
pub fn workers_needed(parallel_fraction: f64, target: f64) -> Option<u32> {
    check_fraction(parallel_fraction);
    if target <= 1.0 {
        return Some(1);
    }
    // Solve 1 / ((1 - p) + p / n) >= target for n:
    // p / n <= 1 / target - (1 - p)  =>  n >= p / (1 / target - (1 - p)).
    let room = 1.0 / target - (1.0 - parallel_fraction);
    if room <= 1e-12 {
        return None;
    }
    let estimate = (parallel_fraction / room - 1e-9).ceil().max(1.0) as u32;
    // Floating-point rounding can leave the estimate one short; step up.
    (estimate..=estimate.saturating_add(2))
        .find(|&n| speedup(parallel_fraction, n) >= target - 1e-9)
}
// ANCHOR_END: workers_needed

fn check_fraction(parallel_fraction: f64) {
    assert!(
        (0.0..=1.0).contains(&parallel_fraction),
        "the parallel fraction must be between 0 and 1, got {parallel_fraction}"
    );
}
