//! Demo `nonblocking_read`: what a read does when no data has arrived yet.
//!
//! A writer thread sends a message after `delay`. Three readers wait for it:
//! a blocking read (the kernel parks the thread until data arrives), a single
//! non-blocking read (returns `WouldBlock` at once), and a loop of
//! non-blocking reads (gets the data, but burns a core while it waits).

use kit::measure::thread_cpu_time;
use kit::table::{Table, duration, ratio};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::net::UnixStream;
use std::thread;
use std::time::{Duration, Instant};

/// What one way of reading cost: wall time until it returned, CPU used.
pub struct Cost {
    pub returned_after: Duration,
    pub cpu: Duration,
}

/// A socket pair whose write end receives `b"ping"` after `delay`.
fn delayed_message(delay: Duration) -> (UnixStream, thread::JoinHandle<()>) {
    let (mut writer, reader) = UnixStream::pair().expect("create a socket pair");
    let sender = thread::spawn(move || {
        thread::sleep(delay);
        writer.write_all(b"ping").expect("write to the socket");
    });
    (reader, sender)
}

// ANCHOR: blocking
/// A blocking read: the thread sleeps in the kernel until data arrives.
pub fn blocking_read(delay: Duration) -> Cost {
    let (mut reader, sender) = delayed_message(delay);
    let (start, cpu_start) = (Instant::now(), thread_cpu_time());
    let mut buffer = [0u8; 16];
    let n = reader.read(&mut buffer).expect("read");
    assert_eq!(&buffer[..n], b"ping");
    let cost = Cost {
        returned_after: start.elapsed(),
        cpu: thread_cpu_time() - cpu_start,
    };
    sender.join().expect("writer thread");
    cost
}
// ANCHOR_END: blocking

// ANCHOR: nonblocking
/// One non-blocking read: no data yet, so it fails at once with WouldBlock.
pub fn single_nonblocking_read(delay: Duration) -> Cost {
    let (mut reader, sender) = delayed_message(delay);
    reader.set_nonblocking(true).expect("set non-blocking");
    let (start, cpu_start) = (Instant::now(), thread_cpu_time());
    let mut buffer = [0u8; 16];
    let error = reader
        .read(&mut buffer)
        .expect_err("no data can be there yet");
    assert_eq!(error.kind(), ErrorKind::WouldBlock);
    let cost = Cost {
        returned_after: start.elapsed(),
        cpu: thread_cpu_time() - cpu_start,
    };
    sender.join().expect("writer thread");
    cost
}

/// Non-blocking reads in a loop until data arrives: busy waiting.
pub fn polling_loop(delay: Duration) -> (Cost, u64) {
    let (mut reader, sender) = delayed_message(delay);
    reader.set_nonblocking(true).expect("set non-blocking");
    let (start, cpu_start) = (Instant::now(), thread_cpu_time());
    let mut buffer = [0u8; 16];
    let mut attempts = 0u64;
    loop {
        attempts += 1;
        match reader.read(&mut buffer) {
            Ok(n) => {
                assert_eq!(&buffer[..n], b"ping");
                break;
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => continue, // ask again, at once
            Err(e) => panic!("read failed: {e}"),
        }
    }
    let cost = Cost {
        returned_after: start.elapsed(),
        cpu: thread_cpu_time() - cpu_start,
    };
    sender.join().expect("writer thread");
    (cost, attempts)
}
// ANCHOR_END: nonblocking

/// Runs the three readers; the prediction for "returned after" is the delay
/// for the readers that wait, and zero for the single non-blocking read.
pub fn compare(delay: Duration) -> Table {
    let mut table = Table::new([
        "reader",
        "returned after",
        "predicted",
        "ratio",
        "CPU used meanwhile",
    ]);
    let mut add = |label: &str, cost: Cost, predicted: Duration| {
        let ratio_text = if predicted.is_zero() {
            "-".into()
        } else {
            ratio(cost.returned_after.as_secs_f64(), predicted.as_secs_f64())
        };
        table.row([
            label.to_string(),
            duration(cost.returned_after),
            duration(predicted),
            ratio_text,
            duration(cost.cpu),
        ]);
    };
    add("blocking read", blocking_read(delay), delay);
    add(
        "one non-blocking read",
        single_nonblocking_read(delay),
        Duration::ZERO,
    );
    let (cost, attempts) = polling_loop(delay);
    add(
        &format!("non-blocking loop ({attempts} reads)"),
        cost,
        delay,
    );
    table
}
