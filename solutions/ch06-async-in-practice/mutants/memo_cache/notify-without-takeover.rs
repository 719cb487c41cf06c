// wrong: single flight with a Notify: waiters are woken when the fetch ends, but nobody wakes them (or fetches) if the fetching get is cancelled
//! # Exercise `memo_cache`: a single-flight cache behind a `std::sync::Mutex`
//!
//! Put a cache in front of a slow service, so that each id is fetched once
//! even when many tasks ask for it at the same time. The map sits behind a
//! plain `std::sync::Mutex`, the right lock for short critical sections in
//! async code, as long as its guard is dropped before any `.await`: held
//! across the fetch, it would block the event loop's thread when a second
//! task asks.
//!
//! Book: chapter 6, "Locks in async code". Check: `cargo workbook check memo_cache`.

use kit::slow::{Response, SlowService};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use tokio::sync::Notify;

/// Remembers the service's answers, so each id is fetched once.
///
/// The map holds one cell per id that was ever asked for. The first get of
/// an id fills the cell; gets of the same id that arrive while the fetch is
/// running wait for that fetch instead of starting their own
/// ("single flight").
/// A fetched answer, or a fetch in progress that others wait on.
#[derive(Debug, Clone)]
enum Slot {
    Ready(Response),
    Fetching(Arc<Notify>),
}

#[derive(Debug)]
pub struct Cache {
    service: Arc<SlowService>,
    entries: Mutex<HashMap<u64, Slot>>,
    // (the wrong answer keeps its own map type)
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
    /// from the service and stored.
    ///
    /// - Gets of different ids are fetched concurrently.
    /// - Gets of the same id share one fetch: however many ask at once, the
    ///   service sees one call.
    /// - If the get that is fetching is cancelled (its future dropped), a get
    ///   still waiting for the same id takes over and fetches it.
    pub async fn get(&self, id: u64) -> Response {
        loop {
            let waiting = {
                let mut entries = self.entries.lock().unwrap();
                match entries.get(&id).cloned() {
                    Some(Slot::Ready(hit)) => return hit,
                    Some(Slot::Fetching(done)) => done,
                    None => {
                        entries.insert(id, Slot::Fetching(Arc::new(Notify::new())));
                        break;
                    }
                }
            };
            // Register before re-checking would be better; the real bug is
            // that nobody wakes us if the fetching get is cancelled.
            let notified = waiting.notified();
            if matches!(self.entries.lock().unwrap().get(&id), Some(Slot::Ready(_))) {
                continue;
            }
            notified.await;
        }
        let fresh = self.service.fetch(id).await;
        let previous = self
            .entries
            .lock()
            .unwrap()
            .insert(id, Slot::Ready(fresh.clone()));
        if let Some(Slot::Fetching(done)) = previous {
            done.notify_waiters();
        }
        fresh
    }
}
// ANCHOR_END: cache
