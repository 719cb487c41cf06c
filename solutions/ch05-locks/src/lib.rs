//! # Chapter 5 reference solutions: locks and shared state
//!
//! The same modules and public API as the exercise crate, filled in. The
//! exercise tests run against this crate too (see `tests/`), and
//! `mutants.toml` lists wrong answers those tests must reject.
//!
//! Two helper modules are given, not exercises: [`sync`] switches the
//! primitives between `std` and `loom`, and [`probe`] holds a `Condvar` that
//! lets the tests see who is asleep (and wake them spuriously, as the OS
//! may) and the dining philosophers' `Fork`.

// Given code, shared with the exercise crate: one copy of each file, so the
// solutions and the stubs run on exactly the same probes and std/loom switch.
#[path = "../../../exercises/ch05-locks/src/probe.rs"]
pub mod probe;
#[path = "../../../exercises/ch05-locks/src/sync.rs"]
pub mod sync;

pub mod bounded_queue;
pub mod dining;
pub mod once_cell;
pub mod oneshot;
pub mod select_worker;
pub mod semaphore;
pub mod spin_lock;
