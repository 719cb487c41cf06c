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
    // TODO: create the shared state (`Arc<Mutex<Shared<T>>>`), give `register` a
    // boxed callback that stores the value and wakes the stored waker, and
    // return the future holding the other `Arc`.
    todo!()
}
// ANCHOR_END: from_callback

// ANCHOR: poll
impl<T> Future for CallbackFuture<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        // TODO: under the lock: Ready with the value if it arrived; otherwise store
        // this poll's waker and return Pending.
        todo!()
    }
}
// ANCHOR_END: poll
