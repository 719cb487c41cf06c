//! # Chapter 1 demos: sync vs async, measured
//!
//! Each module holds one demo's work as functions, so that the binaries in
//! `src/bin/` stay short and `tests/smoke.rs` can run every demo at a tiny
//! size. Predictions come from the chapter's time model ([`time_model`]) and
//! Amdahl's law ([`amdahl_law`]): the reference answers when `solutions/`
//! is there, else (or with `--features mine`) the learner's own.

#[cfg(all(reference, not(feature = "mine")))]
#[path = "../../../solutions/ch01-sync-vs-async/src/time_model.rs"]
pub mod time_model;
#[cfg(any(not(reference), feature = "mine"))]
pub use ch01_exercises::time_model;

#[cfg(all(reference, not(feature = "mine")))]
#[path = "../../../solutions/ch01-sync-vs-async/src/amdahl.rs"]
pub mod amdahl_law;
#[cfg(any(not(reference), feature = "mine"))]
pub use ch01_exercises::amdahl as amdahl_law;

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
