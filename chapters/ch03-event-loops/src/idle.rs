//! What an event loop costs while it has nothing to do.
//!
//! The home-made loop blocks in the kernel (`epoll_wait` through mio) until
//! its timer is due; a naive loop that keeps checking the clock burns a core
//! for the whole wait. CPU time is measured for the calling thread only.

use std::time::{Duration, Instant};

use crate::s4_reactor as home;
use kit::measure::thread_cpu_time;

/// Wall time and CPU time of one way of waiting.
#[derive(Debug, Clone, Copy)]
pub struct WaitCost {
    pub wall: Duration,
    pub cpu: Duration,
    /// Time the thread was ready to run but waited for a free CPU (the
    /// kernel's run-queue delay, from `/proc/thread-self/schedstat`).
    pub queued: Duration,
}

/// The calling thread's total run-queue delay so far: the second field of
/// `/proc/thread-self/schedstat`, in nanoseconds. Zero where it is missing.
fn run_queue_delay() -> Duration {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    let nanos = stat
        .split_whitespace()
        .nth(1)
        .and_then(|field| field.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}

/// Runs `wait` on this thread and measures both clocks around it.
fn measure(wait: impl FnOnce()) -> WaitCost {
    let cpu_before = thread_cpu_time();
    let queued_before = run_queue_delay();
    let start = Instant::now();
    wait();
    WaitCost {
        wall: start.elapsed(),
        cpu: thread_cpu_time() - cpu_before,
        queued: run_queue_delay() - queued_before,
    }
}

// ANCHOR: idle
/// The home-made loop waiting on one timer: it sleeps in `epoll_wait`.
pub fn home_loop_waits(wait: Duration) -> WaitCost {
    measure(|| home::block_on(home::sleep(wait)))
}

/// A loop that asks "is it time yet?" over and over, never sleeping.
pub fn spinning_loop_waits(wait: Duration) -> WaitCost {
    measure(|| {
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            std::hint::spin_loop();
        }
    })
}
// ANCHOR_END: idle

/// tokio's current-thread runtime waiting on one timer, for comparison.
pub fn tokio_loop_waits(wait: Duration) -> WaitCost {
    measure(|| {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("build a tokio runtime")
            // The sleep is created inside the runtime: tokio's timers need
            // the runtime's context when they are built, not only when polled.
            .block_on(async { tokio::time::sleep(wait).await });
    })
}
