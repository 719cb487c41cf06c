//! A stream of n requests fanned out with `buffered(k)` for k = 1, 4, 16,
//! against the model ceil(n / k) * latency.
//!
//! `cargo run --release -p ch08-demos --bin buffered_fanout -- --requests 48 --latency-ms 50`

use ch08_demos::fanout;
use kit::args::opt;
use kit::table::Table;
use std::time::Duration;

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let n: u32 = opt("requests", 48);
    let latency = Duration::from_millis(opt("latency-ms", 50));
    println!("{n} requests of {latency:?} each through a stream\n");
    let mut table = Table::comparison("combinator (model: ceil(n/k) x latency)");
    for k in [1, 4, 16] {
        let (answers, took) = fanout::fan_out(n, k, latency).await;
        assert!(
            answers.iter().copied().eq(0..n),
            "buffered keeps the input order"
        );
        table.compare(
            &format!("buffered({k})"),
            took,
            fanout::predicted(n, k, latency),
        );
    }
    let (answers, took) = fanout::fan_out_unordered(n, 4, latency).await;
    assert_eq!(answers.len(), n as usize);
    table.compare(
        "buffer_unordered(4)",
        took,
        fanout::predicted(n, 4, latency),
    );
    table.print();
}
