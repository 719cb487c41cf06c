//! Demo `amdahl`: a job with a serial part, on 1, 2, 4... threads.
//!
//! The job is `serial` worth of CPU work that only one thread can do,
//! followed by `parallel` worth split evenly across the threads. Amdahl's
//! law predicts the speedup; more threads than cores add nothing, so the
//! prediction uses `min(threads, cores)` workers.

use crate::amdahl_law as amdahl;
use kit::table::{Table, duration, ratio};
use std::time::{Duration, Instant};

// ANCHOR: job
/// Runs the serial part, then the parallel part split over `threads`.
pub fn run_job(serial_rounds: u64, parallel_rounds: u64, threads: usize) -> Duration {
    let start = Instant::now();
    crate::spin(serial_rounds); // e.g. reading input, merging results
    let share = parallel_rounds / threads as u64;
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(move || crate::spin(share));
        }
    });
    start.elapsed()
}
// ANCHOR_END: job

/// Times the job on 1, 2, 4, ... up to `max_threads` threads.
pub fn compare(total: Duration, parallel_fraction: f64, max_threads: usize, cores: usize) -> Table {
    let rounds = crate::rounds_for(total);
    let parallel_rounds = (rounds as f64 * parallel_fraction) as u64;
    let serial_rounds = rounds - parallel_rounds;
    let one_thread = run_job(serial_rounds, parallel_rounds, 1);
    let mut table = Table::new([
        "threads",
        "time",
        "measured speedup",
        "Amdahl's prediction",
        "ratio",
    ]);
    let mut threads = 1;
    while threads <= max_threads {
        let took = if threads == 1 {
            one_thread
        } else {
            run_job(serial_rounds, parallel_rounds, threads)
        };
        let measured = one_thread.as_secs_f64() / took.as_secs_f64();
        // Threads beyond the number of cores share cores: they are not workers.
        let workers = threads.min(cores) as u32;
        let predicted = amdahl::speedup(parallel_fraction, workers);
        table.row([
            threads.to_string(),
            duration(took),
            format!("{measured:.2}x"),
            format!("{predicted:.2}x"),
            ratio(measured, predicted),
        ]);
        threads *= 2;
    }
    table
}
