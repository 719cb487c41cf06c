// wrong: waking the waker is taken to be the yield itself, so it returns Ready at once and never gives the other futures a turn.
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
        if !self.yielded {
            self.yielded = true;
            // Tell the executor the others may run now.
            cx.waker().wake_by_ref();
        }
        Poll::Ready(())
    }
}
// ANCHOR_END: yield_now
