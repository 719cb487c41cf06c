//! Task metrics (`tokio-metrics`) on a runtime where one task blocks.
//!
//! An "offender" task now and then does 20 ms of work without an `.await`
//! (a `std::thread::sleep` stands in for a synchronous call); a group of
//! "ticker" tasks is woken every millisecond from outside the runtime. On a
//! one-thread runtime, each block makes every ticker that was woken during it
//! wait: a long scheduling delay. The same run with the call made async
//! shows both numbers drop to zero.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;
use tokio::sync::mpsc;
use tokio_metrics::{TaskMetrics, TaskMonitor};

/// The workload's knobs.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub tickers: usize,
    /// How many times the offender blocks.
    pub blocks: u32,
    /// How long each block lasts.
    pub block: Duration,
    /// The offender's async pause between two blocks.
    pub gap: Duration,
}

/// What the two monitors saw.
#[derive(Debug)]
pub struct Seen {
    pub offender: TaskMetrics,
    pub tickers: TaskMetrics,
}

/// A poll or a scheduling delay longer than this counts as slow / long.
pub const THRESHOLD: Duration = Duration::from_millis(5);

fn monitor() -> TaskMonitor {
    let mut builder = TaskMonitor::builder();
    builder
        .with_slow_poll_threshold(THRESHOLD)
        .with_long_delay_threshold(THRESHOLD);
    builder.build()
}

// ANCHOR: offender
/// The offender: `blocking` picks the bad version (a synchronous sleep that
/// holds the worker thread) or the fixed one (an async sleep).
async fn offender(load: Load, blocking: bool) {
    for _ in 0..load.blocks {
        if blocking {
            std::thread::sleep(load.block); // no .await: the worker is stuck here
        } else {
            tokio::time::sleep(load.block).await;
        }
        tokio::time::sleep(load.gap).await;
    }
}
// ANCHOR_END: offender

/// Runs the workload on a one-thread runtime and returns the task metrics.
pub fn run(load: Load, blocking: bool) -> Seen {
    let offender_monitor = monitor();
    let ticker_monitor = monitor();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("build runtime");
    let stop = Arc::new(AtomicBool::new(false));
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..load.tickers).map(|_| mpsc::channel::<()>(1)).unzip();
    // The "network": a plain thread that sends each ticker a message every
    // millisecond, so tickers are woken while the offender blocks.
    let network = {
        let stop = Arc::clone(&stop);
        std::thread::spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                for sender in &senders {
                    let _ = sender.try_send(());
                }
                std::thread::sleep(Duration::from_millis(1));
            }
        })
    };
    runtime.block_on(async {
        let tickers: Vec<_> = receivers
            .into_iter()
            .map(|mut inbox| {
                tokio::spawn(
                    ticker_monitor.instrument(async move { while inbox.recv().await.is_some() {} }),
                )
            })
            .collect();
        tokio::spawn(offender_monitor.instrument(offender(load, blocking)))
            .await
            .expect("offender panicked");
        stop.store(true, Ordering::Relaxed);
        for ticker in tickers {
            ticker.await.expect("ticker panicked");
        }
    });
    network.join().expect("network thread panicked");
    Seen {
        offender: offender_monitor.cumulative(),
        tickers: ticker_monitor.cumulative(),
    }
}

/// The model: each block is one slow poll of the offender, and each ticker
/// is woken once during each block and waits for the rest of it (on average
/// all of it but the half millisecond until its first message).
pub fn predicted_long_delays(load: Load) -> u64 {
    load.tickers as u64 * u64::from(load.blocks)
}

pub fn predicted_long_delay(load: Load) -> Duration {
    load.block.saturating_sub(Duration::from_micros(500))
}

/// One table for the blocking run and the fixed run.
pub fn table(load: Load, blocking: &Seen, fixed: &Seen) -> kit::table::Table {
    use kit::table::{duration, ratio};
    let mut table = kit::table::Table::comparison("metric");
    let count = |n: u64| n.to_string();
    let slow = |seen: &Seen| seen.offender.total_slow_poll_count;
    let long = |seen: &Seen| seen.tickers.total_long_delay_count;
    let blocks = u64::from(load.blocks);
    table.row([
        "blocking: offender's slow polls".to_string(),
        count(slow(blocking)),
        count(blocks),
        ratio(slow(blocking) as f64, blocks as f64),
    ]);
    table.row([
        "blocking: tickers' long delays".to_string(),
        count(long(blocking)),
        count(predicted_long_delays(load)),
        ratio(long(blocking) as f64, predicted_long_delays(load) as f64),
    ]);
    table.compare(
        "blocking: mean long delay",
        blocking.tickers.mean_long_delay_duration(),
        predicted_long_delay(load),
    );
    table.row([
        "blocking: offender's mean slow poll".to_string(),
        duration(blocking.offender.mean_slow_poll_duration()),
        duration(load.block),
        ratio(
            blocking.offender.mean_slow_poll_duration().as_secs_f64(),
            load.block.as_secs_f64(),
        ),
    ]);
    table.row([
        "fixed: offender's slow polls".to_string(),
        count(slow(fixed)),
        "0".into(),
        "-".into(),
    ]);
    table.row([
        "fixed: tickers' long delays".to_string(),
        count(long(fixed)),
        "0".into(),
        "-".into(),
    ]);
    table.row([
        "fixed: tickers' mean scheduling delay".to_string(),
        duration(fixed.tickers.mean_scheduled_duration()),
        "~0".into(),
        "-".into(),
    ]);
    table
}
