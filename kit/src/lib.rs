//! `kit`: the helpers that every chapter of the workbook shares.
//!
//! Demos, exercises and solutions depend on this crate instead of copying
//! small utilities around:
//!
//! - [`table`]: prints demo results as aligned tables, with measured vs
//!   predicted figures and their ratio.
//! - [`measure`]: wall-clock and CPU timers, medians, resident memory.
//! - [`poll`]: a manual poll harness and a counting waker, to drive a future
//!   by hand and count how often it is polled and woken.
//! - [`scripted`]: the `Fetch` trait and a fake whose answers, failures and
//!   hangs are scripted per call.
//! - [`slow`]: a fake slow service (async and blocking) that records how many
//!   calls were in flight at once.
//! - [`watchdog`]: runs a closure with a generous deadline and fails with
//!   "deadlock suspected" instead of hanging a test run.
//! - [`args`]: tiny `--name value` option parsing for demos.
//! - [`asleep`]: wait until another thread is blocked in the kernel (Linux
//!   `/proc`), instead of sleeping and hoping.
//! - [`spurious`]: spurious polls, wake-ups and unparks on purpose: a poll
//!   harness with a fresh waker per poll (catches stale wakers), a seeded
//!   noisy driver, busy re-scheduling and spinning-executor detectors, and
//!   unpark storms for park loops.

pub mod args;
pub mod asleep;
pub mod measure;
pub mod poll;
pub mod scripted;
pub mod slow;
pub mod spurious;
pub mod table;
pub mod watchdog;
