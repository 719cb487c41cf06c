// wrong: results come back in the order of ids: buffer_unordered yields them in the order they finish.
//! # Exercise `resilient_fetch`: timeouts, retries with backoff, bounded fan-out
//!
//! Write the client side every service needs: one call that gives up after a
//! timeout and retries with exponential backoff, then a fan-out that runs
//! many such calls at once but never more than `limit` at a time.
//!
//! Book: chapter 6, "Timeouts, retries and backoff". Check: `cargo workbook check resilient_fetch`.

use crate::service::{Fetch, FetchError};
use std::time::Duration;

/// How hard to try one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Each attempt is abandoned after this long (`FetchError::TimedOut`).
    pub timeout: Duration,
    /// Total number of attempts, at least 1.
    pub attempts: u32,
    /// Wait after the first failed attempt; each later wait doubles.
    pub first_backoff: Duration,
}

// ANCHOR: fetch_with_retry
/// Fetches `id`, retrying failed or timed-out attempts.
///
/// Attempt `k` (counting from 0) that fails is followed by a wait of
/// `first_backoff * 2^k`, then the next attempt. There is no wait after the
/// last attempt: its error is returned at once.
pub async fn fetch_with_retry<F: Fetch>(
    service: &F,
    id: u64,
    policy: &RetryPolicy,
) -> Result<String, FetchError> {
    let mut backoff = policy.first_backoff;
    let mut attempt = 1;
    loop {
        let outcome = match tokio::time::timeout(policy.timeout, service.fetch(id)).await {
            Ok(result) => result,
            Err(_elapsed) => Err(FetchError::TimedOut),
        };
        match outcome {
            Ok(answer) => return Ok(answer),
            Err(error) if attempt >= policy.attempts => return Err(error),
            Err(_) => {
                tokio::time::sleep(backoff).await;
                backoff *= 2;
                attempt += 1;
            }
        }
    }
}
// ANCHOR_END: fetch_with_retry

// ANCHOR: fetch_all_bounded
/// Fetches every id with [`fetch_with_retry`], at most `limit` at a time,
/// and returns the results in the order of `ids`.
///
/// # Panics
/// If `limit` is 0: "limit must be at least 1".
pub async fn fetch_all_bounded<F: Fetch>(
    service: &F,
    ids: &[u64],
    limit: usize,
    policy: &RetryPolicy,
) -> Vec<Result<String, FetchError>> {
    use futures::StreamExt;
    assert!(limit >= 1, "limit must be at least 1");
    // buffer_unordered keeps at most `limit` calls in flight.
    futures::stream::iter(ids)
        .map(|&id| fetch_with_retry(service, id, policy))
        .buffer_unordered(limit)
        .collect()
        .await
}
// ANCHOR_END: fetch_all_bounded
