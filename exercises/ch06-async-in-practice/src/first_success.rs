//! # Exercise `first_success`: the first good answer of several, with staggered starts
//!
//! Ask the first replica in the list at once, the second after `stagger`,
//! the third after twice that, and so on (by position in the list, whatever
//! the replicas' ids), and return the first answer that succeeds; failures do
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
/// The replica at position `i` of `replicas` is asked `i * stagger` after the
/// start, unless a success came first; its id plays no part in the timing.
/// If every replica fails, returns all the errors in the order of `replicas`.
pub async fn first_success<F: Fetch>(
    service: &F,
    replicas: &[u64],
    stagger: Duration,
) -> Result<(u64, String), Vec<FetchError>> {
    // TODO: build one future per replica that sleeps `stagger * i` and then
    // calls `service.fetch(replica)`; put them in a
    // `futures::stream::FuturesUnordered` and take results as they finish.
    // Return the first success; keep the errors (by replica position) and
    // return them all if every replica fails.
    todo!()
}
// ANCHOR_END: first_success
