// Tests for exercise `backpressure` (chapter 6, "Queues and backpressure").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The consumer's work is a tokio sleep, so on the paused clock the pipeline's
// duration is exact virtual time; the probe counts how far ahead the
// producer ran.

use ch06_exercises::backpressure::{Probe, pipeline};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

const WORK: Duration = Duration::from_millis(10);

/// Runs the pipeline; an hour of virtual time is the net for one that never ends.
async fn run(count: u64, capacity: usize) -> (Vec<u64>, Duration, Arc<Probe>) {
    let probe = Arc::new(Probe::default());
    let start = Instant::now();
    let work = pipeline(count, capacity, WORK, Arc::clone(&probe));
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(items) => (items, start.elapsed(), probe),
        Err(_) => panic!(
            "the pipeline of {count} items (queue of {capacity}) had not finished after an hour \
             of virtual time. Either the producer waits on a full queue that nobody empties \
             (did you await the producer before starting to consume?), or the consumer waits \
             for an item that never comes (recv() returns None only once every Sender is dropped)."
        ),
    }
}

#[tokio::test(start_paused = true)]
async fn the_producer_waits_when_the_queue_is_full() {
    let (_, _, probe) = run(20, 4).await;
    let ahead = probe.max_ahead();
    assert!(
        ahead <= 5,
        "with a queue of 4 the producer may run at most 5 items ahead (4 queued + 1 being \
         processed), but it ran {ahead} ahead: is the channel bounded (mpsc::channel(capacity), \
         not unbounded_channel), and is the item counted after `send(...).await` returns?"
    );
}

#[tokio::test(start_paused = true)]
async fn the_queue_lets_the_producer_run_capacity_items_ahead() {
    let (_, _, probe) = run(20, 4).await;
    let ahead = probe.max_ahead();
    assert_eq!(
        ahead, 5,
        "with a queue of 4 the producer should fill it while the consumer works on one item \
         (5 ahead), but it only got {ahead} ahead: is the channel created with `capacity` slots?"
    );
}

#[tokio::test(start_paused = true)]
async fn every_item_is_processed_in_order_and_the_pipeline_ends() {
    let (items, took, _) = run(20, 4).await;
    let expected: Vec<u64> = (0..20).collect();
    assert_eq!(
        items, expected,
        "the consumer must see every item once, in order"
    );
    assert_eq!(
        took,
        Duration::from_millis(200),
        "20 items of 10 ms of processing take 200 ms when producer and consumer overlap, \
         got {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_queue_of_one_still_delivers_everything() {
    let (items, _, probe) = run(5, 1).await;
    assert_eq!(items, vec![0, 1, 2, 3, 4], "every item arrives, in order");
    assert_eq!(
        probe.max_ahead(),
        2,
        "a queue of 1 lets the producer run 2 ahead (1 queued + 1 being processed), got {}",
        probe.max_ahead()
    );
}
