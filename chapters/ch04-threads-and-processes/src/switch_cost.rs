//! What a context switch costs: ping-pong between two threads, two
//! processes and two tokio tasks.
//!
//! Each ping-pong sends one token back and forth `rounds` times. Neither
//! side can go on until the other has answered, so every round is two
//! hand-overs: A wakes B and goes to sleep, B wakes A and goes to sleep.
//! Divide the time by `2 * rounds` and you have the cost of one switch
//! *including* the call that triggered it (a pipe `write` and `read`, a
//! channel send and receive).

use std::io::{self, Read, Write};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use kit::measure::timed;

// ANCHOR: threads
/// Two threads pass a token through a pair of `std::sync::mpsc` channels.
/// A blocked `recv` sleeps on a futex, so each hand-over is a kernel wake-up
/// of the other thread. Returns the time per switch.
pub fn threads_channels(rounds: u32) -> Duration {
    let (to_pong, pong_inbox) = mpsc::channel::<u32>();
    let (to_ping, ping_inbox) = mpsc::channel::<u32>();
    let pong = thread::spawn(move || {
        while let Ok(token) = pong_inbox.recv() {
            if to_ping.send(token + 1).is_err() {
                break;
            }
        }
    });
    let (_, time) = timed(|| {
        let mut token = 0;
        for _ in 0..rounds {
            to_pong.send(token).expect("pong thread alive");
            token = ping_inbox.recv().expect("pong thread answers");
        }
        assert_eq!(token, rounds, "every round came back");
    });
    drop(to_pong); // pong's `recv` fails, and it ends
    pong.join().expect("pong thread");
    time / (2 * rounds.max(1))
}
// ANCHOR_END: threads

/// One byte each way over two pipes, like the process version below, but
/// the echo is a thread of this process: the same system calls, one
/// address space.
pub fn threads_pipes(rounds: u32) -> Duration {
    let (mut from_echo, mut echo_out) = io::pipe().expect("pipe");
    let (mut echo_in, mut to_echo) = io::pipe().expect("pipe");
    let echo = thread::spawn(move || {
        let mut byte = [0u8; 1];
        while echo_in.read_exact(&mut byte).is_ok() {
            if echo_out.write_all(&byte).is_err() {
                break;
            }
        }
    });
    let time = ping_pong_bytes(&mut to_echo, &mut from_echo, rounds);
    drop(to_echo); // end of file: the echo thread ends
    echo.join().expect("echo thread");
    time
}

// ANCHOR: processes
/// The parent and a child process `cat` pass one byte back and forth:
/// `cat` reads it from its stdin pipe and writes it to its stdout pipe.
/// Each hand-over wakes a task of another process (another address space).
pub fn processes_pipes(rounds: u32) -> Duration {
    let mut child = Command::new("cat")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start `cat`");
    let mut to_cat = child.stdin.take().expect("cat's stdin");
    let mut from_cat = child.stdout.take().expect("cat's stdout");
    let time = ping_pong_bytes(&mut to_cat, &mut from_cat, rounds);
    drop(to_cat); // end of file: `cat` exits
    child.wait().expect("reap cat");
    time
}
// ANCHOR_END: processes

/// Times `rounds` one-byte round trips: write to `out`, read the echo back
/// from `back`. One untimed round first, so the echo has started and is
/// blocked in `read`.
fn ping_pong_bytes(out: &mut impl Write, back: &mut impl Read, rounds: u32) -> Duration {
    let mut byte = [7u8; 1];
    out.write_all(&byte).expect("warm-up write");
    back.read_exact(&mut byte).expect("warm-up read");
    let (_, time) = timed(|| {
        for _ in 0..rounds {
            out.write_all(&byte).expect("write");
            back.read_exact(&mut byte).expect("read");
        }
    });
    time / (2 * rounds.max(1))
}

// ANCHOR: tasks
/// Two tokio tasks on a current-thread runtime pass a token through a pair
/// of `tokio::sync::mpsc` channels. A task that awaits an empty channel
/// returns `Pending`; the send wakes it, which pushes it on the runtime's
/// run queue. No system call, no kernel: the "switch" is a function return
/// and the next `poll`.
pub fn tasks_channels(rounds: u32) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let (to_pong, mut pong_inbox) = tokio::sync::mpsc::channel::<u32>(1);
        let (to_ping, mut ping_inbox) = tokio::sync::mpsc::channel::<u32>(1);
        let pong = tokio::spawn(async move {
            while let Some(token) = pong_inbox.recv().await {
                if to_ping.send(token + 1).await.is_err() {
                    break;
                }
            }
        });
        let start = std::time::Instant::now();
        let mut token = 0;
        for _ in 0..rounds {
            to_pong.send(token).await.expect("pong task alive");
            token = ping_inbox.recv().await.expect("pong task answers");
        }
        let time = start.elapsed();
        assert_eq!(token, rounds, "every round came back");
        drop(to_pong);
        pong.await.expect("pong task");
        time / (2 * rounds.max(1))
    })
}
// ANCHOR_END: tasks

/// The cost of the system calls alone: write one byte into a pipe and
/// read it back on the same thread, so nobody sleeps and nothing switches.
/// One write + one read is what each hand-over costs in system calls (the
/// sender's write, and the `read` the receiver was blocked in).
pub fn syscalls_alone(rounds: u32) -> Duration {
    let (mut b, mut a) = io::pipe().expect("pipe");
    let mut byte = [7u8; 1];
    let (_, time) = timed(|| {
        for _ in 0..rounds {
            a.write_all(&byte).expect("write");
            b.read_exact(&mut byte).expect("read");
        }
    });
    time / rounds.max(1)
}

// ANCHOR: pin
/// Runs `work` on a new thread pinned to CPU 0 with `sched_setaffinity`.
/// Threads it spawns and processes it starts inherit the mask, so every
/// party of a ping-pong shares one core and each hand-over is a real
/// switch on that core (no core sits idle waiting to be woken). Returns
/// `None` where pinning fails (the kernel refused, or not Linux).
pub fn on_one_core<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    thread::spawn(move || pin_to_cpu0().then(work))
        .join()
        .expect("pinned thread")
}

fn pin_to_cpu0() -> bool {
    // Safety: `cpu_set_t` is plain data (a bit array) for which all zeroes
    // is the valid empty set; CPU_ZERO/CPU_SET only write inside it, and
    // `sched_setaffinity` reads `size_of::<cpu_set_t>()` bytes of it. Pid 0
    // means the calling thread.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        libc::CPU_ZERO(&mut set);
        libc::CPU_SET(0, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set) == 0
    }
}
// ANCHOR_END: pin

// ANCHOR: model
/// The model of one kernel hand-over: the write and read that trigger it
/// (timed alone, no switch) plus a fixed scheduler switch: save and load
/// registers, pick the next task from the run queue, and for another
/// process load its page tables. `switch` is a rule of thumb (about 1 µs
/// on a virtual machine, a few hundred ns on bare metal).
pub fn kernel_model(write_and_read: Duration, switch: Duration) -> Duration {
    write_and_read + switch
}

/// The model of one task hand-over: a send and a receive on the channel
/// (timed alone, by one task that never waits) plus one trip through the
/// run queue (the woken task is pushed, popped and polled), as timed by
/// a task that wakes itself (`spawn_cost::yield_round_trip`).
pub fn task_model(send_and_receive: Duration, run_queue_trip: Duration) -> Duration {
    send_and_receive + run_queue_trip
}
// ANCHOR_END: model

/// A send and a receive on a `tokio::sync::mpsc` channel by one task: the
/// value is there when it receives, so it never waits and never switches.
pub fn task_channel_alone(rounds: u32) -> Duration {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    runtime.block_on(async {
        let (sender, mut receiver) = tokio::sync::mpsc::channel::<u32>(1);
        let start = std::time::Instant::now();
        for round in 0..rounds {
            sender.send(round).await.expect("receiver alive");
            let got = receiver.recv().await.expect("sender alive");
            std::hint::black_box(got);
        }
        start.elapsed() / rounds.max(1)
    })
}
