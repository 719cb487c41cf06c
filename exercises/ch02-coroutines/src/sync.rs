//! The `Arc` and `Mutex` that `callback_future` shares between the future
//! and the callback, switched between `std` and `loom`.
//!
//! A normal build uses the standard library. Built with
//! `RUSTFLAGS="--cfg loom"`, the same names come from `loom`, which runs the
//! callback_future model (`tests/callback_future_loom.rs`) under every
//! interleaving of the two threads' lock operations. That is how a wake-up
//! lost between "no value yet" and "waker stored" is caught on every run.
//! You do not need to edit this file.

#[cfg(loom)]
pub use loom::sync::{Arc, Mutex};

#[cfg(not(loom))]
pub use std::sync::{Arc, Mutex};
