//! Tokio's cooperative budget, observed: a consumer that always finds its
//! next item ready either gives the other tasks a turn now and then, or
//! starves them until it is done.
//!
//! Each run puts `items` ready items in front of a consumer task, on a
//! current-thread runtime, next to a *bystander* task that only counts how
//! many turns it gets before the consumer finishes. A tokio channel charges
//! each `recv` to the task's budget (128 units per scheduler turn) and, once
//! the budget is spent, returns `Pending` once to force a yield: the
//! bystander gets about `items / 128` turns. A `futures` channel and a plain
//! ready future know nothing of the budget: the bystander gets no turn at all.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::Duration;
use tokio::time::Instant;

/// Tokio's per-turn budget (an implementation detail, stable for years).
pub const TOKIO_BUDGET: u64 = 128;

/// One consumer's run.
#[derive(Debug, Clone)]
pub struct BudgetRow {
    /// What the consumer awaited.
    pub consumer: &'static str,
    /// Turns the bystander got while the consumer ran.
    pub bystander_turns: u64,
    /// Turns the budget model predicts.
    pub predicted_turns: u64,
    /// How long the consumer ran (the bystander's worst wait when it got no turn).
    pub consumer_time: Duration,
}

// ANCHOR: budget
/// Runs `consume` as a task beside a bystander that counts its own turns.
async fn beside_a_bystander<F>(consume: F) -> (u64, Duration)
where
    F: Future<Output = ()> + Send + 'static,
{
    let done = Arc::new(AtomicBool::new(false));
    let turns = Arc::new(AtomicU64::new(0));
    let bystander = tokio::spawn({
        let (done, turns) = (Arc::clone(&done), Arc::clone(&turns));
        async move {
            while !done.load(Ordering::Relaxed) {
                turns.fetch_add(1, Ordering::Relaxed);
                tokio::task::yield_now().await; // one turn, then let others run
            }
        }
    });
    tokio::task::yield_now().await; // let the bystander start first
    // Count only the turns taken while the consumer itself was running.
    let counted = Arc::clone(&turns);
    let consumer = tokio::spawn(async move {
        let (start_turns, start) = (counted.load(Ordering::Relaxed), Instant::now());
        consume.await;
        (
            counted.load(Ordering::Relaxed) - start_turns,
            start.elapsed(),
        )
    });
    let (consumer_turns, took) = consumer.await.expect("the consumer does not panic");
    done.store(true, Ordering::Relaxed);
    bystander.await.expect("the bystander does not panic");
    (consumer_turns, took)
}

/// Drains `items` ready items from a tokio channel: every `recv` is charged
/// to the budget, so the task is made to yield every 128 items.
async fn tokio_channel(items: u64) {
    let (sender, mut receiver) = tokio::sync::mpsc::unbounded_channel();
    for item in 0..items {
        sender.send(item).expect("the receiver is alive");
    }
    drop(sender);
    while receiver.recv().await.is_some() {}
}

/// The same with a `futures` channel: always ready, never yields.
async fn futures_channel(items: u64) {
    use futures::StreamExt;
    let (sender, mut receiver) = futures::channel::mpsc::unbounded();
    for item in 0..items {
        sender.unbounded_send(item).expect("the receiver is alive");
    }
    drop(sender);
    while receiver.next().await.is_some() {}
}

/// Awaits a future that is ready at once, `items` times: never yields.
async fn ready_futures(items: u64) {
    for item in 0..items {
        std::future::ready(item).await;
    }
}
// ANCHOR_END: budget

/// Runs the three consumers with `items` ready items each.
pub async fn run(items: u64) -> Vec<BudgetRow> {
    let mut rows = Vec::new();
    let (turns, took) = beside_a_bystander(tokio_channel(items)).await;
    rows.push(BudgetRow {
        consumer: "tokio::sync::mpsc recv",
        bystander_turns: turns,
        predicted_turns: items / TOKIO_BUDGET,
        consumer_time: took,
    });
    let (turns, took) = beside_a_bystander(futures_channel(items)).await;
    rows.push(BudgetRow {
        consumer: "futures::channel::mpsc next",
        bystander_turns: turns,
        predicted_turns: 0,
        consumer_time: took,
    });
    let (turns, took) = beside_a_bystander(ready_futures(items)).await;
    rows.push(BudgetRow {
        consumer: "std::future::ready(..).await",
        bystander_turns: turns,
        predicted_turns: 0,
        consumer_time: took,
    });
    rows
}
