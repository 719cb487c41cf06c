// wrong: a restart empties the mailbox so the new actor starts clean, which loses every request that was waiting behind the crashed one
//! # Exercise `supervisor`: an actor that is started again when it crashes
//!
//! Write a supervised actor: a task that keeps a running total and answers
//! `add` requests from its mailbox, and a supervisor task that starts a fresh
//! copy of it (total back to 0) each time it panics. The request being handled
//! when it crashed is lost, but every handle and every request still waiting
//! in the mailbox keep working.
//!
//! Book: chapter 8, "Supervision: restarting a crashed actor". Check: `cargo workbook check supervisor`.

use std::sync::Arc;
use tokio::sync::{Mutex, mpsc, oneshot};
use tokio::task::JoinHandle;

// ANCHOR: types
/// Given: what the actor does with each request. `step(total, n)` returns
/// the new total. It may panic: that is the crash the supervisor handles.
pub type Step = Arc<dyn Fn(i64, i64) -> i64 + Send + Sync>;

/// Given: why a call got no total back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CallError {
    /// The mailbox accepted the request but no answer ever came: the actor
    /// panicked while handling it, or the supervisor gave up before the
    /// request's turn came.
    Lost,
    /// The supervisor had already given up: the mailbox is closed and the
    /// request was not accepted.
    Stopped,
}

/// Given: what the supervisor task returns when it ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Report {
    /// How many times a crashed actor was started again.
    pub restarts: u32,
    /// True if the supervisor stopped because the actor crashed once more
    /// after `max_restarts` restarts; false if it stopped because every
    /// handle was dropped (the mailbox closed).
    pub gave_up: bool,
}

/// Given: one message in the mailbox.
#[derive(Debug)]
pub struct Request {
    n: i64,
    reply: oneshot::Sender<i64>,
}

/// A handle on the supervised actor; clones share the one mailbox.
#[derive(Debug, Clone)]
pub struct Totals {
    requests: mpsc::Sender<Request>,
}
// ANCHOR_END: types

/// Starts the supervisor (which starts the actor) and returns a handle and
/// the supervisor's `JoinHandle`.
///
/// - The mailbox is an `mpsc` channel of capacity `mailbox` (at least 1;
///   tokio panics on 0): when it is full
///   a caller waits for room (it does not fail).
/// - The actor starts with a total of 0 and, for each request in mailbox
///   order, sets `total = step(total, n)` and answers with the new total.
/// - If `step` panics, that request's caller gets [`CallError::Lost`]. The
///   supervisor starts a new actor with a total of 0, which goes on with the
///   requests still in the mailbox (none of them is dropped), up to
///   `max_restarts` times. At the crash after that it gives up: it ends with
///   `gave_up: true`, the mailbox closes, requests still queued get
///   [`CallError::Lost`] and later calls get [`CallError::Stopped`].
/// - When every handle is dropped and the mailbox is empty, the actor and
///   then the supervisor end, with `gave_up: false`. Nothing but the handles
///   may hold a sender, or this never happens.
pub fn spawn_supervised(
    step: Step,
    max_restarts: u32,
    mailbox: usize,
) -> (Totals, JoinHandle<Report>) {
    let (requests, receiver) = mpsc::channel::<Request>(mailbox.max(1));
    let receiver = Arc::new(Mutex::new(receiver));
    let supervisor = tokio::spawn(async move {
        let mut restarts = 0;
        loop {
            let inbox = Arc::clone(&receiver);
            let step = Arc::clone(&step);
            let actor = tokio::spawn(async move {
                let mut total = 0i64;
                loop {
                    let next = inbox.lock().await.recv().await;
                    let Some(request) = next else {
                        return;
                    };
                    total = step(total, request.n);
                    let _ = request.reply.send(total);
                }
            });
            match actor.await {
                Ok(()) => {
                    return Report {
                        restarts,
                        gave_up: false,
                    };
                }
                Err(_) => {
                    if restarts >= max_restarts {
                        receiver.lock().await.close();
                        drop(receiver);
                        return Report {
                            restarts,
                            gave_up: true,
                        };
                    }
                    restarts += 1;
                    let mut inbox = receiver.lock().await;
                    while inbox.try_recv().is_ok() {}
                }
            }
        }
    });
    (Totals { requests }, supervisor)
}

impl Totals {
    /// Sends `n` to the actor and waits for the new total.
    pub async fn add(&self, n: i64) -> Result<i64, CallError> {
        let (reply, answer) = oneshot::channel();
        self.requests
            .send(Request { n, reply })
            .await
            .map_err(|_| CallError::Stopped)?;
        answer.await.map_err(|_| CallError::Lost)
    }
}
