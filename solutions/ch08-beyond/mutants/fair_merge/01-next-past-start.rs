// wrong: next moves one past where this poll started, not past the stream that won, so a stream after a run of pending ones gets two turns in a row
//! # Exercise `fair_merge`: merge streams so that none starves another
//!
//! Write `poll_next` for `FairMerge`, which interleaves several streams into
//! one. Each poll starts with the stream after the one that yielded last, so
//! a stream that always has an item ready cannot crowd the others out, and
//! the merge ends only when every input has ended.
//!
//! Book: chapter 8, "Merging streams fairly". Check: `cargo workbook check fair_merge`.

use futures::Stream;
use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: merge
/// Given: the merged stream. `streams[i]` is `None` once stream `i` ended.
#[derive(Debug)]
pub struct FairMerge<S> {
    streams: Vec<Option<S>>,
    /// Index of the stream to ask first on the next poll.
    next: usize,
}

/// Given: merges `streams`; the first poll starts with `streams[0]`.
pub fn fair_merge<S: Stream + Unpin>(streams: Vec<S>) -> FairMerge<S> {
    FairMerge {
        streams: streams.into_iter().map(Some).collect(),
        next: 0,
    }
}

impl<S: Stream + Unpin> Stream for FairMerge<S> {
    type Item = S::Item;

    /// One round of turns, starting at `next` and wrapping around:
    ///
    /// - the first stream (in that order) that yields `Some(item)` wins:
    ///   return the item and set `next` to the stream *after the winner*
    ///   (not merely one past the previous start);
    /// - a stream that returns `None` has ended: mark it `None` and never
    ///   poll it again;
    /// - a `Pending` stream keeps its place; go on to the next one.
    ///
    /// Return `Ready(None)` when every stream has ended (at once, for an empty
    /// list), and `Pending` only after *every* live stream returned `Pending`
    /// in this call: each of them then holds the waker, so whichever gets an
    /// item first wakes the merge.
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = &mut *self;
        let len = this.streams.len();
        for offset in 0..len {
            let i = (this.next + offset) % len;
            let Some(stream) = this.streams[i].as_mut() else {
                continue;
            };
            match Pin::new(stream).poll_next(cx) {
                Poll::Ready(Some(item)) => {
                    this.next = (this.next + 1) % len;
                    return Poll::Ready(Some(item));
                }
                Poll::Ready(None) => this.streams[i] = None,
                Poll::Pending => {}
            }
        }
        if this.streams.iter().all(Option::is_none) {
            Poll::Ready(None)
        } else {
            Poll::Pending
        }
    }
}
// ANCHOR_END: merge
