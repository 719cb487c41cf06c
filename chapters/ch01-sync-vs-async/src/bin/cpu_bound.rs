//! `cargo run --release -p ch01-demos --bin cpu_bound -- [--jobs 8] [--job-ms 100] [--cores N]`
//!
//! CPU-bound jobs sequentially, as tokio tasks on one thread, as tasks on a
//! multi-thread runtime, and on OS threads, next to the time model.

use kit::args::opt;
use std::time::Duration;

fn main() {
    let jobs: usize = opt("jobs", 8);
    let job_time = Duration::from_millis(opt("job-ms", 100));
    let cores: usize = opt("cores", kit::measure::cores());
    println!(
        "{jobs} CPU-bound jobs on a machine with {cores} cores (predictions: chapter 1's time model)\n"
    );
    ch01_demos::cpu_bound::compare(jobs, job_time, cores).print();
    println!("Async tasks on one thread take the sequential time: concurrency is not parallelism.");
}
