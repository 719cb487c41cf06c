//! A fake slow service: every call waits for a set latency, then answers.
//!
//! It stands in for a database or an HTTP API in demos and exercises. The
//! async [`SlowService::fetch`] waits with `tokio::time::sleep`, so under
//! tokio's paused clock (`#[tokio::test(start_paused = true)]`) a 100 ms
//! call takes exactly 100 ms of *virtual* time and no real time at all.
//! The blocking [`SlowService::fetch_blocking`] really sleeps the thread.
//!
//! The service counts calls and the peak number of calls in flight at once:
//! sequential code peaks at 1, concurrent code at the number of calls.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// What the service answers: the id asked for and a body derived from it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Response {
    /// The id that was requested.
    pub id: u64,
    /// A body that depends only on the id (`"item-<id>"`).
    pub body: String,
}

impl Response {
    /// The response the service gives for `id`.
    pub fn for_id(id: u64) -> Self {
        Response {
            id,
            body: format!("item-{id}"),
        }
    }
}

/// A service whose calls take a known time and which records concurrency.
pub struct SlowService {
    latency: Box<dyn Fn(u64) -> Duration + Send + Sync>,
    calls: AtomicUsize,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
    started: Mutex<Vec<u64>>,
}

impl std::fmt::Debug for SlowService {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SlowService")
            .field("calls", &self.calls())
            .field("peak_in_flight", &self.peak_in_flight())
            .finish_non_exhaustive()
    }
}

impl SlowService {
    /// Every call takes `latency`.
    pub fn uniform(latency: Duration) -> Self {
        Self::with_latency(move |_| latency)
    }

    /// Call `id` takes `latencies[id]` (ids past the end take the last one).
    pub fn from_latencies(latencies: Vec<Duration>) -> Self {
        assert!(!latencies.is_empty(), "give at least one latency");
        Self::with_latency(move |id| {
            let index = (id as usize).min(latencies.len() - 1);
            latencies[index]
        })
    }

    /// Call `id` takes `latency(id)`.
    pub fn with_latency(latency: impl Fn(u64) -> Duration + Send + Sync + 'static) -> Self {
        SlowService {
            latency: Box::new(latency),
            calls: AtomicUsize::new(0),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
            started: Mutex::new(Vec::new()),
        }
    }

    /// The latency of a call for `id`.
    pub fn latency_of(&self, id: u64) -> Duration {
        (self.latency)(id)
    }

    /// Asks for `id`; completes after the call's latency (tokio timer).
    pub async fn fetch(&self, id: u64) -> Response {
        let _call = self.begin(id);
        tokio::time::sleep(self.latency_of(id)).await;
        Response::for_id(id)
    }

    /// Asks for `id`; blocks the calling thread for the call's latency.
    pub fn fetch_blocking(&self, id: u64) -> Response {
        let _call = self.begin(id);
        std::thread::sleep(self.latency_of(id));
        Response::for_id(id)
    }

    /// Total calls started so far.
    pub fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    /// The largest number of calls that were in flight at the same time.
    pub fn peak_in_flight(&self) -> usize {
        self.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Ids in the order their calls started.
    pub fn start_order(&self) -> Vec<u64> {
        self.started.lock().unwrap().clone()
    }

    fn begin(&self, id: u64) -> CallGuard<'_> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.started.lock().unwrap().push(id);
        let now = self.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        CallGuard { service: self }
    }
}

/// Marks a call finished when dropped, also when the call is cancelled
/// (its future dropped before completion).
struct CallGuard<'a> {
    service: &'a SlowService,
}

impl Drop for CallGuard<'_> {
    fn drop(&mut self) {
        self.service.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::time::Instant;

    #[tokio::test(start_paused = true)]
    async fn concurrent_calls_take_the_longest_latency_in_virtual_time() {
        let service = SlowService::from_latencies(vec![
            Duration::from_millis(100),
            Duration::from_millis(300),
        ]);
        let start = Instant::now();
        let (a, b) = tokio::join!(service.fetch(0), service.fetch(1));
        assert_eq!(start.elapsed(), Duration::from_millis(300));
        assert_eq!((a.id, b.id), (0, 1));
        assert_eq!(service.peak_in_flight(), 2);
        assert_eq!(service.calls(), 2);
    }
}
