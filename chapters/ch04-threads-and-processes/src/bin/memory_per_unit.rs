//! Resident memory added per parked thread and per pending tokio task.
//!
//! `cargo run --release -p ch04-demos --bin memory_per_unit -- --threads 2000 --tasks 200000`

use ch04_demos::memory::{per_task, per_thread, predicted_per_task, predicted_per_thread};
use kit::args::opt;
use kit::table::{Table, bytes, ratio};

fn main() {
    let threads: usize = opt("threads", 1_000);
    let tasks: usize = opt("tasks", 100_000);
    let thread = per_thread(threads);
    let task = per_task(tasks);
    let mut table = Table::new(["unit", "count", "measured per unit", "predicted", "ratio"]);
    for (label, measured, model) in [
        ("parked OS thread", thread, predicted_per_thread()),
        ("pending tokio task", task, predicted_per_task()),
    ] {
        table.row([
            label.to_string(),
            measured.units.to_string(),
            bytes(measured.bytes_per_unit.max(0.0) as u64),
            bytes(model as u64),
            ratio(measured.bytes_per_unit, model),
        ]);
    }
    table.print();
    let per_thousand_threads = thread.bytes_per_unit * 1_000.0;
    let per_100k_tasks = task.bytes_per_unit * 100_000.0;
    println!(
        "1 000 threads add {}; 100 000 tasks add {}.",
        bytes(per_thousand_threads.max(0.0) as u64),
        bytes(per_100k_tasks.max(0.0) as u64)
    );
    println!(
        "(resident memory only: each thread also reserves 2 MiB of address space for its stack)"
    );
}
