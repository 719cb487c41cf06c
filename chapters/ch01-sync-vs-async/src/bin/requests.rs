//! `cargo run --release -p ch01-demos --bin requests -- [--requests 100] [--latency-ms 50]`
//!
//! N simulated slow requests, done sequentially, on one thread each, and as
//! one tokio task each, next to what the time model predicts.

use kit::args::opt;
use std::time::Duration;

fn main() {
    let requests: u64 = opt("requests", 100);
    let latency = Duration::from_millis(opt("latency-ms", 50));
    println!(
        "Waiting for {requests} requests of {latency:?} each (predictions: chapter 1's time model)\n"
    );
    ch01_demos::requests::compare(requests, latency).print();
    println!(
        "Sequential waits add up; overlapping waits cost the longest one plus a little overhead."
    );
}
