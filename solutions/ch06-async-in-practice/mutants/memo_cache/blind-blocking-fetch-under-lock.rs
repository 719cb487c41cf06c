// wrong: no .await under the lock is not enough: calling the blocking fetch while holding it blocks the event loop's thread and serializes every get.
//! # Exercise `memo_cache`: a cache behind a `std::sync::Mutex`, never held across `.await`
//!
//! Put a cache in front of a slow service. The map sits behind a plain
//! `std::sync::Mutex`, the right lock for short critical sections in async
//! code, as long as its guard is dropped before any `.await`: held across the
//! fetch, it would block the event loop's thread when a second task asks.
//!
//! Book: chapter 6, "Locks in async code". Check: `cargo workbook check memo_cache`.

use kit::slow::{Response, SlowService};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Remembers the service's answers, so each id is fetched once.
#[derive(Debug)]
pub struct Cache {
    service: Arc<SlowService>,
    entries: Mutex<HashMap<u64, Response>>,
}

// ANCHOR: cache
impl Cache {
    /// An empty cache in front of `service`.
    pub fn new(service: Arc<SlowService>) -> Self {
        Cache {
            service,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The answer for `id`: from the cache if present, otherwise fetched
    /// from the service and stored. Different ids are fetched concurrently.
    pub async fn get(&self, id: u64) -> Response {
        // Everything under one short lock, with no .await inside it: the
        // blocking call keeps the guard from ever crossing an await point.
        let mut entries = self.entries.lock().unwrap();
        entries
            .entry(id)
            .or_insert_with(|| self.service.fetch_blocking(id))
            .clone()
    }
}
// ANCHOR_END: cache
