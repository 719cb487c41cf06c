//! The home-made runtime against tokio's two flavours on the same work.
//!
//! `cargo run --release -p ch03-demos --bin vs_tokio [-- --tasks 1000 --yields 1000
//!  --timer-tasks 1000 --sleeps 20 --connections 50 --round-trips 200 --runs 3]`

use std::time::Duration;

use ch03_demos::compare::{Runtime, echo_ping_pong, many_timers, spawn_and_yield};
use kit::args::opt;
use kit::measure::median;
use kit::table::{Table, duration, ratio};

/// One workload, runnable on any of the three runtimes.
type Workload = Box<dyn Fn(Runtime) -> Duration>;

fn main() {
    let runs: usize = opt("runs", 3);
    let tasks: usize = opt("tasks", 1000);
    let yields: usize = opt("yields", 1000);
    let timer_tasks: usize = opt("timer-tasks", 1000);
    let sleeps: usize = opt("sleeps", 20);
    let connections: usize = opt("connections", 50);
    let round_trips: usize = opt("round-trips", 200);
    let period = Duration::from_millis(1);

    println!("Same work on three runtimes (median of {runs} runs); the reference is tokio's");
    println!("current-thread runtime, the one built like ours: a single thread, one loop.\n");

    let workloads: Vec<(String, Workload)> = vec![
        (
            format!("{tasks} tasks x {yields} yields"),
            Box::new(move |rt| spawn_and_yield(rt, tasks, yields)),
        ),
        (
            format!("{timer_tasks} tasks x {sleeps} sleeps of 1 ms"),
            Box::new(move |rt| many_timers(rt, timer_tasks, sleeps, period)),
        ),
        (
            format!("echo: {connections} connections x {round_trips} round trips"),
            Box::new(move |rt| echo_ping_pong(rt, connections, round_trips)),
        ),
    ];

    let mut table = Table::new([
        "workload",
        "runtime",
        "measured",
        "tokio current-thread",
        "ratio",
    ]);
    for (label, workload) in &workloads {
        let times: Vec<(Runtime, Duration)> = Runtime::ALL
            .iter()
            .map(|&rt| (rt, median((0..runs.max(1)).map(|_| workload(rt)).collect())))
            .collect();
        let reference = times
            .iter()
            .find(|(rt, _)| *rt == Runtime::TokioCurrentThread)
            .map(|(_, time)| *time)
            .expect("tokio current-thread is measured");
        for (rt, time) in times {
            table.row([
                label.clone(),
                rt.name().to_string(),
                duration(time),
                duration(reference),
                ratio(time.as_secs_f64(), reference.as_secs_f64()),
            ]);
        }
    }
    table.print();
    println!(
        "The timer workload has a floor: {sleeps} sleeps of 1 ms take at least {}.",
        duration(period * sleeps as u32)
    );
    println!("The multi-thread runtime spreads tasks over the cores, at the price of");
    println!("synchronisation; on work that is all switching it can be slower, not faster.");
}
