//! A blocking call inside a task makes every timer on the loop late.
//!
//! `cargo run --release -p ch03-demos --bin blocking_stall [-- --block-ms 300 --period-ms 10]`

use std::time::Duration;

use ch03_demos::blocking::{Placement, home_stall, tokio_stall};
use kit::args::opt;
use kit::table::Table;

fn main() {
    let length = Duration::from_millis(opt("block-ms", 300));
    let period = Duration::from_millis(opt("period-ms", 10));
    println!(
        "A ticker sleeps {period:?} again and again; another task makes one blocking call of \
         {length:?}.\nWorst lateness of a tick (predicted: the call's length when it blocks the \
         loop, about one timer tick (1 ms) when it runs on another thread).\n"
    );
    let tick = Duration::from_millis(1);
    let mut table = Table::comparison("runtime, where the blocking call runs");
    let cases = [
        (
            "tokio current-thread, in the task",
            Placement::InTask,
            length,
            true,
        ),
        (
            "tokio current-thread, spawn_blocking",
            Placement::OnAnotherThread,
            tick,
            true,
        ),
        ("home-made, in the task", Placement::InTask, length, false),
        (
            "home-made, thread + oneshot",
            Placement::OnAnotherThread,
            tick,
            false,
        ),
    ];
    for (label, placement, predicted, on_tokio) in cases {
        let stall = if on_tokio {
            tokio_stall(placement, period, length)
        } else {
            home_stall(placement, period, length)
        };
        table.compare(label, stall.worst_lateness, predicted);
    }
    table.print();
    println!("While a task blocks, the loop cannot poll anyone else: not the ticker,");
    println!("not a socket, not a timer. Hand blocking work to another thread.");
}
