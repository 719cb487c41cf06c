// Tests for exercise `backpressure` (chapter 6, "Queues and backpressure").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The consumer's work is a tokio sleep, so on the paused clock the pipeline's
// duration is exact virtual time; the probe counts how far ahead the
// producer ran. Every test runs under the watchdog, so a pipeline that blocks
// its thread fails with "deadlock suspected" instead of hanging.

use ch06_exercises::backpressure::{Probe, pipeline};
use paused::paused;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

const WORK: Duration = Duration::from_millis(10);

/// Runs the pipeline on a one-thread runtime with tokio's paused clock, under
/// the watchdog; an hour of virtual time is the net for one that never ends.
fn run(count: u64, capacity: usize) -> (Vec<u64>, Duration, Arc<Probe>) {
    paused(
        "the pipeline",
        "Nothing here needs real time: something blocked the runtime's only thread \
         (blocking_send, blocking_recv, a std::sync::mpsc channel?).",
        move || timed_pipeline(count, capacity),
    )
}

async fn timed_pipeline(count: u64, capacity: usize) -> (Vec<u64>, Duration, Arc<Probe>) {
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

/// How far ahead the producer must get: the queue full plus the item being processed.
fn expected_ahead(count: u64, capacity: usize) -> u64 {
    count.min(capacity as u64 + 1)
}

/// Checks the probe's "ahead" count in both directions, with a message for each.
fn check_ahead(count: u64, capacity: usize, ahead: u64) {
    let expected = expected_ahead(count, capacity);
    assert!(
        ahead <= expected,
        "{count} items through a queue of {capacity}: the producer may run at most {expected} \
         items ahead of the consumer ({capacity} queued + 1 being processed), but it ran \
         {ahead} ahead. Too far ahead means the queue did not stop it: is the channel bounded \
         (`mpsc::channel(capacity)`, not `unbounded_channel` or a bigger capacity), and is \
         `probe.produced()` called after `send(...).await` returns, not before?"
    );
    assert!(
        ahead >= expected,
        "{count} items through a queue of {capacity}: the producer should fill the queue while \
         the consumer works on one item ({expected} ahead), but it only got {ahead} ahead. Too \
         little ahead means the producer waited when it did not need to: is the channel \
         smaller than `capacity`, does the producer wait for each item to be processed, or \
         does the consumer take items before the producer has sent them all (for example \
         consuming in the producer's task)?"
    );
}

#[test]
fn the_producer_waits_when_the_queue_is_full() {
    let (_, _, probe) = run(20, 4);
    let ahead = probe.max_ahead();
    assert!(
        ahead <= 5,
        "with a queue of 4 the producer may run at most 5 items ahead (4 queued + 1 being \
         processed), but it ran {ahead} ahead: is the channel bounded (mpsc::channel(capacity), \
         not unbounded_channel), and is the item counted after `send(...).await` returns?"
    );
}

#[test]
fn the_queue_lets_the_producer_run_capacity_items_ahead() {
    let (_, _, probe) = run(20, 4);
    check_ahead(20, 4, probe.max_ahead());
}

#[test]
fn the_ahead_count_follows_the_capacity() {
    for (count, capacity) in [(12, 2), (9, 7), (3, 10), (30, 16)] {
        let (items, _, probe) = run(count, capacity);
        assert_eq!(
            items.len() as u64,
            count,
            "{count} items through a queue of {capacity}: every item must arrive"
        );
        check_ahead(count, capacity, probe.max_ahead());
    }
}

#[test]
fn every_item_is_processed_in_order_and_the_pipeline_ends() {
    let (items, took, _) = run(20, 4);
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

#[test]
fn a_queue_of_one_still_delivers_everything() {
    let (items, _, probe) = run(5, 1);
    assert_eq!(items, vec![0, 1, 2, 3, 4], "every item arrives, in order");
    check_ahead(5, 1, probe.max_ahead());
}

#[test]
fn no_items_and_one_item_end_cleanly() {
    let (none, took_none, probe_none) = run(0, 3);
    assert!(
        none.is_empty() && took_none == Duration::ZERO && probe_none.max_ahead() == 0,
        "with nothing to produce the pipeline returns an empty list at once; got {none:?} after \
         {took_none:?}"
    );
    let (one, took_one, probe_one) = run(1, 3);
    assert_eq!(
        (one, took_one, probe_one.max_ahead()),
        (vec![0], WORK, 1),
        "one item: it is processed once (10 ms), and the producer is 1 ahead at most"
    );
}
