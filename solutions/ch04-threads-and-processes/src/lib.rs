//! # Chapter 4 reference solutions: threads vs processes
//!
//! The same public API as the `ch04-exercises` stubs, with every `todo!()`
//! filled in. The exercise tests run against this crate too.

pub mod merge_sort;
pub mod parallel_sum;
pub mod process_pipe;
pub mod process_pool;
pub mod thread_pool;
pub mod thread_results;
pub mod word_count;
