// wrong: the permit is bound to a name in the accept loop but not moved into the task, so it is returned as soon as the task is spawned
//! # Exercise `limits_and_shutdown`: an accept loop that bounds and drains
//!
//! Write the server's accept loop: at most `--maxclients` connections (a
//! semaphore; one over the limit gets `-ERR max number of clients
//! reached`), failed accepts retried with a growing pause instead of a spin,
//! idle clients timed out, and a graceful shutdown that stops accepting and
//! waits for every connection to finish what it is doing.
//!
//! Book: chapter 7, "Step 6: limits and graceful shutdown". Check: `cargo workbook check limits_and_shutdown`.

use std::future::Future;
use std::io;
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncWrite, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

// ANCHOR: accept_trait
/// Something connections come from: a `TcpListener`, or a scripted fake in
/// the tests.
pub trait Accept {
    type Conn: AsyncWrite + Unpin + Send + 'static;
    fn accept(&mut self) -> impl Future<Output = io::Result<Self::Conn>> + Send;
}

impl Accept for TcpListener {
    type Conn = TcpStream;
    async fn accept(&mut self) -> io::Result<TcpStream> {
        TcpListener::accept(self)
            .await
            .map(|(stream, _peer)| stream)
    }
}

/// What a client over the limit receives before the server closes it.
pub const TOO_MANY_CLIENTS: &[u8] = b"-ERR max number of clients reached\r\n";

/// The first pause after a failed `accept`, and the longest.
pub const FIRST_BACKOFF: Duration = Duration::from_millis(1);
pub const MAX_BACKOFF: Duration = Duration::from_secs(1);
// ANCHOR_END: accept_trait

// ANCHOR: gate
/// The connection limit (`--maxclients`): one semaphore permit per client,
/// held for as long as its connection task runs.
#[derive(Clone)]
pub struct Gate {
    slots: Arc<Semaphore>,
    max: usize,
}

impl Gate {
    pub fn new(max_clients: usize) -> Gate {
        Gate {
            slots: Arc::new(Semaphore::new(max_clients)),
            max: max_clients,
        }
    }

    /// A permit if a slot is free, at once; `None` if the server is full.
    /// Never waits: a client over the limit is told so, not queued.
    pub fn try_admit(&self) -> Option<OwnedSemaphorePermit> {
        // ANCHOR_END: gate
        Arc::clone(&self.slots).try_acquire_owned().ok()
    }

    /// Clients admitted and not yet gone.
    pub fn in_use(&self) -> usize {
        self.max - self.slots.available_permits()
    }
}

// ANCHOR: accept_with_backoff
/// The next connection. A failed `accept` (out of file descriptors, ...) is
/// retried after a pause that starts at `FIRST_BACKOFF` and doubles up to
/// `MAX_BACKOFF`: retrying at once would spin a core at 100 % while the
/// condition lasts. `None` once `stop` is cancelled.
pub async fn accept_with_backoff<A: Accept>(
    acceptor: &mut A,
    stop: &CancellationToken,
) -> Option<A::Conn> {
    // ANCHOR_END: accept_with_backoff
    let mut pause = FIRST_BACKOFF;
    loop {
        let accepted = tokio::select! {
            _ = stop.cancelled() => return None,
            accepted = acceptor.accept() => accepted,
        };
        match accepted {
            Ok(conn) => return Some(conn),
            Err(_) => {
                tokio::select! {
                    _ = stop.cancelled() => return None,
                    _ = tokio::time::sleep(pause) => {}
                }
                pause = (pause * 2).min(MAX_BACKOFF);
            }
        }
    }
}

// ANCHOR: idle
/// Runs `work` unless the client stays silent for `idle` first (`None`:
/// no limit). `None` means the timer won: close the connection.
pub async fn unless_idle<F: Future>(idle: Option<Duration>, work: F) -> Option<F::Output> {
    // ANCHOR_END: idle
    match idle {
        Some(limit) => tokio::time::timeout(limit, work).await.ok(),
        None => Some(work.await),
    }
}

// ANCHOR: serve
/// The accept loop: admits each connection through `gate` and runs
/// `handle(conn, stop)` for it in its own task; a connection over the limit
/// gets `TOO_MANY_CLIENTS` and is closed. When `stop` is cancelled it stops
/// accepting and returns only once every connection task has finished (each
/// handler sees `stop` too, finishes the command it is running, flushes
/// and returns).
pub async fn serve<A, H, Fut>(mut acceptor: A, gate: Gate, stop: CancellationToken, handle: H)
where
    A: Accept,
    H: Fn(A::Conn, CancellationToken) -> Fut,
    Fut: Future<Output = ()> + Send + 'static,
{
    // ANCHOR_END: serve
    let tracker = TaskTracker::new();
    while let Some(conn) = accept_with_backoff(&mut acceptor, &stop).await {
        match gate.try_admit() {
            Some(_permit) => {
                tracker.spawn(handle(conn, stop.clone()));
            }
            None => {
                tracker.spawn(reject(conn));
            }
        }
    }
    drop(acceptor);
    tracker.close();
    tracker.wait().await;
}

/// Tells a client over the limit why, then closes its connection.
async fn reject<S: AsyncWrite + Unpin>(mut conn: S) {
    let _ = conn.write_all(TOO_MANY_CLIENTS).await;
    let _ = conn.shutdown().await;
}
