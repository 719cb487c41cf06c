//! Cost of creating and joining a tokio task, an OS thread and a process.
//!
//! `cargo run --release -p ch04-demos --bin spawn_cost -- --samples 2000`

use ch04_demos::spawn_cost::{measure, predictions};
use kit::args::opt;
use kit::table::{Table, duration, ratio};

fn main() {
    let samples: usize = opt("samples", 2_000);
    let process_samples: usize = opt("process-samples", 300);
    println!(
        "create + join one unit, median of {samples} runs ({process_samples} for processes)\n"
    );
    let measured = measure(samples, process_samples);
    let predicted = predictions(&measured);
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
    println!(
        "predicted: task = a {} oneshot (the output's cell) + {} bookkeeping + 2 run-queue trips of {} (each timed alone);",
        kit::table::duration(measured.task_cell),
        kit::table::duration(measured.task_bookkeeping),
        kit::table::duration(measured.run_queue_trip)
    );
    println!("thread ~20 µs, process ~0.7 ms: rules of thumb.");
}
