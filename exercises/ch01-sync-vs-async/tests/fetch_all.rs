// Tests for exercise `fetch_all` (chapter 1, "Concurrent waiting with async tasks").
// They run on tokio's paused clock: `sleep(100 ms)` takes 100 ms of *virtual*
// time and no real time, so the tests measure exactly how the waits overlap.

use ch01_exercises::fetch_all::fetch_all;
use kit::slow::{Response, SlowService};
use std::time::Duration;
use tokio::time::Instant;

fn service(latencies_ms: &[u64]) -> SlowService {
    SlowService::from_latencies(
        latencies_ms
            .iter()
            .map(|&ms| Duration::from_millis(ms))
            .collect(),
    )
}

#[tokio::test(start_paused = true)]
async fn the_batch_takes_as_long_as_the_slowest_request() {
    let service = service(&[100, 300, 200]);
    let start = Instant::now();
    let responses = fetch_all(&service, &[0, 1, 2]).await;
    let took = start.elapsed();
    assert_eq!(responses.len(), 3, "one response per id");
    assert!(
        took != Duration::from_millis(600),
        "the three fetches took 600 ms of virtual time, the sum of 100 + 300 + 200: they were \
         awaited one after another. Start them all, then wait for all of them together."
    );
    assert_eq!(
        took,
        Duration::from_millis(300),
        "three concurrent fetches of 100, 300 and 200 ms should take 300 ms (the slowest), took {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn every_request_is_in_flight_at_once() {
    let service = service(&[50]);
    let ids: Vec<u64> = (0..100).collect();
    fetch_all(&service, &ids).await;
    assert_eq!(
        service.peak_in_flight(),
        100,
        "at most {} of the 100 requests were in flight at the same time: all of them should be \
         waiting together",
        service.peak_in_flight()
    );
    assert_eq!(service.calls(), 100, "each id is fetched exactly once");
}

#[tokio::test(start_paused = true)]
async fn responses_come_back_in_the_order_of_the_ids() {
    // The first id is the slowest, so completion order is the reverse of
    // the ids' order.
    let service = service(&[300, 200, 100]);
    let responses = fetch_all(&service, &[0, 1, 2]).await;
    let ids: Vec<u64> = responses.iter().map(|r| r.id).collect();
    assert_eq!(
        ids,
        vec![0, 1, 2],
        "responses came back in the order the requests finished ({ids:?}); result[i] must \
         answer ids[i]"
    );
    assert_eq!(responses[1], Response::for_id(1));
}

#[tokio::test(start_paused = true)]
async fn no_ids_means_no_requests_and_no_waiting() {
    let service = service(&[100]);
    let start = Instant::now();
    let responses = fetch_all(&service, &[]).await;
    assert!(responses.is_empty(), "no ids, no responses");
    assert_eq!(
        start.elapsed(),
        Duration::ZERO,
        "nothing to wait for takes no time"
    );
    assert_eq!(service.calls(), 0);
}

#[tokio::test(start_paused = true)]
async fn results_follow_the_callers_order_even_when_ids_are_unsorted() {
    // Ids are not positions: the caller may ask for 7, 3, 9, then 3 again.
    // Latency grows with the id, so neither sorting by id nor finishing
    // order gives the caller's order back.
    let service = SlowService::with_latency(|id| Duration::from_millis(10 * id));
    let asked = [7, 3, 9, 3, 1];
    let start = Instant::now();
    let responses = fetch_all(&service, &asked).await;
    let got: Vec<u64> = responses.iter().map(|r| r.id).collect();
    assert_eq!(
        got,
        asked.to_vec(),
        "asked for ids {asked:?} and got responses for {got:?}: result[i] must answer ids[i], \
         in the caller's order, duplicates included (no sorting, no finishing order)"
    );
    assert_eq!(
        responses[2],
        Response::for_id(9),
        "the third response must be id 9's"
    );
    assert_eq!(
        service.calls(),
        5,
        "each of the 5 ids is fetched, duplicates too"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_millis(90),
        "the slowest request (id 9, 90 ms) bounds the batch"
    );
}
