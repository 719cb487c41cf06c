//! # Chapter 8 exercises: beyond
//!
//! One module per exercise, in the order the book introduces them. Each
//! module's header says what to build and its doc comments are the whole
//! contract; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch08`.

pub mod batch_by_deadline;
pub mod dyn_async_trait;
pub mod fair_merge;
pub mod hand_stream;
pub mod nursery;
pub mod slow_poll_detector;
pub mod supervisor;
