//! # Exercise `batch_by_deadline`: group a stream into batches by size or time
//!
//! Write `batches`, a stream adapter that collects items into `Vec`s of at
//! most `max` items, sending a batch early when `wait` has passed since its
//! first item arrived. It is what a log shipper or a database writer does:
//! few large writes when traffic is heavy, little delay when it is light.
//!
//! Book: chapter 8, "Batching by size or deadline". Check: `cargo workbook check batch_by_deadline`.

use futures::stream::{BoxStream, Stream, StreamExt};
use std::time::Duration;

// ANCHOR: contract
/// Groups `items` into batches.
///
/// - A batch is sent as soon as it holds `max` items.
/// - Otherwise it is sent when `wait` has passed since its *first* item
///   arrived (not since the previous batch, and not since its latest item:
///   a steady trickle must not hold a batch back forever).
/// - No clock runs while no batch is open: after a quiet spell, the first
///   item starts a fresh `wait`.
/// - When `items` ends, the open batch (if any) is sent at once, then the
///   stream of batches ends.
/// - A batch is never empty, and items keep their order.
/// - An item that arrives at the very instant of a deadline may join that
///   batch or open the next one; the tests never depend on which.
/// - Time is tokio's (`tokio::time`), so tests run it on the paused clock.
///
/// # Panics
/// If `max` is 0, with the message "batches: max must be at least 1".
pub fn batches<S>(items: S, max: usize, wait: Duration) -> BoxStream<'static, Vec<S::Item>>
where
    S: Stream + Send + 'static,
    S::Item: Send + 'static,
    // ANCHOR_END: contract
{
    assert!(max >= 1, "batches: max must be at least 1");
    let start = Open {
        items: items.boxed(),
        ended: false,
    };
    futures::stream::unfold(start, move |state| next_batch(state, max, wait)).boxed()
}

/// The adapter's state between two batches.
struct Open<T> {
    items: BoxStream<'static, T>,
    /// The input ended while the last batch was being filled.
    ended: bool,
}

/// Waits for a first item, then fills the batch until it is full, the
/// deadline passes, or the input ends.
async fn next_batch<T>(
    mut state: Open<T>,
    max: usize,
    wait: Duration,
) -> Option<(Vec<T>, Open<T>)> {
    if state.ended {
        return None;
    }
    // No deadline yet: an empty batch never goes out, so nothing to time.
    let first = state.items.next().await?;
    let mut batch = vec![first];
    let deadline = tokio::time::sleep(wait);
    tokio::pin!(deadline);
    while batch.len() < max {
        tokio::select! {
            // Items first: one that is already here joins this batch.
            biased;
            next = state.items.next() => match next {
                Some(item) => batch.push(item),
                None => {
                    state.ended = true;
                    break;
                }
            },
            () = &mut deadline => break,
        }
    }
    Some((batch, state))
}
