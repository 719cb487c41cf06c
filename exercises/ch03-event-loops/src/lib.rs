//! # Chapter 3 exercises: build a small async runtime, step by step
//!
//! One module per step, in the order the book introduces them. Each step's
//! file holds the previous steps already written, so you only fill in
//! what is new; `// TODO:` marks the spots. Check one with
//! `cargo workbook check <name>`, or all with `cargo workbook check ch03`.

pub mod s1_block_on;
pub mod s2_spawn;
pub mod s3_timers;
pub mod s4_reactor;
pub mod s5_echo;
