//! One three-step workflow, written twice: with nested callbacks, and with
//! `async`/`await`. Each step is a slow service call that takes `latency`.
//!
//! The workflow: look up a user, then that user's orders, then the price of
//! those orders. Each step needs the previous step's result.

use kit::measure::timed;
use kit::table::Table;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct User {
    pub id: u32,
}

#[derive(Debug, Clone)]
pub struct Order {
    pub cents: u64,
}

fn orders_of(user: &User) -> Vec<Order> {
    (1..=3)
        .map(|n| Order {
            cents: u64::from(user.id) * 100 + n,
        })
        .collect()
}

// ANCHOR: callback_api
/// A callback-style service: returns at once, and calls `done` from another
/// thread once the user is "fetched".
pub fn fetch_user_cb(id: u32, latency: Duration, done: impl FnOnce(User) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(latency);
        done(User { id });
    });
}
// ANCHOR_END: callback_api

pub fn fetch_orders_cb(
    user: User,
    latency: Duration,
    done: impl FnOnce(Vec<Order>) + Send + 'static,
) {
    thread::spawn(move || {
        thread::sleep(latency);
        done(orders_of(&user));
    });
}

pub fn price_cb(orders: Vec<Order>, latency: Duration, done: impl FnOnce(u64) + Send + 'static) {
    thread::spawn(move || {
        thread::sleep(latency);
        done(orders.iter().map(|order| order.cents).sum());
    });
}

// ANCHOR: nested
/// Each step can only start inside the previous step's callback, so the
/// code moves one level to the right per step.
pub fn workflow_with_callbacks(
    id: u32,
    latency: Duration,
    done: impl FnOnce(u64) + Send + 'static,
) {
    fetch_user_cb(id, latency, move |user| {
        fetch_orders_cb(user, latency, move |orders| {
            price_cb(orders, latency, move |total| {
                done(total);
            });
        });
    });
}
// ANCHOR_END: nested

// ANCHOR: async_api
pub async fn fetch_user(id: u32, latency: Duration) -> User {
    tokio::time::sleep(latency).await;
    User { id }
}
// ANCHOR_END: async_api

pub async fn fetch_orders(user: User, latency: Duration) -> Vec<Order> {
    tokio::time::sleep(latency).await;
    orders_of(&user)
}

pub async fn price(orders: Vec<Order>, latency: Duration) -> u64 {
    tokio::time::sleep(latency).await;
    orders.iter().map(|order| order.cents).sum()
}

// ANCHOR: flat
/// The same workflow: one step per line, in the order they happen.
pub async fn workflow_with_async(id: u32, latency: Duration) -> u64 {
    let user = fetch_user(id, latency).await;
    let orders = fetch_orders(user, latency).await;
    price(orders, latency).await
}
// ANCHOR_END: flat

/// Starts `count` callback workflows at once and waits for all totals.
pub fn run_callbacks(count: u32, latency: Duration) -> Vec<u64> {
    let (totals_tx, totals_rx) = mpsc::channel();
    for id in 0..count {
        let totals_tx = totals_tx.clone();
        workflow_with_callbacks(id, latency, move |total| {
            // The receiver outlives every workflow; a send cannot fail.
            totals_tx.send(total).expect("receiver alive");
        });
    }
    drop(totals_tx);
    totals_rx.iter().collect()
}

/// Runs `count` async workflows concurrently on one thread.
pub fn run_async(count: u32, latency: Duration) -> Vec<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio runtime");
    let workflows = (0..count).map(|id| workflow_with_async(id, latency));
    runtime.block_on(futures::future::join_all(workflows))
}

/// Runs `count` async workflows one after another.
pub fn run_async_in_sequence(count: u32, latency: Duration) -> Vec<u64> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let mut totals = Vec::new();
        for id in 0..count {
            totals.push(workflow_with_async(id, latency).await);
        }
        totals
    })
}

/// The demo: the workflow alone, then `count` at once, then `sequential`
/// one after another, timed against the model.
pub fn demo_table(latency: Duration, count: u32, sequential: u32) -> Table {
    let steps = 3;
    let one_workflow = latency * steps;
    let mut table = Table::comparison("three-step workflow");
    let (_, elapsed) = timed(|| run_callbacks(1, latency));
    table.compare("callbacks, 1 workflow", elapsed, one_workflow);
    let (_, elapsed) = timed(|| run_async(1, latency));
    table.compare("async/await, 1 workflow", elapsed, one_workflow);
    let (totals, elapsed) = timed(|| run_callbacks(count, latency));
    assert_eq!(totals.len(), count as usize);
    // Concurrent workflows overlap: they take as long as one.
    table.compare(
        &format!("callbacks, {count} at once"),
        elapsed,
        one_workflow,
    );
    let (totals, elapsed) = timed(|| run_async(count, latency));
    assert_eq!(totals.len(), count as usize);
    table.compare(
        &format!("async/await, {count} at once"),
        elapsed,
        one_workflow,
    );
    let (_, elapsed) = timed(|| run_async_in_sequence(sequential, latency));
    table.compare(
        &format!("async/await, {sequential} one by one"),
        elapsed,
        one_workflow * sequential,
    );
    table
}
