//! # Chapter 3 demos: event loops
//!
//! The runtime built in the chapter's exercises (step 4, [`s4_reactor`]: the
//! reference solution when `solutions/` is there, else or with
//! `--features mine` the learner's own) measured against tokio, plus two
//! experiments on any event loop: what an idle loop costs in CPU, and what
//! a blocking call inside a task does to a timer on the same loop.
//!
//! Each binary in `src/bin/` is a thin `main` over these functions; the
//! smoke tests run them at tiny sizes.

#[cfg(all(reference, not(feature = "mine")))]
#[path = "../../../solutions/ch03-event-loops/src/s4_reactor.rs"]
pub mod s4_reactor;
#[cfg(all(reference, not(feature = "mine")))]
#[path = "../../../solutions/ch03-event-loops/src/s5_echo.rs"]
pub mod s5_echo;
#[cfg(any(not(reference), feature = "mine"))]
pub use ch03_exercises::{s4_reactor, s5_echo};

pub mod blocking;
pub mod compare;
pub mod idle;
pub mod yield_now;
