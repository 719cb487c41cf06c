//! Drive futures by hand and count what happens to them.
//!
//! An executor hides two events that matter when you learn async Rust: each
//! call to `poll`, and each call to `wake`. This module makes both visible:
//!
//! - [`WakeCounter`] is a waker that counts its wake-ups (and can print them).
//! - [`Harness`] owns a future, polls it on demand with such a waker, and
//!   refuses to poll it again after it finished.
//! - [`Strict`] wraps a future and panics if anyone polls it after `Ready`,
//!   the bug that hand-written combinators (`join`, `select`) tend to have.
//! - [`PollCount`] wraps a future and counts how often it is polled.
//! - [`ready_after`] is pending a set number of polls, then ready.
//!
//! Tests across the workbook use these to grade futures without a clock.

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// A waker that counts how many times it was woken.
///
/// Wakes may come from any thread; [`WakeCounter::wait_for_wake_after`] lets
/// a test block until the count passes a value, with a deadline so that a
/// future that never wakes fails the test instead of hanging it.
#[derive(Debug, Default)]
pub struct WakeCounter {
    wakes: Mutex<usize>,
    woken: Condvar,
    label: Option<String>,
}

impl WakeCounter {
    /// A silent counter.
    pub fn new() -> Arc<Self> {
        Arc::new(WakeCounter::default())
    }

    /// A counter that also prints `[waker label] wake #n` on every wake-up,
    /// for demos that trace what happens.
    pub fn traced(label: &str) -> Arc<Self> {
        Arc::new(WakeCounter {
            label: Some(label.to_string()),
            ..WakeCounter::default()
        })
    }

    /// How many times the waker was woken so far.
    pub fn wakes(&self) -> usize {
        *self.wakes.lock().unwrap()
    }

    /// A `Waker` that reports to this counter.
    pub fn waker(self: &Arc<Self>) -> Waker {
        Waker::from(Arc::clone(self))
    }

    /// Blocks until the count exceeds `seen`, or `deadline` passes.
    /// Returns true if a wake-up arrived.
    pub fn wait_for_wake_after(&self, seen: usize, deadline: Duration) -> bool {
        let guard = self.wakes.lock().unwrap();
        let (guard, _) = self
            .woken
            .wait_timeout_while(guard, deadline, |wakes| *wakes <= seen)
            .unwrap();
        *guard > seen
    }
}

impl Wake for WakeCounter {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut wakes = self.wakes.lock().unwrap();
        *wakes += 1;
        if let Some(label) = &self.label {
            println!("    [waker {label}] wake #{}", *wakes);
        }
        self.woken.notify_all();
    }
}

/// Owns a future and polls it by hand with a [`WakeCounter`].
pub struct Harness<F: Future> {
    future: Option<Pin<Box<F>>>,
    counter: Arc<WakeCounter>,
    waker: Waker,
    polls: usize,
}

impl<F: Future> Harness<F> {
    /// Wraps `future`; nothing runs until the first [`Harness::poll`].
    pub fn new(future: F) -> Self {
        Self::with_counter(future, WakeCounter::new())
    }

    /// Like [`Harness::new`] but prints every wake-up, for demos.
    pub fn traced(future: F, label: &str) -> Self {
        Self::with_counter(future, WakeCounter::traced(label))
    }

    fn with_counter(future: F, counter: Arc<WakeCounter>) -> Self {
        let waker = counter.waker();
        Harness {
            future: Some(Box::pin(future)),
            counter,
            waker,
            polls: 0,
        }
    }

    /// Polls the future once.
    ///
    /// # Panics
    /// If the future already returned `Ready`: polling a finished future is
    /// a bug, and many futures panic or misbehave when it happens.
    pub fn poll(&mut self) -> Poll<F::Output> {
        let future = self
            .future
            .as_mut()
            .expect("Harness::poll called after the future returned Ready");
        self.polls += 1;
        let mut cx = Context::from_waker(&self.waker);
        let result = future.as_mut().poll(&mut cx);
        if result.is_ready() {
            // Drop the finished future now, as an executor would.
            self.future = None;
        }
        result
    }

    /// Polls until `Ready`, but only after a wake-up, like a real executor.
    ///
    /// After each `Pending` it waits for the future's waker to be called. If
    /// nobody calls it within `patience` it panics with a message saying the
    /// future would hang forever: returning `Pending` without arranging a
    /// wake-up is the most common bug in hand-written futures.
    pub fn run_to_completion(&mut self, patience: Duration) -> F::Output {
        let started = Instant::now();
        loop {
            let wakes_before = self.counter.wakes();
            if let Poll::Ready(value) = self.poll() {
                return value;
            }
            if !self.counter.wait_for_wake_after(wakes_before, patience) {
                panic!(
                    "the future returned Pending on poll #{} and nobody called its waker within \
                     {patience:?} ({:?} since the first poll): under a real executor it would \
                     hang forever. A future that returns Pending must make sure `wake` is called \
                     later (store the waker, or wake it before returning).",
                    self.polls,
                    started.elapsed()
                );
            }
        }
    }

    /// How many times the future was polled.
    pub fn polls(&self) -> usize {
        self.polls
    }

    /// How many times the future's waker was woken.
    pub fn wakes(&self) -> usize {
        self.counter.wakes()
    }

    /// True once the future returned `Ready`.
    pub fn is_done(&self) -> bool {
        self.future.is_none()
    }

    /// A clone of the waker given to the future.
    pub fn waker(&self) -> Waker {
        self.waker.clone()
    }
}

/// Wraps a future and panics if it is polled again after returning `Ready`.
///
/// Hand-written `join` and `select` combinators must remember which side
/// finished; wrapping each side in `Strict` turns forgetting into a loud,
/// named failure.
pub struct Strict<F> {
    future: Pin<Box<F>>,
    name: &'static str,
    finished: bool,
}

impl<F: Future> Strict<F> {
    /// Wraps `future`; `name` appears in the panic message.
    pub fn new(name: &'static str, future: F) -> Self {
        Strict {
            future: Box::pin(future),
            name,
            finished: false,
        }
    }
}

impl<F: Future> Future for Strict<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        assert!(
            !self.finished,
            "future `{}` was polled again after it returned Ready: a combinator must remember \
             which futures finished and never poll them again",
            self.name
        );
        let result = self.future.as_mut().poll(cx);
        if result.is_ready() {
            self.finished = true;
        }
        result
    }
}

/// Wraps a future and counts its polls in a shared counter.
pub struct PollCount<F> {
    future: Pin<Box<F>>,
    polls: Arc<AtomicUsize>,
}

impl<F: Future> PollCount<F> {
    /// Wraps `future`; read the count through the returned `Arc`.
    pub fn new(future: F) -> (Self, Arc<AtomicUsize>) {
        let polls = Arc::new(AtomicUsize::new(0));
        let wrapper = PollCount {
            future: Box::pin(future),
            polls: Arc::clone(&polls),
        };
        (wrapper, polls)
    }
}

impl<F: Future> Future for PollCount<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        self.polls.fetch_add(1, Ordering::SeqCst);
        self.future.as_mut().poll(cx)
    }
}

/// A future that returns `Pending` `pauses` times, waking itself each time,
/// then `Ready(value)`: a stand-in for "some work that takes a few polls".
pub fn ready_after<T: Unpin>(pauses: u32, value: T) -> ReadyAfter<T> {
    ReadyAfter {
        pauses,
        value: Some(value),
    }
}

/// See [`ready_after`].
pub struct ReadyAfter<T> {
    pauses: u32,
    value: Option<T>,
}

impl<T: Unpin> Future for ReadyAfter<T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        if self.pauses == 0 {
            return Poll::Ready(self.value.take().expect("ReadyAfter polled after Ready"));
        }
        self.pauses -= 1;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pending once, waking itself, then Ready.
    struct YieldOnce(bool);
    impl Future for YieldOnce {
        type Output = u8;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u8> {
            if self.0 {
                Poll::Ready(7)
            } else {
                self.0 = true;
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    #[test]
    fn counts_polls_and_wakes() {
        let mut harness = Harness::new(YieldOnce(false));
        assert_eq!(harness.run_to_completion(Duration::from_secs(1)), 7);
        assert_eq!((harness.polls(), harness.wakes()), (2, 1));
        assert!(harness.is_done());
    }

    #[test]
    #[should_panic(expected = "hang forever")]
    fn pending_without_wake_is_caught() {
        let mut harness = Harness::new(std::future::pending::<()>());
        harness.run_to_completion(Duration::from_millis(10));
    }

    #[test]
    #[should_panic(expected = "polled again after it returned Ready")]
    fn strict_catches_poll_after_ready() {
        let mut strict = Strict::new("ready", std::future::ready(1));
        let waker = Waker::noop();
        let mut cx = Context::from_waker(waker);
        let _ = Pin::new(&mut strict).poll(&mut cx);
        let _ = Pin::new(&mut strict).poll(&mut cx);
    }
}
