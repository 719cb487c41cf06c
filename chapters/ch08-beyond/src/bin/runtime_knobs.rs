//! What `worker_threads`, `max_blocking_threads` and `event_interval` change,
//! each on a workload whose time that knob decides, against a model.
//!
//! `cargo run --release -p ch08-demos --bin runtime_knobs -- --cpu-jobs 8 --job-ms 60 --blocking-jobs 16 --blocking-ms 50 --spinners 50 --poll-us 20 --sleeps 100`

use ch08_demos::knobs::{self, Busy};
use kit::args::opt;
use kit::table::Table;
use std::time::Duration;

fn main() {
    let cpu_jobs: usize = opt("cpu-jobs", 8);
    let job = Duration::from_millis(opt("job-ms", 60));
    let blocking_jobs: usize = opt("blocking-jobs", 16);
    let blocking_each = Duration::from_millis(opt("blocking-ms", 50));
    let poll_cost = Duration::from_micros(opt("poll-us", 20));
    let busy = Busy {
        spinners: opt("spinners", 50),
        poll_cost_iterations: knobs::calibrate(poll_cost),
        sleeps: opt("sleeps", 100),
    };
    let job_iterations = knobs::calibrate(job);
    println!(
        "{} cores; each CPU job is about {job:?} of spinning; each busy task's poll about {poll_cost:?}\n",
        kit::measure::cores()
    );
    if let Ok(load) = std::fs::read_to_string("/proc/loadavg") {
        let one_minute = load.split_whitespace().next().unwrap_or("?");
        println!(
            "load average over the last minute: {one_minute} (an idle machine reads near 0)\n"
        );
    }

    let mut table = Table::comparison("knob = value (workload)");
    for workers in [1, 2, 4] {
        let cpu_before = kit::measure::process_cpu_time();
        let took = knobs::cpu_jobs(workers, cpu_jobs, job_iterations);
        let cores_used =
            (kit::measure::process_cpu_time() - cpu_before).as_secs_f64() / took.as_secs_f64();
        // Other programs on the machine take cores too: the label says how
        // many this run actually got.
        table.compare(
            &format!("worker_threads = {workers} ({cpu_jobs} CPU jobs; got {cores_used:.2} cores)"),
            took,
            knobs::predicted_cpu(workers, cpu_jobs, job),
        );
    }
    for threads in [1, 4, 16] {
        table.compare(
            &format!(
                "max_blocking_threads = {threads} ({blocking_jobs} x {blocking_each:?} blocking)"
            ),
            knobs::blocking_jobs(threads, blocking_jobs, blocking_each),
            knobs::predicted_blocking(threads, blocking_jobs, blocking_each),
        );
    }
    for interval in [1, 61, 400] {
        // The model takes the poll cost as measured during the run.
        let (lateness, per_poll) = knobs::timer_lateness(interval, busy);
        table.compare(
            &format!(
                "event_interval = {interval} (1 ms sleep lateness, {} busy tasks)",
                busy.spinners
            ),
            lateness,
            knobs::predicted_lateness(interval, busy, per_poll),
        );
    }
    table.print();
}
