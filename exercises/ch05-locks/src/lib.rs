//! # Chapter 5 exercises: locks and shared state
//!
//! One module per exercise, in the order the book introduces them. Each
//! module's header says what to build; `// TODO:` marks the spots to fill.
//! Check one with `cargo workbook check <name>`, or all with
//! `cargo workbook check ch05`.
//!
//! Two helper modules are given, not exercises: [`sync`] switches the
//! primitives between `std` and `loom`, and [`probe`] holds a `Condvar` that
//! lets the tests see who is asleep (and wake them spuriously, as the OS
//! may) and the dining philosophers' `Fork`.

pub mod probe;
pub mod sync;

pub mod bounded_queue;
pub mod dining;
pub mod once_cell;
pub mod oneshot;
pub mod select_worker;
pub mod semaphore;
pub mod spin_lock;
