// wrong: Pending is returned without waking the waker, so an executor never polls the countdown again.
//! # Exercise `countdown`: a future that finishes after n polls
//!
//! Write `Future::poll` for `Countdown`: it returns `Pending` `n` times and
//! then `Ready(())`. Each time it returns `Pending` it must make sure it gets
//! polled again, by waking its own waker, or an executor would never come back.
//!
//! Book: chapter 2, "The Future trait". Check: `cargo workbook check countdown`.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: countdown
/// A future that needs `remaining + 1` polls: `Pending` `remaining` times,
/// then `Ready(())`.
#[derive(Debug)]
pub struct Countdown {
    /// How many more times `poll` must return `Pending`.
    pub remaining: u32,
}

/// Creating the future runs nothing: no poll happens until someone awaits it.
pub fn countdown(n: u32) -> Countdown {
    Countdown { remaining: n }
}

impl Future for Countdown {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.remaining == 0 {
            return Poll::Ready(());
        }
        // The executor will poll us again: we are not finished yet.
        self.remaining -= 1;
        Poll::Pending
    }
}
// ANCHOR_END: countdown
