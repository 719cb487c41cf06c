// wrong: at most four requests are in flight at once (`buffered(4)`), so a larger batch takes several rounds instead of as long as its slowest request.
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
    use futures::StreamExt;

    // Be gentle with the service: a few requests in flight are enough.
    const IN_FLIGHT: usize = 4;
    futures::stream::iter(ids.iter().map(|&id| service.fetch(id)))
        .buffered(IN_FLIGHT)
        .collect()
        .await
}
// ANCHOR_END: fetch_all
