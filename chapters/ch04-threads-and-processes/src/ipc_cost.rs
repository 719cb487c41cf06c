//! What it costs to hand `count` messages of `size` bytes to someone else:
//! another thread (a channel moves each `Vec`, the bytes stay where they
//! are) or another process (each message is encoded into a pipe, copied
//! into the kernel, copied out again and decoded into a new `Vec`).
//!
//! Both sides do the same work on the payload: the producer builds each
//! message in a fresh `Vec` and the consumer adds up its bytes, so the
//! difference between the two is the cost of crossing.

use std::io::{self, BufRead, BufReader, BufWriter, Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use kit::measure::timed;

/// A message of `size` bytes, as a producer would build it.
fn make_message(size: usize, seed: usize) -> Vec<u8> {
    vec![seed as u8; size]
}

/// What the consumer does with a message: read every byte once.
fn consume(message: &[u8]) -> u64 {
    message.iter().map(|&b| u64::from(b)).sum()
}

// ANCHOR: threads
/// Producer and consumer threads; the channel carries `Vec<u8>`s, so a
/// send moves three words (pointer, length, capacity), never the bytes.
/// Returns the time for all messages and the consumer's checksum.
pub fn between_threads(count: usize, size: usize) -> (Duration, u64) {
    let (sender, receiver) = mpsc::channel::<Vec<u8>>();
    let (checksum, time) = timed(|| {
        let consumer = thread::spawn(move || receiver.iter().map(|m| consume(&m)).sum::<u64>());
        for seed in 0..count {
            sender
                .send(make_message(size, seed))
                .expect("consumer alive");
        }
        drop(sender);
        consumer.join().expect("consumer thread")
    });
    (time, checksum)
}
// ANCHOR_END: threads

/// The same messages built and read on one thread, nothing crossing: the
/// floor both other versions stand on.
pub fn on_one_thread(count: usize, size: usize) -> (Duration, u64) {
    let (checksum, time) = timed(|| {
        (0..count)
            .map(|seed| consume(&make_message(size, seed)))
            .sum::<u64>()
    });
    (time, checksum)
}

// ANCHOR: frames
/// Encodes one message: a 4-byte length, then the bytes. This is all the
/// "serialisation" raw bytes need; a structured value would also pay for
/// an encoder (JSON, bincode, Python's pickle).
fn write_frame(out: &mut impl Write, message: &[u8]) -> io::Result<()> {
    out.write_all(&(message.len() as u32).to_le_bytes())?;
    out.write_all(message)
}

/// Decodes one message into a new `Vec`, or `None` at end of file.
fn read_frame(input: &mut impl Read) -> io::Result<Option<Vec<u8>>> {
    let mut length = [0u8; 4];
    match input.read_exact(&mut length) {
        Ok(()) => {}
        Err(error) if error.kind() == io::ErrorKind::UnexpectedEof => return Ok(None),
        Err(error) => return Err(error),
    }
    let mut message = vec![0u8; u32::from_le_bytes(length) as usize];
    input.read_exact(&mut message)?;
    Ok(Some(message))
}
// ANCHOR_END: frames

/// The child's side (`ipc_cost --sink`): say "ready", decode frames from
/// stdin until end of file, print the checksum.
pub fn sink_main() -> io::Result<()> {
    let mut stdout = io::stdout().lock();
    writeln!(stdout, "ready")?;
    stdout.flush()?;
    let mut input = BufReader::with_capacity(1 << 16, io::stdin().lock());
    let mut checksum = 0u64;
    while let Some(message) = read_frame(&mut input)? {
        checksum += consume(&message);
    }
    writeln!(stdout, "{checksum}")?;
    stdout.flush()
}

// ANCHOR: processes
/// The same messages to a child process (`exe --sink`) through a pipe,
/// one `write` per message (flushed as it is sent, like a channel send:
/// batching many messages per write would be a different protocol). The
/// clock starts once the child has said it is ready, so process start-up
/// is not counted, and stops when it has printed its checksum.
pub fn between_processes(exe: &Path, count: usize, size: usize) -> (Duration, u64) {
    let mut child = Command::new(exe)
        .arg("--sink")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the sink process");
    let mut from_child = BufReader::new(child.stdout.take().expect("child's stdout"));
    let mut line = String::new();
    from_child.read_line(&mut line).expect("child says ready");
    assert_eq!(line.trim(), "ready", "the sink process started");
    let pipe = child.stdin.take().expect("child's stdin");
    let (checksum, time) = timed(|| {
        let mut to_child = BufWriter::with_capacity(1 << 16, pipe);
        for seed in 0..count {
            write_frame(&mut to_child, &make_message(size, seed)).expect("write a frame");
            to_child.flush().expect("send the frame");
        }
        drop(to_child); // flush, then close: end of file for the child
        line.clear();
        from_child.read_line(&mut line).expect("child's checksum");
        line.trim().parse::<u64>().expect("a number")
    });
    child.wait().expect("reap the sink");
    (time, checksum)
}
// ANCHOR_END: processes

/// Checksum the consumer must find: the sum over messages of
/// `size * (seed as u8)`.
pub fn expected_checksum(count: usize, size: usize) -> u64 {
    (0..count)
        .map(|seed| u64::from(seed as u8) * size as u64)
        .sum()
}

/// Copy bandwidth of this machine, in bytes per second: one large
/// `copy_from_slice`, the same kind of copy a pipe makes in the kernel.
pub fn copy_bandwidth(bytes: usize) -> f64 {
    let source = vec![1u8; bytes];
    let mut target = vec![0u8; bytes];
    target.copy_from_slice(&source); // touch the pages once, untimed
    let (_, time) = timed(|| target.copy_from_slice(std::hint::black_box(&source)));
    std::hint::black_box(&target);
    bytes as f64 / time.as_secs_f64().max(1e-9)
}

// ANCHOR: model
/// The model for processes: the one-thread time (building and reading
/// the messages, which every version does), plus two copies of
/// every byte (into the kernel's pipe buffer, out of it into the new
/// `Vec`), plus a write and a read system call per message and per 64 KiB
/// pipe buffer it fills.
pub fn process_model(
    one_thread: Duration,
    count: usize,
    size: usize,
    bandwidth: f64,
    syscall: Duration,
) -> Duration {
    let total_bytes = (count * (size + 4)) as f64;
    let copies = Duration::from_secs_f64(2.0 * total_bytes / bandwidth);
    let writes = count * (size + 4).div_ceil(64 * 1024);
    one_thread + copies + syscall * 2 * writes as u32
}
// ANCHOR_END: model
