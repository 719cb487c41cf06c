// wrong: the consumer must process items one at a time: spawning a task per received item drains the queue at once, so the producer never feels any backpressure.
//! # Exercise `backpressure`: a producer/consumer pipeline with a bounded queue
//!
//! Connect a fast producer to a slow consumer through a bounded `mpsc`
//! channel, so that the producer waits whenever the queue is full instead of
//! piling up items in memory (asyncio's `Queue(maxsize=...)`).
//!
//! Book: chapter 6, "Queues and backpressure". Check: `cargo workbook check backpressure`.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// Given: records how far the producer runs ahead of the consumer.
#[derive(Debug, Default)]
pub struct Probe {
    produced: AtomicU64,
    consumed: AtomicU64,
    max_ahead: AtomicU64,
}

impl Probe {
    /// Call right after an item was handed to the queue.
    pub fn produced(&self) {
        let produced = self.produced.fetch_add(1, Ordering::SeqCst) + 1;
        let ahead = produced - self.consumed.load(Ordering::SeqCst);
        self.max_ahead.fetch_max(ahead, Ordering::SeqCst);
    }

    /// Call right after an item was fully processed.
    pub fn consumed(&self) {
        self.consumed.fetch_add(1, Ordering::SeqCst);
    }

    /// The largest number of items produced but not yet processed.
    pub fn max_ahead(&self) -> u64 {
        self.max_ahead.load(Ordering::SeqCst)
    }
}

// ANCHOR: pipeline
/// Produces the items `0..count` and processes each one, `work` per item.
///
/// The producer sends each item into an `mpsc` channel of `capacity` slots
/// and calls `probe.produced()` once the send is done; the consumer receives
/// items, sleeps `work` for each (the processing), calls `probe.consumed()`
/// and keeps the item. Returns the processed items in order, once the
/// producer is finished and the queue is drained.
pub async fn pipeline(count: u64, capacity: usize, work: Duration, probe: Arc<Probe>) -> Vec<u64> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel(capacity);
    let producer_probe = Arc::clone(&probe);
    let producer = tokio::spawn(async move {
        for item in 0..count {
            sender
                .send(item)
                .await
                .expect("the consumer outlives the producer");
            producer_probe.produced();
        }
    });
    // Process items concurrently, like create_task per item in asyncio.
    let mut workers = Vec::new();
    while let Some(item) = receiver.recv().await {
        let worker_probe = Arc::clone(&probe);
        workers.push(tokio::spawn(async move {
            tokio::time::sleep(work).await;
            worker_probe.consumed();
            item
        }));
    }
    producer.await.expect("the producer panicked");
    let mut processed = Vec::new();
    for worker in workers {
        processed.push(worker.await.expect("a worker panicked"));
    }
    processed
}
// ANCHOR_END: pipeline
