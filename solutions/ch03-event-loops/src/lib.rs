//! # Chapter 3 reference solutions: a small async runtime, step by step
//!
//! Same public API as the `ch03-exercises` crate; the exercise tests run
//! against both. Read these after your own attempt passes. The chapter's
//! demos benchmark `s4_reactor`, the finished runtime, against tokio.

pub mod s1_block_on;
pub mod s2_spawn;
pub mod s3_timers;
pub mod s4_reactor;
pub mod s5_echo;
