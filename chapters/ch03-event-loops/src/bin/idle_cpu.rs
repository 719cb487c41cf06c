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
    ]);
    for (label, cost, predicted_cpu) in rows {
        table.row([
            label.to_string(),
            duration(cost.wall),
            duration(cost.cpu),
            duration(predicted_cpu),
            ratio(cost.cpu.as_secs_f64(), cost.wall.as_secs_f64()),
        ]);
    }
    table.print();
    println!("A loop that blocks in the kernel costs (almost) nothing while it waits;");
    println!("the spin loop keeps a core busy for the whole wait.");
}
