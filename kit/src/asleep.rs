//! Wait until another thread is asleep in the kernel, without guessing.
//!
//! Some tests must act only once a thread is blocked, for example wake a
//! runtime from outside only after it went to sleep in `park` or
//! `epoll_wait`; otherwise a wrong answer could pass by luck. Sleeping "long
//! enough" is a guess that fails on a slow machine. On Linux the kernel tells
//! us instead: `/proc/self/task/<tid>/stat` shows each thread's state, and
//! `S` (sleeping) or `D` (uninterruptible) means it is blocked in a system
//! call. Where `/proc` does not exist, the helpers fall back to a short pause
//! and say so in their docs.

use std::time::{Duration, Instant};

/// The kernel's id for the calling thread, to hand to the thread that will
/// wait for it. `None` where `/proc` is not available.
pub fn current_tid() -> Option<u32> {
    let link = std::fs::read_link("/proc/thread-self").ok()?;
    link.file_name()?.to_str()?.parse().ok()
}

/// True if thread `tid` of this process is blocked in the kernel right now.
pub fn is_asleep(tid: u32) -> bool {
    let Ok(stat) = std::fs::read_to_string(format!("/proc/self/task/{tid}/stat")) else {
        return false;
    };
    // The state is the first field after the command name, which is in
    // parentheses and may itself contain spaces.
    let state = stat
        .rsplit_once(')')
        .and_then(|(_, rest)| rest.split_whitespace().next());
    matches!(state, Some("S" | "D"))
}

/// Returns once thread `tid` is asleep in the kernel (true), or once
/// `give_up()` returns true, or after `deadline` (false).
///
/// Without a `tid` (no `/proc`), waits 50 ms and returns true: a guess, but
/// the only portable one.
pub fn wait_until_asleep(tid: Option<u32>, give_up: impl Fn() -> bool, deadline: Duration) -> bool {
    let Some(tid) = tid else {
        std::thread::sleep(Duration::from_millis(50));
        return true;
    };
    let start = Instant::now();
    while start.elapsed() < deadline {
        if give_up() {
            return false;
        }
        if is_asleep(tid) {
            return true;
        }
        std::thread::yield_now();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    #[test]
    fn sees_a_thread_blocked_on_a_channel() {
        let (tid_tx, tid_rx) = mpsc::channel();
        let (go_tx, go_rx) = mpsc::channel::<()>();
        let sleeper = std::thread::spawn(move || {
            tid_tx.send(current_tid()).unwrap();
            go_rx.recv().unwrap(); // blocks in the kernel until we send
        });
        let tid = tid_rx.recv().unwrap();
        assert!(wait_until_asleep(tid, || false, Duration::from_secs(10)));
        go_tx.send(()).unwrap();
        sleeper.join().unwrap();
    }

    #[test]
    fn a_running_thread_is_not_asleep() {
        if let Some(tid) = current_tid() {
            assert!(!is_asleep(tid), "the calling thread is running, not asleep");
        }
    }
}
