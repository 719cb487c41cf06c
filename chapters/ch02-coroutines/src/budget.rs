//! Tokio's cooperative budget, counted: how many ready operations a task
//! performs before it is made to yield, for a tokio channel, a `futures`
//! channel and a plain ready future.
//!
//! A task that only ever awaits ready things never returns `Pending`, so it
//! never gives its thread back (see "Cooperative scheduling"). Tokio guards
//! against that: each task gets a budget of operations per turn (128 in
//! tokio 1.x), and its own resources (channels, sockets, timers) spend one
//! unit per operation. Once the budget is spent they return `Pending` even
//! though they have data, after waking the task, so the task goes to the back
//! of the queue. Futures that know nothing of tokio spend nothing.

use kit::table::{Table, ratio};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::task::{Context, Poll};

/// Tokio's budget per task turn (`tokio::task::coop`, 128 since tokio 1.0).
pub const TOKIO_BUDGET: usize = 128;

// ANCHOR: first_yield
/// Polls `inner` and remembers how many operations (`done`) had completed
/// when it first returned `Pending`: the length of its first turn.
struct FirstYield<F> {
    inner: Pin<Box<F>>,
    done: Arc<AtomicUsize>,
    ops_before_first_yield: Option<usize>,
}

impl<F: Future<Output = ()>> Future for FirstYield<F> {
    type Output = usize;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<usize> {
        let this = &mut *self;
        match this.inner.as_mut().poll(cx) {
            Poll::Ready(()) => {
                // Never yielded: the whole loop ran in one turn.
                let all = this.done.load(Ordering::Relaxed);
                Poll::Ready(this.ops_before_first_yield.unwrap_or(all))
            }
            Poll::Pending => {
                this.ops_before_first_yield
                    .get_or_insert(this.done.load(Ordering::Relaxed));
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: first_yield

/// Runs `work(done)` as a tokio task on a current-thread runtime and returns
/// how many operations it completed before its first `Pending`.
fn ops_before_first_yield<W, F>(work: W) -> usize
where
    W: FnOnce(Arc<AtomicUsize>) -> F,
    F: Future<Output = ()> + Send + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a current-thread runtime");
    let done = Arc::new(AtomicUsize::new(0));
    let watched = FirstYield {
        inner: Box::pin(work(Arc::clone(&done))),
        done,
        ops_before_first_yield: None,
    };
    // Spawned, so the future runs as a tokio task with a task's budget.
    runtime
        .block_on(async { tokio::spawn(watched).await })
        .expect("the task does not panic")
}

// ANCHOR: loops
/// Receives `n` messages that are all already queued in a tokio channel.
pub fn tokio_channel(n: usize) -> usize {
    ops_before_first_yield(move |done| async move {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        for i in 0..n {
            tx.send(i).expect("the receiver is alive");
        }
        while done.load(Ordering::Relaxed) < n {
            rx.recv().await.expect("a queued message");
            done.fetch_add(1, Ordering::Relaxed);
        }
    })
}

/// The same loop over a `futures` channel: it knows nothing of tokio's budget.
pub fn futures_channel(n: usize) -> usize {
    use futures::StreamExt;
    ops_before_first_yield(move |done| async move {
        let (tx, mut rx) = futures::channel::mpsc::unbounded();
        for i in 0..n {
            tx.unbounded_send(i).expect("the receiver is alive");
        }
        while done.load(Ordering::Relaxed) < n {
            rx.next().await.expect("a queued message");
            done.fetch_add(1, Ordering::Relaxed);
        }
    })
}

// ANCHOR_END: loops

/// Awaits `n` futures that are ready at once: nothing to wait for, no budget.
pub fn ready_futures(n: usize) -> usize {
    ops_before_first_yield(move |done| async move {
        for i in 0..n {
            std::future::ready(i).await;
            done.fetch_add(1, Ordering::Relaxed);
        }
    })
}

/// The tokio channel again, inside `tokio::task::coop::unconstrained`, which
/// switches the budget off for the future it wraps.
pub fn tokio_channel_unconstrained(n: usize) -> usize {
    ops_before_first_yield(move |done| {
        tokio::task::coop::unconstrained(async move {
            let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
            for i in 0..n {
                tx.send(i).expect("the receiver is alive");
            }
            while done.load(Ordering::Relaxed) < n {
                rx.recv().await.expect("a queued message");
                done.fetch_add(1, Ordering::Relaxed);
            }
        })
    })
}

/// The demo's table: ready operations in the first turn, measured vs
/// predicted, for `n` queued messages or ready futures.
pub fn demo_table(n: usize) -> Table {
    let predicted_tokio = TOKIO_BUDGET.min(n);
    let rows = [
        ("tokio mpsc recv", tokio_channel(n), predicted_tokio),
        ("futures mpsc next", futures_channel(n), n),
        ("std::future::ready", ready_futures(n), n),
        (
            "tokio mpsc, unconstrained",
            tokio_channel_unconstrained(n),
            n,
        ),
    ];
    let mut table = Table::comparison("ready operations before the first yield");
    for (label, measured, predicted) in rows {
        table.row([
            label.to_string(),
            measured.to_string(),
            predicted.to_string(),
            ratio(measured as f64, predicted as f64),
        ]);
    }
    table
}
