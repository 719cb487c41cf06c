//! Cost of one context switch: ping-pong between two threads, two
//! processes and two tokio tasks, on all cores and pinned to one.
//!
//! `cargo run --release -p ch04-demos --bin switch_cost -- --rounds 20000`

use std::time::Duration;

use ch04_demos::spawn_cost::yield_round_trip;
use ch04_demos::switch_cost::{
    kernel_model, on_one_core, processes_pipes, syscalls_alone, task_channel_alone, task_model,
    tasks_channels, threads_channels, threads_pipes,
};
use kit::args::opt;
use kit::measure::median;
use kit::table::{Table, duration, ratio};

/// The model's parts, timed on their own.
fn run_queue_trip(rounds: u32) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    yield_round_trip(&runtime, rounds)
}

/// Times `rounds` of something and returns the time per hand-over.
type Measure = fn(u32) -> Duration;

const PARTS: [Measure; 3] = [syscalls_alone, task_channel_alone, run_queue_trip];

const ROWS: [(&str, Measure, bool); 4] = [
    ("threads, mpsc channels", threads_channels, true),
    ("threads, pipes", threads_pipes, true),
    ("processes, pipes (cat)", processes_pipes, true),
    ("tokio tasks, mpsc", tasks_channels, false),
];

/// One sample of every part and every row, all cores then one core, taken
/// back to back so that load from other programs hits a measurement and
/// the parts of its model alike.
fn one_sample(rounds: u32) -> (Vec<Duration>, Vec<Duration>, Vec<Option<Duration>>) {
    let parts = PARTS.iter().map(|part| part(rounds)).collect();
    let spread = ROWS.iter().map(|row| (row.1)(rounds)).collect();
    let pinned = ROWS
        .iter()
        .map(|row| {
            let measure = row.1;
            on_one_core(move || measure(rounds))
        })
        .collect();
    (parts, spread, pinned)
}

fn main() {
    let rounds: u32 = opt("rounds", 20_000);
    let repeats: usize = opt("repeats", 5);
    let switch_us: f64 = opt("switch-us", 1.0);
    let switch = Duration::from_secs_f64(switch_us / 1e6);
    println!("one hand-over = half a ping-pong round; {rounds} rounds, median of {repeats} runs\n");

    let samples: Vec<_> = (0..repeats.max(1)).map(|_| one_sample(rounds)).collect();
    let part = |i: usize| median(samples.iter().map(|s| s.0[i]).collect());
    let (syscalls, channel, trip) = (part(0), part(1), part(2));
    let kernel = kernel_model(syscalls, switch);
    let task = task_model(channel, trip);

    let mut table = Table::new(["ping-pong", "cores", "per switch", "predicted", "ratio"]);
    for (row, (label, _, in_kernel)) in ROWS.iter().enumerate() {
        let predicted = if *in_kernel { kernel } else { task };
        let spread = Some(median(samples.iter().map(|s| s.1[row]).collect()));
        let pinned: Option<Vec<Duration>> = samples.iter().map(|s| s.2[row]).collect();
        for (cores, got) in [("all", spread), ("1", pinned.map(median))] {
            let Some(got) = got else {
                table.row([
                    label.to_string(),
                    cores.to_string(),
                    "pinning failed".into(),
                ]);
                continue;
            };
            table.row([
                label.to_string(),
                cores.to_string(),
                duration(got),
                duration(predicted),
                ratio(got.as_secs_f64(), predicted.as_secs_f64()),
            ]);
        }
    }
    table.print();
    println!(
        "predicted, kernel: a write + read on one thread ({}) + a {} switch (rule of thumb, --switch-us);",
        duration(syscalls),
        duration(switch)
    );
    println!(
        "predicted, tasks: a send + receive on one task ({}) + one run-queue trip (a task waking itself: {}).",
        duration(channel),
        duration(trip)
    );
}
