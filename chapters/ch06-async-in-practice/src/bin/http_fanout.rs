//! Fetches N URLs from a local HTTP server one by one, all at once with
//! `join_all`, and bounded by a semaphore, and compares the measured times
//! with the time model.
//!
//! `cargo run --release -p ch06-demos --bin http_fanout -- --requests 20 --latency-ms 200 --limit 5`

use ch06_demos::fanout::{self, FanOut};
use kit::args::opt;
use std::time::Duration;

#[tokio::main]
async fn main() -> Result<(), ch06_demos::http::Error> {
    let knobs = FanOut {
        requests: opt("requests", 20),
        latency: Duration::from_millis(opt("latency-ms", 200)),
        limit: opt("limit", 5),
    };
    println!(
        "{} GET requests to a hyper server on 127.0.0.1, {:?} per answer\n",
        knobs.requests, knobs.latency
    );
    fanout::run(knobs).await?.print();
    Ok(())
}
