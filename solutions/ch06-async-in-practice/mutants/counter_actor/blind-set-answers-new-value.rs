// wrong: set answers with the value it replaced, not with the value just stored (like dict.insert returning the old entry).
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
    let (requests, inbox) = mpsc::channel(32);
    let actor = tokio::spawn(serve(inbox));
    (Counters { requests }, actor)
}

/// The actor's loop: the only code that ever touches the counters.
async fn serve(inbox: mpsc::Receiver<Command>) -> u64 {
    let mut inbox = inbox;
    let mut counters: std::collections::HashMap<String, i64> = std::collections::HashMap::new();
    let mut served = 0;
    while let Some(command) = inbox.recv().await {
        served += 1;
        match command {
            Command::Get { key, reply } => {
                let _ = reply.send(counters.get(&key).copied().unwrap_or(0));
            }
            Command::Set { key, value, reply } => {
                counters.insert(key, value);
                // Echo the stored value back as the acknowledgement.
                let _ = reply.send(value);
            }
            Command::Add { key, by, reply } => {
                let counter = counters.entry(key).or_insert(0);
                *counter += by;
                let _ = reply.send(*counter);
            }
        }
    }
    served
}
// ANCHOR_END: spawn_counters

// ANCHOR: handle
impl Counters {
    /// The current value of `key`.
    pub async fn get(&self, key: &str) -> i64 {
        let (reply, answer) = oneshot::channel();
        let command = Command::Get {
            key: key.to_string(),
            reply,
        };
        self.requests
            .send(command)
            .await
            .expect("the actor is running");
        answer.await.expect("the actor answers every request")
    }

    /// Sets `key` to `value`; returns the previous value.
    pub async fn set(&self, key: &str, value: i64) -> i64 {
        let (reply, answer) = oneshot::channel();
        let command = Command::Set {
            key: key.to_string(),
            value,
            reply,
        };
        self.requests
            .send(command)
            .await
            .expect("the actor is running");
        answer.await.expect("the actor answers every request")
    }

    /// Adds `by` to `key` in one step; returns the new value.
    pub async fn add(&self, key: &str, by: i64) -> i64 {
        let (reply, answer) = oneshot::channel();
        let command = Command::Add {
            key: key.to_string(),
            by,
            reply,
        };
        self.requests
            .send(command)
            .await
            .expect("the actor is running");
        answer.await.expect("the actor answers every request")
    }
}
// ANCHOR_END: handle
