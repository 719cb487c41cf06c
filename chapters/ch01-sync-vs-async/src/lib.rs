//! # Chapter 1 demos: sync vs async, measured
//!
//! Each module holds one demo's work as functions, so that the binaries in
//! `src/bin/` stay short and `tests/smoke.rs` can run every demo at a tiny
//! size. Predictions come from the chapter's time model
//! (`ch01_solutions::time_model`) and Amdahl's law (`ch01_solutions::amdahl`).

pub mod amdahl;
pub mod cpu_bound;
pub mod nonblocking_read;
pub mod requests;

/// Burns CPU for about as long as `rounds` says; returns a value so that the
/// optimiser cannot remove the loop. Calibrate with [`rounds_for`].
pub fn spin(rounds: u64) -> u64 {
    // A xorshift loop: cheap, branch-free, impossible to constant-fold.
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    for _ in 0..rounds {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    std::hint::black_box(x)
}

/// How many rounds of [`spin`] take about `target` on this machine.
pub fn rounds_for(target: std::time::Duration) -> u64 {
    let probe = 2_000_000;
    let (_, took) = kit::measure::timed(|| spin(probe));
    let per_round = took.as_secs_f64() / probe as f64;
    ((target.as_secs_f64() / per_round.max(1e-12)) as u64).max(1)
}
