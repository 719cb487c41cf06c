//! Streams: the async version of a generator. `Iterator::next` returns the
//! next item now; `Stream::poll_next` may answer "not yet" (`Pending`).

use crate::pause::{Pause, pause};
use futures::{Stream, StreamExt};
use std::pin::{Pin, pin};
use std::task::{Context, Poll, ready};

// ANCHOR: stream
/// Yields `n, n-1, ..., 1`, suspending once before each number.
pub struct CountdownStream {
    next: u32,
    /// The wait in progress before the next item, if one started.
    waiting: Option<Pause>,
}

pub fn countdown_stream(n: u32) -> CountdownStream {
    CountdownStream {
        next: n,
        waiting: None,
    }
}

impl Stream for CountdownStream {
    type Item = u32;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
        if self.next == 0 {
            return Poll::Ready(None); // the generator returned
        }
        let waiting = self.waiting.get_or_insert_with(pause);
        // `ready!` returns Pending from here if the wait is not over.
        ready!(Pin::new(waiting).poll(cx));
        self.waiting = None;
        let item = self.next;
        self.next -= 1;
        Poll::Ready(Some(item)) // the generator's `yield item`
    }
}
// ANCHOR_END: stream

// ANCHOR: unfold
/// The same stream from an `async` closure: `unfold` keeps the state (`n`)
/// between items, as a generator's frame would.
pub fn countdown_unfold(n: u32) -> impl Stream<Item = u32> {
    futures::stream::unfold(n, |n| async move {
        if n == 0 {
            return None;
        }
        pause().await;
        Some((n, n - 1))
    })
}
// ANCHOR_END: unfold

// ANCHOR: consume
/// `async for x in stream:` in Rust.
pub async fn collect_items(stream: impl Stream<Item = u32>) -> Vec<u32> {
    let mut stream = pin!(stream);
    let mut items = Vec::new();
    while let Some(item) = stream.next().await {
        items.push(item);
    }
    items
}
// ANCHOR_END: consume
