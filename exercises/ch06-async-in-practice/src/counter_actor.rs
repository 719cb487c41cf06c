//! # Exercise `counter_actor`: state owned by one task, reached through messages
//!
//! Write an actor: a task that owns a map of named counters and serves
//! requests from an `mpsc` channel, answering each on a `oneshot`. Handles
//! are cheap to clone; the actor stops when the last handle is dropped.
//!
//! Book: chapter 6, "Actors: mpsc plus oneshot". Check: `cargo workbook check counter_actor`.

use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

// ANCHOR: command
/// Given: the requests the actor understands. Each carries the sender half
/// of a oneshot channel on which the actor answers.
#[derive(Debug)]
pub enum Command {
    /// Current value of a counter (0 if it was never set).
    Get {
        key: String,
        reply: oneshot::Sender<i64>,
    },
    /// Replaces a counter's value; answers with the previous value.
    Set {
        key: String,
        value: i64,
        reply: oneshot::Sender<i64>,
    },
    /// Adds `by` to a counter; answers with the new value.
    Add {
        key: String,
        by: i64,
        reply: oneshot::Sender<i64>,
    },
}
// ANCHOR_END: command

/// A handle on the actor; clone it to share the actor between tasks.
#[derive(Debug, Clone)]
pub struct Counters {
    requests: mpsc::Sender<Command>,
}

// ANCHOR: spawn_counters
/// Starts the actor on its own task and returns a handle on it and the task's
/// `JoinHandle`, which resolves to the number of requests served once every
/// handle is dropped.
pub fn spawn_counters() -> (Counters, JoinHandle<u64>) {
    // TODO: create an `mpsc::channel`, spawn `serve` with the receiver, and
    // wrap the sender in a `Counters`.
    todo!()
}

/// The actor's loop: the only code that ever touches the counters.
async fn serve(inbox: mpsc::Receiver<Command>) -> u64 {
    // TODO: own a `HashMap<String, i64>`; receive commands until
    // `inbox.recv()` returns None (every handle dropped; `let mut inbox =
    // inbox;` first), answer each on its `reply` (a missing counter reads
    // as 0), and return how many requests were served.
    todo!()
}
// ANCHOR_END: spawn_counters

// ANCHOR: handle
impl Counters {
    /// The current value of `key`.
    pub async fn get(&self, key: &str) -> i64 {
        // TODO: make a `oneshot::channel()`, send `Command::Get` with its
        // sender half, and await the receiver half for the answer.
        todo!()
    }

    /// Sets `key` to `value`; returns the previous value.
    pub async fn set(&self, key: &str, value: i64) -> i64 {
        // TODO: like `get`, with `Command::Set`.
        todo!()
    }

    /// Adds `by` to `key` in one step; returns the new value.
    pub async fn add(&self, key: &str, by: i64) -> i64 {
        // TODO: like `get`, with `Command::Add`: one request, so that no
        // other request can slip in between the read and the write.
        todo!()
    }
}
// ANCHOR_END: handle
