//! # Chapter 4 demos: threads vs processes
//!
//! Each module holds the work of one demo binary (`src/bin/`), split into
//! functions that `tests/smoke.rs` runs at a tiny size:
//!
//! - [`spawn_cost`]: create and join a thread, a process and a tokio task.
//! - [`cpu_scaling`]: one CPU-bound job on 1..N threads, on rayon, and in
//!   Python threads and processes (the GIL, measured).
//! - [`switch_cost`]: ping-pong between two threads, two processes and two
//!   tokio tasks: the cost of one context switch.
//! - [`ipc_cost`]: N messages of S bytes to another thread (moved) and to
//!   another process (framed bytes through a pipe).
//! - [`memory`]: resident memory added per parked thread and per pending task.
//! - [`crash`]: what survives a panicking thread and an aborting process.
//! - [`shared`]: the few lines the book uses to show `Send`, `Sync`,
//!   `move` and scoped threads.

pub mod cpu_scaling;
pub mod crash;
pub mod ipc_cost;
pub mod memory;
pub mod shared;
pub mod spawn_cost;
pub mod switch_cost;
