// wrong: the save must still be awaited: spawning it and returning at once tells the caller it is saved before the commit is done.
//! # Exercise `shield_save`: work that must finish even if its caller is cancelled
//!
//! Saving an order takes two steps, a write and a commit; a caller that gives
//! up halfway (a timeout, a client that hung up) must not leave a written but
//! uncommitted order behind. Make the save outlive its caller, the job that
//! `asyncio.shield` does in Python.
//!
//! Book: chapter 6, "Cancellation: dropping, shielding, tokens". Check: `cargo workbook check shield_save`.

use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Given: a store whose writes and commits take time.
#[derive(Debug, Default)]
pub struct Store {
    written: Mutex<Vec<u64>>,
    committed: Mutex<Vec<u64>>,
}

impl Store {
    /// How long [`Store::write`] takes.
    pub const WRITE: Duration = Duration::from_millis(60);
    /// How long [`Store::commit`] takes.
    pub const COMMIT: Duration = Duration::from_millis(40);

    /// Writes the order (takes [`Store::WRITE`]).
    pub async fn write(&self, order: u64) {
        tokio::time::sleep(Self::WRITE).await;
        self.written.lock().unwrap().push(order);
    }

    /// Commits a written order (takes [`Store::COMMIT`]).
    pub async fn commit(&self, order: u64) {
        tokio::time::sleep(Self::COMMIT).await;
        self.committed.lock().unwrap().push(order);
    }

    /// Orders written so far.
    pub fn written(&self) -> Vec<u64> {
        self.written.lock().unwrap().clone()
    }

    /// Orders committed so far.
    pub fn committed(&self) -> Vec<u64> {
        self.committed.lock().unwrap().clone()
    }
}

// ANCHOR: save_order
/// Writes then commits `order`, and returns once both are done.
///
/// If the future returned by `save_order` is dropped before it finishes,
/// the write and the commit still happen.
pub async fn save_order(store: Arc<Store>, order: u64) {
    // A spawned task survives its caller, so there is nothing left to wait for.
    tokio::spawn(async move {
        store.write(order).await;
        store.commit(order).await;
    });
}
// ANCHOR_END: save_order
