// wrong: the deadline starts when the previous batch is sent, not when the new batch's first item arrives, so after a quiet spell the first item is sent alone at once
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
    let input = items.boxed();
    futures::stream::unfold((input, false), move |(mut input, ended)| async move {
        if ended {
            return None;
        }
        let deadline = tokio::time::sleep(wait);
        tokio::pin!(deadline);
        let first = input.next().await?;
        let mut batch = vec![first];
        let mut ended = false;
        while batch.len() < max {
            tokio::select! {
                item = input.next() => match item {
                    Some(item) => batch.push(item),
                    None => {
                        ended = true;
                        break;
                    }
                },
                _ = &mut deadline => break,
            }
        }
        Some((batch, (input, ended)))
    })
    .boxed()
}
