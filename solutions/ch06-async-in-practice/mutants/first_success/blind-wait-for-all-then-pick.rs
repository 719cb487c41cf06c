// wrong: the first success must end the race: gathering every replica's result and then picking the first Ok waits for the slowest (or a hung) replica and asks them all.
//! # Exercise `first_success`: the first good answer of several, with staggered starts
//!
//! Ask replica 0 at once, replica 1 after `stagger`, replica 2 after twice
//! that, and so on, and return the first answer that succeeds; failures do
//! not win, and replicas not yet started when a winner arrives are never
//! asked. Every call still running is cancelled by dropping it.
//!
//! Book: chapter 6, "Racing: select! and the first to finish". Check: `cargo workbook check first_success`.

use crate::service::{Fetch, FetchError};
use std::time::Duration;

// ANCHOR: first_success
/// Asks the `replicas` (ids for [`Fetch::fetch`]) with staggered starts and
/// returns `(replica, answer)` of the first success.
///
/// Replica `i` is asked `i * stagger` after the start, unless a success came
/// first. If every replica fails, returns all the errors in replica order.
pub async fn first_success<F: Fetch>(
    service: &F,
    replicas: &[u64],
    stagger: Duration,
) -> Result<(u64, String), Vec<FetchError>> {
    // gather everything, then pick the best answer in replica order.
    let attempts = replicas
        .iter()
        .enumerate()
        .map(|(position, &replica)| async move {
            tokio::time::sleep(stagger * position as u32).await;
            (replica, service.fetch(replica).await)
        });
    let results = futures::future::join_all(attempts).await;
    let mut errors = Vec::new();
    for (replica, result) in results {
        match result {
            Ok(answer) => return Ok((replica, answer)),
            Err(error) => errors.push(error),
        }
    }
    Err(errors)
}
// ANCHOR_END: first_success
