//! What survives when a thread panics, and when a process dies.
//!
//! Three scenarios, each reported as what was expected and what happened:
//!
//! 1. a thread panics while holding a lock: the process and its other
//!    threads go on, `join` returns `Err`, the lock is poisoned;
//! 2. a child process aborts: the parent goes on and reads the signal from
//!    the exit status;
//! 3. a thread of a child process calls `abort`: the whole child dies, its
//!    healthy thread included (one address space, one fate).
//!
//! Scenarios 2 and 3 re-run the demo binary itself in a "child mode".

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex, mpsc};
use std::thread;

/// One scenario's result.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub scenario: &'static str,
    pub expected: &'static str,
    pub observed: String,
    pub as_expected: bool,
}

// ANCHOR: panicking_thread
/// A thread panics while it holds a lock; another thread finishes its work.
pub fn panicking_thread() -> Outcome {
    let shared = Arc::new(Mutex::new(0_u32));
    let healthy = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            for _ in 0..1_000 {
                *shared
                    .lock()
                    .unwrap_or_else(|poisoned| poisoned.into_inner()) += 1;
            }
            "finished"
        })
    };
    let failing = {
        let shared = Arc::clone(&shared);
        thread::spawn(move || {
            let _guard = shared.lock().unwrap();
            panic!("a bug in one thread (expected by the demo)");
        })
    };
    let failing_result = failing.join();
    let healthy_result = healthy.join();
    let observed = format!(
        "joins: {} / {}; poisoned: {}",
        if failing_result.is_err() { "Err" } else { "Ok" },
        if healthy_result.is_ok() { "Ok" } else { "Err" },
        shared.is_poisoned()
    );
    Outcome {
        scenario: "thread panics",
        expected: "joins: Err / Ok; poisoned: true",
        as_expected: failing_result.is_err() && healthy_result.is_ok() && shared.is_poisoned(),
        observed,
    }
}
// ANCHOR_END: panicking_thread

/// What the child mode of the demo binary does (`--child <mode>`).
pub fn child_main(mode: &str) {
    match mode {
        "abort" => {
            println!("child: working");
            std::process::abort();
        }
        "abort-in-thread" => {
            let (started_tx, started_rx) = mpsc::channel();
            let (go_tx, go_rx) = mpsc::channel::<()>();
            let healthy = thread::spawn(move || {
                println!("healthy thread: started");
                started_tx.send(()).unwrap();
                // It would finish once the other thread's work is done...
                let _ = go_rx.recv();
                println!("healthy thread: finished");
            });
            started_rx.recv().unwrap();
            // ...but that thread aborts, and `abort` ends every thread of
            // this process at once: "finished" is never printed.
            thread::spawn(|| std::process::abort()).join().ok();
            go_tx.send(()).ok();
            healthy.join().ok();
        }
        other => eprintln!("unknown child mode {other:?}"),
    }
}

/// Runs `self_exe --child <mode>` and returns its output lines and status.
fn run_child(self_exe: &Path, mode: &str) -> (Vec<String>, String, bool) {
    let mut child = Command::new(self_exe)
        .args(["--child", mode])
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the demo as a child");
    let lines: Vec<String> = BufReader::new(child.stdout.take().unwrap())
        .lines()
        .map_while(Result::ok)
        .collect();
    let status = child.wait().expect("wait for the child");
    (lines, status.to_string(), status.success())
}

// ANCHOR: aborting_child
/// A child process aborts; the parent carries on and reads its status.
pub fn aborting_child(self_exe: &Path) -> Outcome {
    let (lines, status, success) = run_child(self_exe, "abort");
    Outcome {
        scenario: "child process aborts",
        expected: "parent reads SIGABRT",
        observed: format!("parent reads {}, {} line(s)", short(&status), lines.len()),
        as_expected: !success && status.contains("SIGABRT"),
    }
}
// ANCHOR_END: aborting_child

/// A thread of a child process aborts: the whole child goes down.
pub fn abort_in_thread(self_exe: &Path) -> Outcome {
    let (lines, status, success) = run_child(self_exe, "abort-in-thread");
    let healthy_finished = lines.iter().any(|line| line.contains("finished"));
    Outcome {
        scenario: "one thread of a child aborts",
        expected: "SIGABRT, healthy thread cut short",
        observed: format!(
            "{}, healthy thread {}",
            short(&status),
            if healthy_finished {
                "finished"
            } else {
                "cut short"
            }
        ),
        as_expected: !success && !healthy_finished && status.contains("SIGABRT"),
    }
}

/// "signal: 6 (SIGABRT)" -> "SIGABRT".
fn short(status: &str) -> String {
    match (status.find('('), status.find(')')) {
        (Some(open), Some(close)) if open < close => status[open + 1..close].to_string(),
        _ => status.to_string(),
    }
}

/// All three scenarios.
pub fn run_all(self_exe: &Path) -> Vec<Outcome> {
    vec![
        panicking_thread(),
        aborting_child(self_exe),
        abort_in_thread(self_exe),
    ]
}
