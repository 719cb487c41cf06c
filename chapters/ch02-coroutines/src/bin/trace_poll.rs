//! Drives a hand-written future with a hand-written poll loop and prints
//! every poll and every wake-up, then counts them against the model.
//!
//! `cargo run --release -p ch02-demos --bin trace_poll -- --first-ms 200 --second-ms 300 --pauses 1000000`

use ch02_demos::trace::demo_table;
use kit::args::opt;
use std::time::Duration;

fn main() {
    let first = Duration::from_millis(opt("first-ms", 200));
    let second = Duration::from_millis(opt("second-ms", 300));
    let pauses = opt("pauses", 1_000_000);
    println!("An async fn awaiting Sleep({first:?}) then Sleep({second:?}), polled by hand:\n");
    let table = demo_table(first, second, pauses, true);
    println!();
    table.print();
}
