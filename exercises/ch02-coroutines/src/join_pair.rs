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
        // TODO: poll `a` if it is still running (`Pin::new(a).poll(cx)`); on Ready keep
        // its output and set `self.a = None`. Same for `b`. Return Pending while
        // either still runs; else Ready with both outputs. (`let this = &mut *self;`)
        todo!()
    }
}
// ANCHOR_END: join
