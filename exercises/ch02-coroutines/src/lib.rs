//! # Chapter 2 exercises: coroutines
//!
//! One module per exercise (the book's order is the order of the chapter's
//! entries in `exercises/info.toml`). Each module's header says what to
//! build; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch02`.
//!
//! One helper module is given, not an exercise: [`sync`] switches
//! `callback_future`'s `Arc` and `Mutex` to loom's for its loom model.

pub mod callback_future;
pub mod countdown;
pub mod generators;
pub mod hand_state_machine;
pub mod join_pair;
pub mod select_pair;
pub mod sync;
pub mod yield_now;
