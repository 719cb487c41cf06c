// wrong: `b` is polled with a no-op waker, as if `a` registering the waker were enough, so when `b` is the one that becomes ready nobody wakes the Select.
//! # Exercise `select_pair`: the first of two futures wins
//!
//! Write `poll` for `Select`, the hand-made version of `select!` (Python's
//! `asyncio.wait(..., return_when=FIRST_COMPLETED)`). It polls `a`, then
//! `b`, and returns the first output it gets; the loser is dropped, unpolled
//! from then on. When `a` is ready, `b` must not be polled at all: a value
//! `b` produced would be thrown away.
//!
//! Book: chapter 2, "Combining futures by hand: join and select".
//! Check: `cargo workbook check select_pair`.

use std::pin::Pin;
use std::task::{Context, Poll};

// ANCHOR: select
/// Which of the two futures finished first, with its output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Either<L, R> {
    Left(L),
    Right(R),
}

/// Runs `a` and `b` concurrently; the first to finish wins.
pub struct Select<A, B> {
    pub a: A,
    pub b: B,
}

pub fn select<A: Future + Unpin, B: Future + Unpin>(a: A, b: B) -> Select<A, B> {
    Select { a, b }
}

impl<A: Future + Unpin, B: Future + Unpin> Future for Select<A, B> {
    type Output = Either<A::Output, B::Output>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let Poll::Ready(output) = Pin::new(&mut self.a).poll(cx) {
            return Poll::Ready(Either::Left(output));
        }
        // `a` already registered our waker; `b` only needs a look.
        let mut quiet = Context::from_waker(std::task::Waker::noop());
        if let Poll::Ready(output) = Pin::new(&mut self.b).poll(&mut quiet) {
            return Poll::Ready(Either::Right(output));
        }
        // Both registered the waker: whichever finishes first wakes us.
        Poll::Pending
    }
}
// ANCHOR_END: select
