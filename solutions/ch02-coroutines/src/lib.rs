//! # Chapter 2 reference solutions: coroutines
//!
//! Same public API as the `ch02-exercises` crate; the exercise tests run
//! against both. Read these after your own attempt passes.

pub mod callback_future;
pub mod countdown;
pub mod generators;
pub mod hand_state_machine;
pub mod join_pair;
pub mod select_pair;
#[path = "../../../exercises/ch02-coroutines/src/sync.rs"]
pub mod sync;
pub mod yield_now;
