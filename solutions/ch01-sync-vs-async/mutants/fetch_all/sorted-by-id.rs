// wrong: the responses are sorted by id after join_all, so they no longer follow the order of the ids the caller gave.
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
    let requests = ids.iter().map(|&id| service.fetch(id));
    let mut responses = futures::future::join_all(requests).await;
    // Keep the output tidy.
    responses.sort_by_key(|response| response.id);
    responses
}
// ANCHOR_END: fetch_all
