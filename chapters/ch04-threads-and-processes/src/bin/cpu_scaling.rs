//! The same CPU-bound job on 1..N Rust threads, on rayon, and in Python
//! threads and processes: speedup next to the ideal, and the GIL measured.
//!
//! `cargo run --release -p ch04-demos --bin cpu_scaling -- --iterations 20000000`

use std::path::Path;

use ch04_demos::cpu_scaling::{PythonOutcome, Run, predicted, python_runs, rust_runs};
use kit::args::opt;
use kit::measure::cores;
use kit::table::{Table, duration, ratio};

fn main() {
    let cores = cores() as u64;
    let units: u64 = opt("units", 64);
    let iterations: u64 = opt("iterations", 6_000_000);
    let py_iterations: u64 = opt("py-iterations", 12_000);
    let max_workers: u64 = opt("max-workers", (cores * 2).max(2));
    let repeats: usize = opt("repeats", 5);
    let counts: Vec<u64> = (0..)
        .map(|power| 1u64 << power)
        .take_while(|&n| n <= max_workers)
        .collect();
    println!(
        "{units} equal units of arithmetic on {cores} core(s); median of {repeats} runs each, after a warm-up\n"
    );

    let rust = rust_runs(units, iterations, &counts, repeats);
    print_table("Rust", &rust, cores);

    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/cpu_scaling.py");
    match python_runs(&script, units, py_iterations, &counts, repeats) {
        PythonOutcome::Ran { version, runs } => {
            println!("Python {version}, {py_iterations} iterations per unit\n");
            print_table("Python", &runs, cores);
        }
        PythonOutcome::Skipped(why) => println!("Python comparison skipped: {why}"),
    }
    println!("predicted: one-worker time / min(workers, cores); speedup = one-worker time / time;");
    println!(
        "cores busy = CPU time / wall time (other programs running at the same time lower it)."
    );
}

fn print_table(language: &str, runs: &[Run], cores: u64) {
    let mut table = Table::new([
        language,
        "measured",
        "predicted",
        "ratio",
        "speedup",
        "cores busy",
    ]);
    // Each kind (threads, processes) has its own one-worker baseline.
    for run in runs {
        let kind = run.label.split_whitespace().last().unwrap_or("");
        let single = runs
            .iter()
            .find(|r| r.workers == 1 && r.label.ends_with(kind))
            .or_else(|| runs.first())
            .map_or(run.time, |r| r.time);
        let model = predicted(single, run.workers, cores);
        table.row([
            run.label.clone(),
            duration(run.time),
            duration(model),
            ratio(run.time.as_secs_f64(), model.as_secs_f64()),
            ratio(single.as_secs_f64(), run.time.as_secs_f64()),
            format!("{:.2}", run.cpu.as_secs_f64() / run.time.as_secs_f64()),
        ]);
    }
    table.print();
}
