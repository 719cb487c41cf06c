//! Demo: increments lost when `x += 1` is a separate load and store.
//!
//! `cargo run --release -p ch05-demos --bin lost_update -- --threads 4 --per-thread 20000000`

use ch05_demos::lost_update::{atomic_increment, count_with, split_increment};
use kit::table::{Table, ratio};
use std::sync::atomic::AtomicU64;

/// A way to add 1 to the shared counter, with its label.
type Strategy = (&'static str, fn(&AtomicU64));

fn main() {
    let threads: usize = kit::args::opt("threads", kit::measure::cores().max(2));
    let per_thread: u64 = kit::args::opt("per-thread", 20_000_000);
    let expected = threads as u64 * per_thread;
    println!("{threads} threads x {per_thread} increments of one shared counter\n");

    let mut table = Table::comparison("increment");
    let strategies: [Strategy; 2] = [
        ("load + store (split)", split_increment),
        ("fetch_add (atomic)", atomic_increment),
    ];
    for (label, increment) in strategies {
        let (count, took) = kit::measure::timed(|| count_with(threads, per_thread, increment));
        table.row([
            label.to_string(),
            count.to_string(),
            expected.to_string(),
            ratio(count as f64, expected as f64),
        ]);
        let lost = expected - count;
        println!(
            "{label}: {lost} increments lost ({:.1}%), {}",
            100.0 * lost as f64 / expected as f64,
            kit::table::duration(took)
        );
    }
    println!();
    table.print();
}
