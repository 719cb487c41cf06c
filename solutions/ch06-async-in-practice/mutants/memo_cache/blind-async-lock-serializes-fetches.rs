// wrong: different ids must be fetched concurrently: an async lock held across every fetch (to avoid duplicate fetches) makes all gets wait in line.
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
    fetching: tokio::sync::Mutex<()>,
}

// ANCHOR: cache
impl Cache {
    /// An empty cache in front of `service`.
    pub fn new(service: Arc<SlowService>) -> Self {
        Cache {
            service,
            entries: Mutex::new(HashMap::new()),
            fetching: tokio::sync::Mutex::new(()),
        }
    }

    /// The answer for `id`: from the cache if present, otherwise fetched
    /// from the service and stored. Different ids are fetched concurrently.
    pub async fn get(&self, id: u64) -> Response {
        if let Some(hit) = self.entries.lock().unwrap().get(&id).cloned() {
            return hit;
        }
        // One fetch at a time, so the same id is never fetched twice; a
        // tokio lock may be held across .await.
        let _fetching = self.fetching.lock().await;
        if let Some(hit) = self.entries.lock().unwrap().get(&id).cloned() {
            return hit;
        }
        let response = self.service.fetch(id).await;
        self.entries.lock().unwrap().insert(id, response.clone());
        response
    }
}
// ANCHOR_END: cache
