//! # Chapter 1 reference solutions: sync vs async
//!
//! Same public API as the `ch01-exercises` crate; the exercise tests run
//! against both. Read these after your own attempt passes.

pub mod amdahl;
pub mod fetch_all;
pub mod poll_loop;
pub mod thread_fanout;
pub mod time_model;
