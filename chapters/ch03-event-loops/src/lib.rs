//! # Chapter 3 demos: event loops
//!
//! The runtime built in the chapter's exercises (the reference solution of
//! step 4, `ch03_solutions::s4_reactor`) measured against tokio, plus two
//! experiments on any event loop: what an idle loop costs in CPU, and what
//! a blocking call inside a task does to a timer on the same loop.
//!
//! Each binary in `src/bin/` is a thin `main` over these functions; the
//! smoke tests run them at tiny sizes.

pub mod blocking;
pub mod compare;
pub mod idle;
pub mod yield_now;
