//! CPU time an event loop uses while it waits on a timer, next to a spin loop.
//!
//! `cargo run --release -p ch03-demos --bin idle_cpu [-- --wait-ms 1000]`

use std::time::Duration;

use ch03_demos::idle::{WaitCost, home_loop_waits, spinning_loop_waits, tokio_loop_waits};
use kit::args::opt;
use kit::table::{Table, duration, ratio};

fn main() {
    let wait = Duration::from_millis(opt("wait-ms", 1000));
    println!(
        "Each loop waits {} for one timer; CPU time of the waiting thread.\n",
        duration(wait)
    );

    let rows: [(&str, WaitCost, Duration); 3] = [
        (
            "home-made loop (epoll_wait)",
            home_loop_waits(wait),
            Duration::ZERO,
        ),
        (
            "tokio current-thread",
            tokio_loop_waits(wait),
            Duration::ZERO,
        ),
        (
            "spin loop (checks the clock)",
            spinning_loop_waits(wait),
            wait,
        ),
    ];
    let mut table = Table::new([
        "way of waiting",
        "wall time",
        "CPU time",
        "predicted CPU",
        "CPU / wall",
        "late by",
        "queued for a CPU",
    ]);
    for (label, cost, predicted_cpu) in rows {
        table.row([
            label.to_string(),
            duration(cost.wall),
            duration(cost.cpu),
            duration(predicted_cpu),
            ratio(cost.cpu.as_secs_f64(), cost.wall.as_secs_f64()),
            duration(cost.wall.saturating_sub(wait)),
            duration(cost.queued),
        ]);
    }
    table.print();
    println!("A loop that blocks in the kernel costs (almost) nothing while it waits;");
    println!("the spin loop keeps a core busy for the whole wait.");
    println!("'late by' is wall time past the wait; 'queued for a CPU' is how much of the");
    println!("wait the thread spent ready to run but waiting for a core (run-queue delay).");
}
