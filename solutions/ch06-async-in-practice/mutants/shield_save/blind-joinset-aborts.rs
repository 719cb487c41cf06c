// wrong: a JoinSet is a TaskGroup: dropping it aborts its tasks, so it does not shield the save from a cancelled caller the way a plain JoinHandle does.
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
    // Keep the save in a task group, so that no task leaks past this call.
    let mut saving = tokio::task::JoinSet::new();
    saving.spawn(async move {
        store.write(order).await;
        store.commit(order).await;
    });
    saving
        .join_next()
        .await
        .expect("the set holds the save")
        .expect("the save task panicked");
}
// ANCHOR_END: save_order
