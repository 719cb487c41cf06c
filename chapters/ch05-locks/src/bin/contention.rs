//! Demo: a shared counter as Mutex, RwLock, atomic and sharded atomics, on
//! 1..N threads, in operations per second.
//!
//! `cargo run --release -p ch05-demos --bin contention -- --max-threads 8 --ops 20000000`

use ch05_demos::contention::{counters, ops_per_second};
use kit::table::{Table, ratio};

fn main() {
    let cores = kit::measure::cores();
    let max_threads: usize = kit::args::opt("max-threads", (2 * cores).max(4));
    let ops: u64 = kit::args::opt("ops", 20_000_000);
    println!("{ops} increments per run, shared by the threads; {cores} cores\n");
    println!("predicted = the 1-thread rate x min(threads, cores): perfect scaling\n");

    let mut table = Table::new([
        "counter",
        "threads",
        "Mops/s measured",
        "Mops/s predicted",
        "ratio",
    ]);
    for (label, _) in counters(1) {
        let mut single_thread_rate = 0.0;
        for threads in 1..=max_threads {
            let counter = counters(threads)
                .into_iter()
                .find(|(name, _)| *name == label)
                .map(|(_, counter)| counter)
                .expect("same labels");
            let per_thread = ops / threads as u64;
            let rate = ops_per_second(counter.as_ref(), threads, per_thread);
            if threads == 1 {
                single_thread_rate = rate;
            }
            let predicted = single_thread_rate * threads.min(cores) as f64;
            table.row([
                label.to_string(),
                threads.to_string(),
                format!("{:.1}", rate / 1e6),
                format!("{:.1}", predicted / 1e6),
                ratio(rate, predicted),
            ]);
        }
    }
    table.print();
}
