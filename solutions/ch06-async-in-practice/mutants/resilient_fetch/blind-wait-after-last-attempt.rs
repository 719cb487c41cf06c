// wrong: there is no wait after the last attempt: its error is returned at once instead of after one more backoff.
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
    let mut last_error = FetchError::TimedOut;
    for _attempt in 0..policy.attempts {
        match tokio::time::timeout(policy.timeout, service.fetch(id)).await {
            Ok(Ok(answer)) => return Ok(answer),
            Ok(Err(error)) => last_error = error,
            Err(_elapsed) => last_error = FetchError::TimedOut,
        }
        // Back off before trying again.
        tokio::time::sleep(backoff).await;
        backoff *= 2;
    }
    Err(last_error)
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
    assert!(limit >= 1, "limit must be at least 1");
    let permits = tokio::sync::Semaphore::new(limit);
    let permits = &permits;
    let calls = ids.iter().map(|&id| async move {
        let _permit = permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        fetch_with_retry(service, id, policy).await
    });
    futures::future::join_all(calls).await
}
// ANCHOR_END: fetch_all_bounded
