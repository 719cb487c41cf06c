// wrong: each fetch is awaited inside the loop before the next one is built, so the requests run one after another and the batch takes the sum of the latencies.
//! # Exercise `fetch_all`: wait for many requests at once
//!
//! Fetch every id from the slow service *concurrently*, so that the whole
//! batch takes as long as the slowest request instead of the sum of all of
//! them, and return the responses in the order of the ids.
//!
//! Book: chapter 1, "Concurrent waiting with async tasks". Check: `cargo workbook check fetch_all`.

use kit::slow::{Response, SlowService};

// ANCHOR: fetch_all
/// Fetches every id at the same time; `result[i]` answers `ids[i]`.
pub async fn fetch_all(service: &SlowService, ids: &[u64]) -> Vec<Response> {
    let mut responses = Vec::with_capacity(ids.len());
    for &id in ids {
        let response = service.fetch(id).await;
        responses.push(response);
    }
    responses
}
// ANCHOR_END: fetch_all
