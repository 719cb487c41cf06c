// wrong: the waker is stored only when none is stored yet, so after the task moves a push wakes the old, stale waker
//! # Exercise `hand_stream`: a `Stream` written by hand that keeps its waker
//!
//! Write `poll_next` for `Feed`, the receiving end of a hand-made queue: it
//! yields the items pushed through the `Feeder` in order, is `Pending` while
//! the queue is empty, and ends once the feeder is dropped. A pending stream
//! must keep the latest waker so that a push (or the drop) wakes it.
//!
//! Book: chapter 8, "Writing a stream by hand". Check: `cargo workbook check hand_stream`.

use futures::Stream;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

// ANCHOR: shared
/// Given: the state both ends share, behind one lock.
#[derive(Debug)]
struct Shared<T> {
    /// Items pushed and not yet yielded, oldest first.
    queue: VecDeque<T>,
    /// The waker of the last `poll_next` that returned `Pending`, if any.
    waiting: Option<Waker>,
    /// Set when the `Feeder` is dropped: no more items will come.
    closed: bool,
}

/// Given: the sending end. Not `Clone`: one feeder, and its drop ends the stream.
#[derive(Debug)]
pub struct Feeder<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

/// The receiving end: a `Stream` of the pushed items.
#[derive(Debug)]
pub struct Feed<T> {
    shared: Arc<Mutex<Shared<T>>>,
}

/// Given: a connected pair.
pub fn feed<T>() -> (Feeder<T>, Feed<T>) {
    let shared = Arc::new(Mutex::new(Shared {
        queue: VecDeque::new(),
        waiting: None,
        closed: false,
    }));
    let feeder = Feeder {
        shared: Arc::clone(&shared),
    };
    (feeder, Feed { shared })
}

impl<T> Feeder<T> {
    /// Given: queues `item` and wakes the stream if it is waiting.
    pub fn push(&self, item: T) {
        let waiting = {
            let mut shared = self.shared.lock().unwrap();
            shared.queue.push_back(item);
            shared.waiting.take()
        };
        // Wake outside the lock: the woken task may poll (and lock) at once.
        if let Some(waker) = waiting {
            waker.wake();
        }
    }
}

impl<T> Drop for Feeder<T> {
    /// Given: marks the stream closed and wakes it, so that it can see the end.
    fn drop(&mut self) {
        let waiting = {
            let mut shared = self.shared.lock().unwrap();
            shared.closed = true;
            shared.waiting.take()
        };
        if let Some(waker) = waiting {
            waker.wake();
        }
    }
}
// ANCHOR_END: shared

// ANCHOR: poll_next
impl<T> Stream for Feed<T> {
    type Item = T;

    /// - `Ready(Some(item))`: the oldest queued item, even after the feeder
    ///   was dropped (items pushed before the drop are all delivered).
    /// - `Ready(None)`: the queue is empty and the feeder is gone; every
    ///   later call returns `Ready(None)` too.
    /// - `Pending`: the queue is empty and the feeder still exists. Before
    ///   returning it, store this call's waker in `waiting`, replacing an
    ///   older one (the task may have moved: only the latest waker counts).
    ///   Never wake the waker yourself: the feeder does that when there is
    ///   something to see, and a stream that wakes itself keeps its task busy.
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut shared = self.shared.lock().unwrap();
        if let Some(item) = shared.queue.pop_front() {
            return Poll::Ready(Some(item));
        }
        if shared.closed {
            return Poll::Ready(None);
        }
        if shared.waiting.is_none() {
            shared.waiting = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}
// ANCHOR_END: poll_next
