//! Runs one three-step workflow written with nested callbacks and with
//! async/await, alone, many at once, and one after another.
//!
//! `cargo run --release -p ch02-demos --bin callbacks_vs_async -- --latency-ms 100 --count 200 --sequential 5`

use ch02_demos::callbacks::demo_table;
use kit::args::opt;
use std::time::Duration;

fn main() {
    let latency = Duration::from_millis(opt("latency-ms", 100));
    let count = opt("count", 200);
    let sequential = opt("sequential", 5);
    println!("Each step waits {latency:?}; a workflow is 3 steps in a row.\n");
    demo_table(latency, count, sequential).print();
}
