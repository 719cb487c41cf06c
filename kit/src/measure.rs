//! Measurements for demos: wall time, CPU time, medians, resident memory.
//!
//! Only demos and benchmarks measure time. Tests never do: they use tokio's
//! paused clock or counters instead (see the book's introduction).

use std::time::{Duration, Instant};

/// Runs `work` once and returns its result with the wall time it took.
pub fn timed<T>(work: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    let value = work();
    (value, start.elapsed())
}

/// Async version of [`timed`]: awaits `work` and returns the elapsed time.
pub async fn timed_async<T>(work: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    let value = work.await;
    (value, start.elapsed())
}

/// Runs `work` `runs` times and returns the median duration.
///
/// The median shrugs off the odd run slowed by another process, which a
/// mean does not.
pub fn median_of(runs: usize, mut work: impl FnMut()) -> Duration {
    let samples: Vec<Duration> = (0..runs.max(1)).map(|_| timed(&mut work).1).collect();
    median(samples)
}

/// The median of a list of durations (the upper median for even lengths).
pub fn median(mut samples: Vec<Duration>) -> Duration {
    assert!(!samples.is_empty(), "median of no samples");
    samples.sort();
    samples[samples.len() / 2]
}

/// CPU time (user + system) this process has used so far.
///
/// Comparing it before and after a wait shows whether the wait burned CPU
/// (a spin loop) or slept in the kernel (a blocking call, an event loop).
pub fn process_cpu_time() -> Duration {
    cpu_time_of(libc::RUSAGE_SELF)
}

/// CPU time used by the calling thread only (Linux `RUSAGE_THREAD`).
pub fn thread_cpu_time() -> Duration {
    cpu_time_of(libc::RUSAGE_THREAD)
}

fn cpu_time_of(who: libc::c_int) -> Duration {
    // Safety: `getrusage` only writes into the zeroed struct we pass it.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(who, &mut usage);
        usage
    };
    let to_duration = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    to_duration(usage.ru_utime) + to_duration(usage.ru_stime)
}

/// Resident memory of this process in bytes, read from `/proc/self/statm`.
///
/// Returns `None` where `/proc` is not available (not Linux).
pub fn resident_bytes() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let resident_pages: u64 = statm.split_whitespace().nth(1)?.parse().ok()?;
    // Safety: `sysconf` has no preconditions; it only reads a system value.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(resident_pages * page_size.max(1) as u64)
}

/// Number of CPU cores available to this process.
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_picks_middle() {
        let ms = |n| Duration::from_millis(n);
        assert_eq!(median(vec![ms(9), ms(1), ms(5)]), ms(5));
    }

    #[test]
    fn resident_memory_is_readable_on_linux() {
        if cfg!(target_os = "linux") {
            assert!(resident_bytes().unwrap() > 0);
        }
    }
}
