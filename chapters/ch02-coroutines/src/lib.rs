//! # Chapter 2: coroutines
//!
//! The code the chapter page shows, and the work behind its demos:
//!
//! - [`pause`]: the smallest useful future, used by the other modules.
//! - [`trace`]: a hand-written future and a manual poll loop that prints
//!   every poll and every wake-up (demo `trace_poll`).
//! - [`desugar`]: an `async fn` and the state machine the compiler makes of
//!   it, written out by hand.
//! - [`sizes`]: how big `async fn` state machines are, next to a thread's
//!   stack (demo `future_sizes`).
//! - [`callbacks`]: one three-step workflow written with nested callbacks
//!   and with `async`/`await` (demo `callbacks_vs_async`).
//! - [`stream`]: a stream, the async cousin of a generator.
//! - [`budget`]: tokio's cooperative budget, counted (demo `coop_budget`).

pub mod budget;
pub mod callbacks;
pub mod desugar;
pub mod pause;
pub mod sizes;
pub mod stream;
pub mod trace;
