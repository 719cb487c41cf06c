//! What the runtime builder's knobs change, measured on small workloads
//! whose time each knob decides, next to a model of each.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Spins the CPU for about `iterations` steps; `black_box` keeps the
/// optimiser from deleting the loop.
fn spin(iterations: u64) -> u64 {
    let mut acc = 0u64;
    for i in 0..iterations {
        acc = std::hint::black_box(acc.wrapping_mul(31).wrapping_add(i));
    }
    acc
}

/// How many spin iterations take `target` of CPU time on this machine.
/// Calibrated on the thread's CPU clock, not the wall clock, so that other
/// programs sharing the cores do not shrink the jobs.
pub fn calibrate(target: Duration) -> u64 {
    let mut iterations = 10_000u64;
    loop {
        let started = kit::measure::thread_cpu_time();
        spin(iterations);
        let took = kit::measure::thread_cpu_time().saturating_sub(started);
        if took >= Duration::from_millis(50) {
            return (iterations as f64 * target.as_secs_f64() / took.as_secs_f64()) as u64;
        }
        iterations *= 2;
    }
}

// ANCHOR: worker_threads
/// `jobs` CPU-bound tasks of `job_iterations` each, on `workers` threads.
pub fn cpu_jobs(workers: usize, jobs: usize, job_iterations: u64) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(workers)
        .build()
        .expect("build runtime");
    let started = Instant::now();
    runtime.block_on(async {
        let tasks: Vec<_> = (0..jobs)
            .map(|_| tokio::spawn(async move { spin(job_iterations) }))
            .collect();
        for task in tasks {
            task.await.expect("job panicked");
        }
    });
    started.elapsed()
}
// ANCHOR_END: worker_threads

// ANCHOR: max_blocking_threads
/// `jobs` blocking calls of `each` (a thread sleep) through `spawn_blocking`,
/// with at most `threads` threads in the blocking pool.
pub fn blocking_jobs(threads: usize, jobs: usize, each: Duration) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .max_blocking_threads(threads)
        .build()
        .expect("build runtime");
    let started = Instant::now();
    runtime.block_on(async {
        let calls: Vec<_> = (0..jobs)
            .map(|_| tokio::task::spawn_blocking(move || std::thread::sleep(each)))
            .collect();
        for call in calls {
            call.await.expect("blocking job panicked");
        }
    });
    started.elapsed()
}
// ANCHOR_END: max_blocking_threads

/// Returns `Pending` once after waking itself: a task that is always ready
/// (unlike `tokio::task::yield_now`, which tokio defers until it has checked
/// timers and I/O).
struct Requeue(bool);

impl Future for Requeue {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        cx.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The event-interval workload's knobs.
#[derive(Debug, Clone, Copy)]
pub struct Busy {
    /// Tasks that are always ready, each poll spinning for `poll_cost`.
    pub spinners: usize,
    pub poll_cost_iterations: u64,
    /// How many 1 ms sleeps the timer task takes.
    pub sleeps: u32,
}

// ANCHOR: event_interval
/// Mean lateness of a 1 ms `sleep` while `spinners` always-ready tasks keep
/// the run queue full, on a current-thread runtime that checks its timers
/// every `event_interval` polls. Also returns the spinners' mean wall time
/// per poll, which the model needs (it grows when the machine is busy).
pub fn timer_lateness(event_interval: u32, busy: Busy) -> (Duration, Duration) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .event_interval(event_interval)
        .enable_time()
        .build()
        .expect("build runtime");
    runtime.block_on(async {
        let stop = Arc::new(AtomicBool::new(false));
        let polls = Arc::new(AtomicU64::new(0));
        let spinners: Vec<_> = (0..busy.spinners)
            .map(|_| {
                let (stop, polls) = (stop.clone(), polls.clone());
                tokio::spawn(async move {
                    while !stop.load(Ordering::Relaxed) {
                        spin(busy.poll_cost_iterations);
                        polls.fetch_add(1, Ordering::Relaxed);
                        Requeue(false).await;
                    }
                })
            })
            .collect();
        let started = Instant::now();
        let mut late = Duration::ZERO;
        for _ in 0..busy.sleeps {
            let asked = Instant::now();
            tokio::time::sleep(Duration::from_millis(1)).await;
            late += asked.elapsed().saturating_sub(Duration::from_millis(1));
        }
        let per_poll = started.elapsed() / polls.load(Ordering::Relaxed).max(1) as u32;
        stop.store(true, Ordering::Relaxed);
        for spinner in spinners {
            spinner.await.expect("spinner panicked");
        }
        (late / busy.sleeps, per_poll)
    })
}
// ANCHOR_END: event_interval

/// The model for `timer_lateness`: half a millisecond of timer-wheel
/// rounding, plus on average half an interval until the runtime next looks
/// at its timers, plus one lap of the run queue before the woken timer task
/// gets its turn.
pub fn predicted_lateness(event_interval: u32, busy: Busy, poll_cost: Duration) -> Duration {
    Duration::from_micros(500) + poll_cost * event_interval / 2 + poll_cost * busy.spinners as u32
}

/// The model for `cpu_jobs`: the jobs run in waves, as many at a time as
/// there are workers and cores.
pub fn predicted_cpu(workers: usize, jobs: usize, job: Duration) -> Duration {
    let parallel = workers.min(kit::measure::cores()).max(1);
    job * jobs.div_ceil(parallel) as u32
}

/// The model for `blocking_jobs`: waves of `threads` calls.
pub fn predicted_blocking(threads: usize, jobs: usize, each: Duration) -> Duration {
    each * jobs.div_ceil(threads) as u32
}
