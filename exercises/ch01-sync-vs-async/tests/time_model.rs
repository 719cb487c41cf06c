// Tests for exercise `time_model` (chapter 1, "The time model").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch01_exercises::time_model::{concurrent, parallel_cpu, sequential};
use std::time::Duration;

fn ms(list: &[u64]) -> Vec<Duration> {
    list.iter().map(|&n| Duration::from_millis(n)).collect()
}

#[test]
fn sequential_waits_add_up() {
    let waits = ms(&[100, 250, 50]);
    assert_eq!(
        sequential(&waits),
        Duration::from_millis(400),
        "three waits of 100, 250 and 50 ms done one after another take their sum"
    );
    assert_eq!(sequential(&[]), Duration::ZERO, "no work takes no time");
}

#[test]
fn concurrent_waits_take_the_longest_not_the_sum() {
    let waits = ms(&[100, 250, 50]);
    let got = concurrent(&waits, Duration::ZERO);
    assert_ne!(
        got,
        Duration::from_millis(400),
        "concurrent waits overlap: the batch is not the sum of the waits (that is the sequential model)"
    );
    assert_eq!(
        got,
        Duration::from_millis(250),
        "waits started together all end by the time the longest one ends"
    );
}

#[test]
fn concurrent_overhead_is_paid_per_task() {
    let waits = ms(&[100, 100, 100, 100]);
    assert_eq!(
        concurrent(&waits, Duration::from_millis(1)),
        Duration::from_millis(104),
        "starting four tasks costs four times the per-task overhead on top of the longest wait"
    );
    assert_eq!(concurrent(&[], Duration::from_millis(1)), Duration::ZERO);
}

#[test]
fn parallel_cpu_divides_the_total_by_the_cores() {
    let jobs = ms(&[100, 100, 100, 100]);
    assert_eq!(
        parallel_cpu(&jobs, 2),
        Duration::from_millis(200),
        "400 ms of CPU work shared by 2 cores takes 200 ms at best"
    );
    assert_eq!(
        parallel_cpu(&jobs, 1),
        Duration::from_millis(400),
        "one core runs CPU jobs one after another"
    );
}

#[test]
fn parallel_cpu_cannot_beat_the_longest_job() {
    let jobs = ms(&[900, 50, 50]);
    assert_eq!(
        parallel_cpu(&jobs, 4),
        Duration::from_millis(900),
        "one job runs on one core: 4 cores cannot finish a 900 ms job sooner than 900 ms, \
         even though the total (1000 ms) / 4 is only 250 ms"
    );
    assert_eq!(
        parallel_cpu(&ms(&[100, 100]), 8),
        Duration::from_millis(100),
        "extra cores beyond the number of jobs sit idle"
    );
}

#[test]
fn parallel_cpu_lets_the_cores_share_uneven_jobs() {
    // One core runs the 500 ms job while the other runs 200 + 200 + 100:
    // both are done at 500 ms. Jobs are not run in lock-step waves.
    let jobs = ms(&[500, 200, 200, 100]);
    let got = parallel_cpu(&jobs, 2);
    assert_eq!(
        got,
        Duration::from_millis(500),
        "1000 ms of jobs [500, 200, 200, 100] on 2 cores take 500 ms at best (the larger of \
         total / cores = 500 and the longest job = 500), got {got:?}. A core that finishes a short \
         job starts the next one at once: the cores share the total, they do not run waves of \
         `cores` jobs that each wait for the wave's longest"
    );
    assert_eq!(
        parallel_cpu(&ms(&[300, 100, 100, 100, 100, 100]), 3),
        Duration::from_millis(300),
        "[300, 100 x 5] on 3 cores: 800 / 3 = 266.7 ms, but the 300 ms job is the floor"
    );
}

#[test]
#[should_panic(expected = "at least one core")]
fn parallel_cpu_rejects_zero_cores() {
    parallel_cpu(&ms(&[100]), 0);
}
