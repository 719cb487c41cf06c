//! # Chapter 6 reference solutions: async in practice
//!
//! One module per exercise, with the same public API as the stubs in
//! `exercises/ch06-async-in-practice`; the exercises' own tests run against
//! both (see `tests/`). The module `service` is given code that
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
