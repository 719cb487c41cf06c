//! tokio-metrics on a one-thread runtime where one task blocks for 20 ms at
//! a time: slow polls and long scheduling delays, then the same run with the
//! blocking call made async.
//!
//! `cargo run --release -p ch08-demos --bin task_metrics -- --tickers 8 --blocks 20 --block-ms 20 --gap-ms 80`

use ch08_demos::metrics::{self, Load, THRESHOLD};
use kit::args::opt;
use std::time::Duration;

fn main() {
    let load = Load {
        tickers: opt("tickers", 8),
        blocks: opt("blocks", 20),
        block: Duration::from_millis(opt("block-ms", 20)),
        gap: Duration::from_millis(opt("gap-ms", 80)),
    };
    println!(
        "{} tickers woken every 1 ms from another thread; an offender blocks {} times for {:?}, \
         {:?} apart.\nSlow poll and long delay threshold: {THRESHOLD:?}\n",
        load.tickers, load.blocks, load.block, load.gap
    );
    let blocking = metrics::run(load, true);
    let fixed = metrics::run(load, false);
    metrics::table(load, &blocking, &fixed).print();
}
