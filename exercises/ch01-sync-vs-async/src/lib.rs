//! # Chapter 1 exercises: sync vs async
//!
//! One module per exercise, in the order the book introduces them. Each
//! module's header says what to build; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch01`.

pub mod amdahl;
pub mod fetch_all;
pub mod poll_loop;
pub mod thread_fanout;
pub mod time_model;
