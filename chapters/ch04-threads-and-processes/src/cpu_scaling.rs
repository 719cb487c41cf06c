//! One CPU-bound job, split over 1..N threads, over rayon, and (when
//! `python3` exists) over Python threads and processes.
//!
//! The job is `units` independent pieces of arithmetic, each `iterations`
//! steps of a linear congruential generator: every piece costs the same,
//! so the split is even and the ideal speedup is exactly the number of
//! cores in use. The Python script in `python/cpu_scaling.py` computes the
//! very same numbers.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;
use std::thread;
use std::time::Duration;

use kit::measure::{process_cpu_time, timed};
use rayon::prelude::*;

// ANCHOR: unit
/// One piece of work: `iterations` dependent multiply-adds. The result
/// depends on every step, so the compiler cannot skip any.
pub fn unit(seed: u64, iterations: u64) -> u64 {
    let mut x = seed;
    for _ in 0..iterations {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
    }
    x >> 33
}
// ANCHOR_END: unit

// ANCHOR: on_threads
/// Runs units `0..units` on `threads` scoped threads, each taking every
/// `threads`-th unit, and returns the sum of the results.
pub fn on_threads(units: u64, iterations: u64, threads: u64) -> u64 {
    thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|first| {
                scope.spawn(move || {
                    (first..units)
                        .step_by(threads as usize)
                        .map(|seed| unit(seed, iterations))
                        .sum::<u64>()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    })
}
// ANCHOR_END: on_threads

// ANCHOR: on_rayon
/// The same job on rayon's global pool: one line changes, `into_par_iter`.
pub fn on_rayon(units: u64, iterations: u64) -> u64 {
    (0..units)
        .into_par_iter()
        .map(|seed| unit(seed, iterations))
        .sum()
}
// ANCHOR_END: on_rayon

/// One row of the scaling table.
#[derive(Debug, Clone)]
pub struct Run {
    pub label: String,
    pub workers: u64,
    /// Wall-clock time of the run.
    pub time: Duration,
    /// CPU time all threads (and child processes) used during the run:
    /// `cpu / time` is how many cores were busy on average.
    pub cpu: Duration,
}

/// Times `work` in wall-clock and in CPU time of this process.
fn timed_with_cpu<T>(work: impl FnOnce() -> T) -> (T, Duration, Duration) {
    let cpu_before = process_cpu_time();
    let (value, time) = timed(work);
    (value, time, process_cpu_time().saturating_sub(cpu_before))
}

/// Runs `job` `repeats` times and keeps the run with the median wall
/// time (with that run's CPU time). One run alone is at the mercy of
/// whatever else the machine is doing; the median of a few is not.
fn median_run(repeats: usize, expected: u64, mut job: impl FnMut() -> u64) -> (Duration, Duration) {
    let mut samples: Vec<(Duration, Duration)> = (0..repeats.max(1))
        .map(|_| {
            let (sum, time, cpu) = timed_with_cpu(&mut job);
            assert_eq!(sum, expected, "every split computes the same checksum");
            (time, cpu)
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// Times the Rust job on each thread count in `thread_counts`, then on
/// rayon, `repeats` times each (the median is kept). The first run, which
/// computes the checksum, doubles as a warm-up.
pub fn rust_runs(units: u64, iterations: u64, thread_counts: &[u64], repeats: usize) -> Vec<Run> {
    let expected = on_threads(units, iterations, 1);
    let mut runs = Vec::new();
    for &threads in thread_counts {
        let (time, cpu) = median_run(repeats, expected, || {
            on_threads(black_box(units), iterations, threads)
        });
        runs.push(Run {
            label: format!("Rust, {threads} thread(s)"),
            workers: threads,
            time,
            cpu,
        });
    }
    let (time, cpu) = median_run(repeats, expected, || on_rayon(black_box(units), iterations));
    runs.push(Run {
        label: "Rust, rayon".to_string(),
        workers: rayon::current_num_threads() as u64,
        time,
        cpu,
    });
    runs
}

/// What the Python side reported, or why it did not run.
#[derive(Debug, Clone)]
pub enum PythonOutcome {
    Ran { version: String, runs: Vec<Run> },
    Skipped(String),
}

/// Runs `python/cpu_scaling.py` with `python3`, if there is one; the
/// script warms up once and reports the median of `repeats` runs.
pub fn python_runs(
    script: &Path,
    units: u64,
    iterations: u64,
    workers: &[u64],
    repeats: usize,
) -> PythonOutcome {
    let list: Vec<String> = workers.iter().map(u64::to_string).collect();
    let output = Command::new("python3")
        .arg(script)
        .args(["--units", &units.to_string()])
        .args(["--iterations", &iterations.to_string()])
        .args(["--workers", &list.join(",")])
        .args(["--repeats", &repeats.to_string()])
        .output();
    let output = match output {
        Ok(output) if output.status.success() => output,
        Ok(output) => {
            return PythonOutcome::Skipped(format!(
                "python3 failed: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            ));
        }
        Err(error) => return PythonOutcome::Skipped(format!("no python3 ({error})")),
    };
    parse_python(&String::from_utf8_lossy(&output.stdout))
}

/// Parses the script's lines: `version <text>`, then
/// `<kind> <workers> <seconds> <cpu seconds>`.
fn parse_python(text: &str) -> PythonOutcome {
    let mut version = String::from("?");
    let mut runs = Vec::new();
    for line in text.lines() {
        let fields: Vec<&str> = line.split_whitespace().collect();
        match fields.as_slice() {
            ["version", rest @ ..] => version = rest.join(" "),
            [kind, workers, seconds, cpu] => {
                let (Ok(workers), Ok(seconds), Ok(cpu)) =
                    (workers.parse(), seconds.parse::<f64>(), cpu.parse::<f64>())
                else {
                    continue;
                };
                runs.push(Run {
                    label: format!("Python, {workers} {kind}"),
                    workers,
                    time: Duration::from_secs_f64(seconds),
                    cpu: Duration::from_secs_f64(cpu),
                });
            }
            _ => {}
        }
    }
    PythonOutcome::Ran { version, runs }
}

/// The model: with `workers` busy on `cores` cores, the job takes the
/// one-worker time divided by `min(workers, cores)`.
pub fn predicted(single: Duration, workers: u64, cores: u64) -> Duration {
    single / workers.clamp(1, cores.max(1)) as u32
}
