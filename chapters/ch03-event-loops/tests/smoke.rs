// Runs every demo's work at a tiny size, so that `cargo test` keeps the demos
// compiling and running. Nothing here asserts on timing.

use std::time::Duration;

use ch03_demos::blocking::{Placement, home_stall, tokio_stall};
use ch03_demos::compare::{Runtime, echo_ping_pong, many_timers, spawn_and_yield};
use ch03_demos::idle::{home_loop_waits, spinning_loop_waits, tokio_loop_waits};

#[test]
fn the_comparison_workloads_run_on_every_runtime() {
    for runtime in Runtime::ALL {
        spawn_and_yield(runtime, 10, 10);
        many_timers(runtime, 10, 2, Duration::from_millis(1));
        echo_ping_pong(runtime, 3, 5);
    }
}

#[test]
fn the_idle_loops_run() {
    let wait = Duration::from_millis(5);
    home_loop_waits(wait);
    tokio_loop_waits(wait);
    spinning_loop_waits(wait);
}

#[test]
fn the_blocking_experiment_runs() {
    let period = Duration::from_millis(2);
    let length = Duration::from_millis(10);
    for placement in [Placement::InTask, Placement::OnAnotherThread] {
        tokio_stall(placement, period, length);
        home_stall(placement, period, length);
    }
}
