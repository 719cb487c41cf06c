//! Demo: two threads incrementing their own counters, side by side in one
//! cache line vs padded apart.
//!
//! `cargo run --release -p ch05-demos --bin false_sharing -- --ops 100000000`

use ch05_demos::false_sharing::{Adjacent, Padded, TwoCounters, distance, run};
use kit::table::{Table, ratio};

fn main() {
    let ops: u64 = kit::args::opt("ops", 20_000_000);
    let repeats: usize = kit::args::opt("repeats", 3);
    let cores = kit::measure::cores();
    let (adjacent, padded) = (Adjacent::default(), Padded::default());
    println!("{ops} increments per thread, median of {repeats} runs; {cores} cores");
    println!(
        "counters {} bytes apart (adjacent) and {} bytes apart (CachePadded)\n",
        distance(&adjacent),
        distance(&padded)
    );
    println!("measured = CPU time per increment (time spent descheduled does not count)");
    println!("predicted = one thread alone: each thread touches only its own counter\n");

    // CPU time per increment, per thread: the median over a few runs.
    let median_ns_per_op = |layout: &dyn TwoCounters, threads: usize| {
        let runs: Vec<_> = (0..repeats.max(1))
            .map(|_| run(layout, threads, ops))
            .collect();
        kit::measure::median(runs).as_secs_f64() * 1e9 / (ops * threads as u64) as f64
    };
    let alone = median_ns_per_op(&padded, 1);
    let mut table = Table::new([
        "layout",
        "threads",
        "CPU ns/increment",
        "predicted",
        "ratio",
    ]);
    for (label, layout, threads) in [
        ("one counter, alone", &padded as &dyn TwoCounters, 1),
        ("adjacent (one line)", &adjacent, 2),
        ("CachePadded (two lines)", &padded, 2),
    ] {
        let measured = if threads == 1 {
            alone
        } else {
            median_ns_per_op(layout, threads)
        };
        table.row([
            label.to_string(),
            threads.to_string(),
            format!("{measured:.2}"),
            format!("{alone:.2}"),
            ratio(measured, alone),
        ]);
    }
    table.print();
}
