//! The smallest useful future: `Pending` once, then `Ready`.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: pause
/// Suspends the caller once: the first poll wakes itself and returns
/// `Pending`, the second returns `Ready(())`.
#[derive(Debug, Default)]
pub struct Pause {
    paused: bool,
}

pub fn pause() -> Pause {
    Pause::default()
}

impl Future for Pause {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.paused {
            return Poll::Ready(());
        }
        self.paused = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: pause
