// wrong: both outputs are take()n before checking that both are in, so the output of the side that finished first is thrown away and the Join never completes.
//! # Exercise `join_pair`: wait for two futures at once
//!
//! Write `poll` for `Join`, the hand-made version of `join!` (Python's
//! `asyncio.gather` of two awaitables). Each poll gives every unfinished
//! future a turn, keeps the outputs that arrive, and never polls a future
//! that has finished; `Join` is ready when both outputs are in.
//!
//! Book: chapter 2, "Combining futures by hand: join and select".
//! Check: `cargo workbook check join_pair`.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: join
/// Runs `a` and `b` concurrently and returns both outputs.
pub struct Join<A: Future, B: Future> {
    /// `Some` while `a` is still running; `None` once it finished.
    pub a: Option<A>,
    pub b: Option<B>,
    /// The outputs that have arrived so far.
    pub a_output: Option<A::Output>,
    pub b_output: Option<B::Output>,
}

pub fn join<A: Future, B: Future>(a: A, b: B) -> Join<A, B> {
    Join {
        a: Some(a),
        b: Some(b),
        a_output: None,
        b_output: None,
    }
}

// `Join` never pins its outputs, and the futures are `Unpin`, so moving a
// `Join` around is harmless: this lets `poll` use `&mut self` fields.
impl<A: Future + Unpin, B: Future + Unpin> Unpin for Join<A, B> {}

impl<A: Future + Unpin, B: Future + Unpin> Future for Join<A, B> {
    type Output = (A::Output, B::Output);

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = &mut *self;
        if let Some(a) = this.a.as_mut()
            && let Poll::Ready(output) = Pin::new(a).poll(cx)
        {
            this.a_output = Some(output);
            // A finished future must never be polled again.
            this.a = None;
        }
        if let Some(b) = this.b.as_mut()
            && let Poll::Ready(output) = Pin::new(b).poll(cx)
        {
            this.b_output = Some(output);
            this.b = None;
        }
        match (this.a_output.take(), this.b_output.take()) {
            (Some(a_output), Some(b_output)) => Poll::Ready((a_output, b_output)),
            _ => Poll::Pending,
        }
    }
}
// ANCHOR_END: join
