//! The workbook's CLI, as a library so that its tests (and the book test) can
//! call the same code the commands run.
//!
//! - [`info`]: the exercise list (`exercises/info.toml`) and name lookup.
//! - [`hints`]: tiered hints (`workbook/hints/<chapter>.toml`) and the tier
//!   each exercise has reached.
//! - [`runner`]: builds test targets through cargo and runs them, parsing
//!   libtest's output into a verdict per test.
//! - [`git`] and [`scratch`]: the original stubs (from git) and a scratch copy
//!   of the workspace where originals and mutants are built without touching
//!   the learner's files.
//! - [`book`]: source checks (includes, anchors, SUMMARY) and rendering.
//! - [`charts`]: SVG charts of the demos' JSON results, for the book and
//!   for `cargo workbook measure`.
//! - [`commands`]: one module per subcommand.

pub mod book;
pub mod charts;
pub mod commands;
pub mod git;
pub mod hints;
pub mod info;
pub mod runner;
pub mod scratch;
