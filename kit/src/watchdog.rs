//! Run work with a generous deadline, so a deadlock fails instead of hanging.
//!
//! Tests in this workbook never use time to decide *whether an answer is
//! right*. They do use a deadline as a safety net: a learner's lock that
//! deadlocks, or a thread that waits for a wake-up that never comes, would
//! otherwise hang `cargo test` forever. [`within`] runs the work on its own
//! thread and, if it has not finished after the deadline, panics with
//! "deadlock suspected: ..." and a hint. The stuck thread is leaked; the test
//! process ends anyway when the test harness exits.

use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// The default deadline: long enough that no correct answer on a slow,
/// loaded machine gets near it, short enough that a hang is reported soon.
pub const GENEROUS: Duration = Duration::from_secs(10);

/// Runs `work` on a new thread and returns its result.
///
/// # Panics
/// - `"deadlock suspected: <what> did not finish within <deadline>. <hint>"`
///   if the deadline passes first;
/// - with the work's own panic message if the work panicked.
pub fn within<T: Send + 'static>(
    deadline: Duration,
    what: &str,
    hint: &str,
    work: impl FnOnce() -> T + Send + 'static,
) -> T {
    let (done_tx, done_rx) = mpsc::channel();
    let worker = thread::Builder::new()
        .name(format!("watchdog: {what}"))
        .spawn(move || {
            let value = work();
            // The receiver may have given up already; that is fine.
            let _ = done_tx.send(());
            value
        })
        .expect("spawn watchdog worker thread");
    match done_rx.recv_timeout(deadline) {
        // Finished (or panicked: the sender was dropped during unwinding).
        Ok(()) | Err(mpsc::RecvTimeoutError::Disconnected) => match worker.join() {
            Ok(value) => value,
            Err(panic) => std::panic::resume_unwind(panic),
        },
        Err(mpsc::RecvTimeoutError::Timeout) => {
            panic!("deadlock suspected: {what} did not finish within {deadline:?}. {hint}")
        }
    }
}

/// Yields until `condition` holds; meant to run inside [`within`], which
/// bounds it. Fails at once if one of the `helpers` ended: it panicked (its
/// message is printed above) or returned when it should still be waiting.
///
/// Tests use it to wait until helper threads are really blocked (a probe
/// counts sleepers) instead of sleeping and hoping.
pub fn wait_until<T>(condition: impl Fn() -> bool, helpers: &[thread::JoinHandle<T>]) {
    while !condition() {
        assert!(
            !helpers.iter().any(|helper| helper.is_finished()),
            "a helper thread ended while the test waited for it to block: it panicked \
             (see its message above) or returned instead of waiting"
        );
        thread::yield_now();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn returns_the_value() {
        assert_eq!(within(GENEROUS, "addition", "", || 2 + 2), 4);
    }

    #[test]
    #[should_panic(expected = "deadlock suspected: a stuck lock")]
    fn reports_a_hang() {
        within(Duration::from_millis(20), "a stuck lock", "hint", || {
            thread::park();
        });
    }

    #[test]
    #[should_panic(expected = "inner message")]
    fn forwards_panics() {
        within(GENEROUS, "panicking work", "", || panic!("inner message"));
    }
}
