// wrong: the starts must be staggered: asking every replica at time 0 asks replicas that should never have been asked once an early one answers.
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
    use futures::StreamExt;
    // Ask everybody at once: the fastest replica wins, which is what the
    // stagger is for anyway.
    let mut racing: futures::stream::FuturesUnordered<_> = replicas
        .iter()
        .enumerate()
        .map(
            |(position, &replica)| async move { (position, replica, service.fetch(replica).await) },
        )
        .collect();
    let mut errors: Vec<Option<FetchError>> = vec![None; replicas.len()];
    while let Some((position, replica, result)) = racing.next().await {
        match result {
            Ok(answer) => return Ok((replica, answer)),
            Err(error) => errors[position] = Some(error),
        }
    }
    Err(errors.into_iter().flatten().collect())
}
// ANCHOR_END: first_success
