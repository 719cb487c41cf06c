//! # Exercise `callback_future`: turn a callback API into a future
//!
//! Many libraries report completion by calling a function you give them.
//! Write `from_callback`, which hands such an API a callback and returns a
//! future that completes with the value the callback receives. The future
//! and the callback share a slot for the value and the waker to call.
//!
//! Book: chapter 2, "From callbacks to futures".
//! Check: `cargo workbook check callback_future`.

use std::pin::Pin;
// `std::sync`, or loom's under `--cfg loom` (see `sync.rs`).
use crate::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

// ANCHOR: shared
/// A callback the API calls once, maybe from another thread.
pub type Callback<T> = Box<dyn FnOnce(T) + Send>;

/// What the future and the callback share.
#[derive(Debug)]
pub struct Shared<T> {
    /// The value, once the callback has delivered it.
    pub value: Option<T>,
    /// The waker of the last poll, to call when the value arrives.
    pub waker: Option<Waker>,
}

/// Completes with the value passed to the callback.
#[derive(Debug)]
pub struct CallbackFuture<T> {
    pub shared: Arc<Mutex<Shared<T>>>,
}
// ANCHOR_END: shared

// ANCHOR: from_callback
/// Calls `register` with a callback, and returns a future for the value
/// that callback will receive.
pub fn from_callback<T: Send + 'static>(register: impl FnOnce(Callback<T>)) -> CallbackFuture<T> {
    let shared = Arc::new(Mutex::new(Shared {
        value: None,
        waker: None,
    }));
    let for_callback = Arc::clone(&shared);
    register(Box::new(move |value| {
        let mut shared = for_callback.lock().unwrap();
        shared.value = Some(value);
        // Whoever polled last is waiting: tell it to poll again.
        if let Some(waker) = shared.waker.take() {
            waker.wake();
        }
    }));
    CallbackFuture { shared }
}
// ANCHOR_END: from_callback

// ANCHOR: poll
impl<T> Future for CallbackFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // Check and store under one lock, so a callback firing between the
        // two cannot slip through unseen.
        let mut shared = self.shared.lock().unwrap();
        if let Some(value) = shared.value.take() {
            return Poll::Ready(value);
        }
        // Keep the waker of *this* poll: the future may have moved to another
        // task since the last one, and an old waker would wake the wrong one.
        shared.waker = Some(cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: poll
