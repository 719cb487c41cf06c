//! # Chapter 8: reference solutions
//!
//! Same public API as `ch08-exercises`; the exercise crate's tests run
//! against these modules too (see `tests/`).

pub mod batch_by_deadline;
pub mod dyn_async_trait;
pub mod fair_merge;
pub mod hand_stream;
pub mod nursery;
pub mod slow_poll_detector;
pub mod supervisor;
