//! # Chapter 4 exercises: threads vs processes
//!
//! One module per exercise, in the order the book introduces them. Each
//! module's header says what to build; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch04`.

pub mod merge_sort;
pub mod parallel_sum;
pub mod process_pipe;
pub mod process_pool;
pub mod thread_pool;
pub mod thread_results;
pub mod word_count;
