// wrong: every shutdown sender dropped means shut down too: only an actual () message stops this worker, so it keeps working after the controller is gone.
//! # Exercise `select_worker`: a worker fed by channels instead of shared state
//!
//! Write the loop of a worker thread that owns no shared state at all: it
//! receives jobs on one channel, sends results on another, and listens for a
//! shutdown signal on a third, waiting on two channels at once with
//! `crossbeam_channel::select!`. It teaches that every channel end can close,
//! and that a closed end is a message too.
//!
//! Book: chapter 5, "Channels instead of shared state". Check: `cargo workbook check select_worker`.

use crossbeam_channel::{Receiver, Sender, select};

/// Why the worker stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StopReason {
    /// A shutdown message arrived, or every shutdown sender was dropped.
    Shutdown,
    /// Every job sender was dropped: no job can ever arrive again.
    NoMoreJobs,
    /// The results receiver was dropped: nobody wants the answers.
    NobodyListening,
}

/// What the worker did before it stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// Jobs whose result was sent.
    pub done: usize,
    /// Why the loop ended.
    pub reason: StopReason,
}

// ANCHOR: run_worker
/// Squares each job from `jobs` and sends the square on `results`, until
/// shutdown, until the jobs run out, or until nobody listens for results.
pub fn run_worker(jobs: Receiver<u64>, shutdown: Receiver<()>, results: Sender<u64>) -> Report {
    let mut done = 0;
    let reason = loop {
        select! {
            recv(jobs) -> job => match job {
                Ok(n) => {
                    if results.send(n * n).is_err() {
                        break StopReason::NobodyListening;
                    }
                    done += 1;
                }
                Err(_) => break StopReason::NoMoreJobs,
            },
            recv(shutdown) -> signal => {
                // Only an explicit shutdown message stops the worker.
                if signal.is_ok() {
                    break StopReason::Shutdown;
                }
            }
        }
    };
    Report { done, reason }
}
// ANCHOR_END: run_worker
