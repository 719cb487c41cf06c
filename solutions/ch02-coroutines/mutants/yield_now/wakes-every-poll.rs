// wrong: it wakes the waker on every poll, including the one that returns Ready, so the task gets a spurious wake-up after it finished.
//! # Exercise `yield_now`: give the other futures a turn
//!
//! Write `YieldNow`, the future behind `yield_now().await`: the first poll
//! returns `Pending` after asking to be polled again, the second returns
//! `Ready(())`. Awaiting it lets the futures that share the executor run
//! before this one continues, which is how a long loop stays polite.
//!
//! Book: chapter 2, "Cooperative scheduling: yield_now".
//! Check: `cargo workbook check yield_now`.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: yield_now
/// Suspends the current future once.
#[derive(Debug)]
pub struct YieldNow {
    /// True once the first poll has returned `Pending`.
    pub yielded: bool,
}

pub fn yield_now() -> YieldNow {
    YieldNow { yielded: false }
}

impl Future for YieldNow {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        // Back of the queue: the others run before we are polled again.
        cx.waker().wake_by_ref();
        if self.yielded {
            return Poll::Ready(());
        }
        self.yielded = true;
        Poll::Pending
    }
}
// ANCHOR_END: yield_now
