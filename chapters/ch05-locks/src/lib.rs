//! # Chapter 5 demos: locks and shared state
//!
//! The demos' logic lives here so that `tests/smoke.rs` can run it at a tiny
//! size; the binaries in `src/bin/` only read options and print tables.
//!
//! - [`basics`]: the small listings the chapter page shows (a guard as a
//!   scope, poisoning, `RwLock`, publishing with Release/Acquire, a barrier).
//! - [`lost_update`]: a read-modify-write split into a load and a store.
//! - [`deadlock`]: two locks taken in opposite orders, caught by a timeout,
//!   and two fixes.
//! - [`contention`]: one shared counter four ways, on 1..N threads.
//! - [`atomics_more`]: a compare-exchange loop, fences, `OnceLock`.
//! - [`false_sharing`]: two private counters on one cache line vs padded.
//! - [`futex_lock`]: a lock that sleeps on a Linux futex, against a spin
//!   lock and `std::sync::Mutex` under contention.

pub mod atomics_more;
pub mod basics;
pub mod contention;
pub mod deadlock;
pub mod false_sharing;
pub mod futex_lock;
pub mod lost_update;
