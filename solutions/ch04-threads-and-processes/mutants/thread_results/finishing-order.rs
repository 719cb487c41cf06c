// wrong: outcomes come back in job order: collecting them as the threads finish (like `as_completed`) returns them in finishing order.
//! # Exercise `thread_results`: run jobs on threads and collect every outcome
//!
//! Start one thread per job, then join them all and return each job's
//! outcome in job order. A job that panics must not take the others down:
//! its panic comes back from `join` as an `Err`, which you turn into the
//! panic's message.
//!
//! Book: chapter 4, "Spawning and joining threads". Check: `cargo workbook check thread_results`.

use std::any::Any;
use std::thread::{self, JoinHandle};

/// A job to run on a thread: it owns what it needs (`'static`) and can be
/// sent to another thread (`Send`).
pub type Job<T> = Box<dyn FnOnce() -> T + Send + 'static>;

// ANCHOR: run_all
/// Runs every job on a thread of its own, all at the same time, and returns
/// their outcomes in job order: `Ok(value)`, or `Err(message)` for a job
/// that panicked.
pub fn run_all<T: Send + 'static>(jobs: Vec<Job<T>>) -> Vec<Result<T, String>> {
    // Each thread reports as soon as its job is done, so a slow job does
    // not hold up the others' results.
    let (sender, receiver) = std::sync::mpsc::channel();
    let handles: Vec<JoinHandle<()>> = jobs
        .into_iter()
        .map(|job| {
            let sender = sender.clone();
            thread::spawn(move || {
                let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job))
                    .map_err(panic_message);
                let _ = sender.send(outcome);
            })
        })
        .collect();
    drop(sender);
    let outcomes = receiver.iter().collect();
    for handle in handles {
        let _ = handle.join();
    }
    outcomes
}
// ANCHOR_END: run_all

// ANCHOR: panic_message
/// The message inside a panic payload. `panic!("literal")` carries a
/// `&'static str`, `panic!("{x}")` a `String`; anything else gives
/// `"unknown panic"`.
pub fn panic_message(payload: Box<dyn Any + Send>) -> String {
    if let Some(text) = payload.downcast_ref::<&'static str>() {
        return text.to_string();
    }
    match payload.downcast::<String>() {
        Ok(text) => *text,
        Err(_) => "unknown panic".to_string(),
    }
}
// ANCHOR_END: panic_message
