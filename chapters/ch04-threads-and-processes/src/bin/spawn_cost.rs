//! Cost of creating and joining a tokio task, an OS thread and a process.
//!
//! `cargo run --release -p ch04-demos --bin spawn_cost -- --samples 2000`

use ch04_demos::spawn_cost::{measure, rule_of_thumb};
use kit::args::opt;
use kit::table::{Table, duration, ratio};

fn main() {
    let samples: usize = opt("samples", 2_000);
    let process_samples: usize = opt("process-samples", 300);
    println!(
        "create + join one unit, median of {samples} runs ({process_samples} for processes)\n"
    );
    let measured = measure(samples, process_samples);
    let predicted = rule_of_thumb();
    let mut table = Table::new(["unit", "measured", "predicted", "ratio", "vs task"]);
    for (label, got, guess) in [
        ("tokio task", measured.task, predicted.task),
        ("OS thread", measured.thread, predicted.thread),
        ("process (`true`)", measured.process, predicted.process),
    ] {
        table.row([
            label.to_string(),
            duration(got),
            duration(guess),
            ratio(got.as_secs_f64(), guess.as_secs_f64()),
            ratio(got.as_secs_f64(), measured.task.as_secs_f64()),
        ]);
    }
    table.print();
    println!("predicted: rules of thumb (task ~2 µs, thread ~20 µs, process ~0.7 ms).");
}
