//! # Chapter 6 exercises: async in practice
//!
//! One module per exercise, in the order the book introduces them. Each
//! module's header says what to build; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch06`. The module `service` is given code that
//! several exercises share: the `Fetch` trait and a scripted fake service.

/// Given code, shared with the tests: the `Fetch` trait and the scripted fake service.
pub use kit::scripted as service;

pub mod backpressure;
pub mod counter_actor;
pub mod first_success;
pub mod memo_cache;
pub mod offload_cpu;
pub mod resilient_fetch;
pub mod shield_save;
pub mod task_group;
pub mod ticker;
