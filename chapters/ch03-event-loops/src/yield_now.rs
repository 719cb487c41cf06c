//! A `yield_now` that works on any executor, the home-made one included.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: yield_now
/// Returns `Pending` once, after waking its own task: the executor puts
/// the task at the back of its run queue and lets the others run.
pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

pub struct YieldNow {
    yielded: bool,
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: yield_now

/// Yields `times` times in a row.
pub async fn yield_many(times: usize) {
    for _ in 0..times {
        yield_now().await;
    }
}
