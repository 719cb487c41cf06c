// wrong: one `read` on a pipe returns what is there now, not everything: reading the second command's stdout with a single `read` loses the rest of a long or slow output.
//! # Exercise `process_pipe`: wire `first | second` with an OS pipe
//!
//! Start two child processes the way a shell runs `first | second`: the
//! first one's standard output becomes the second one's standard input,
//! and your program reads what the second one prints. Both children run at
//! the same time and the data never passes through your process.
//!
//! Book: chapter 4, "Processes, pipes and messages". Check: `cargo workbook check process_pipe`.

use std::io;
use std::process::{Command, ExitStatus, Stdio};

/// What a finished pipeline reports.
#[derive(Debug)]
pub struct PipeOutput {
    /// How the first command ended.
    pub first_status: ExitStatus,
    /// How the second command ended.
    pub second_status: ExitStatus,
    /// Everything the second command wrote to its standard output.
    pub stdout: Vec<u8>,
}

// ANCHOR: pipe
/// Runs `first | second` and waits for both.
pub fn pipe(mut first: Command, mut second: Command) -> io::Result<PipeOutput> {
    use std::io::Read;
    let mut first_child = first.stdout(Stdio::piped()).spawn()?;
    let first_stdout = first_child.stdout.take().expect("stdout was piped");
    let mut second_child = second
        .stdin(Stdio::from(first_stdout))
        .stdout(Stdio::piped())
        .spawn()?;
    let mut second_stdout = second_child.stdout.take().expect("stdout was piped");
    let mut buffer = vec![0u8; 1 << 16];
    let read = second_stdout.read(&mut buffer)?;
    buffer.truncate(read);
    drop(second_stdout);
    let second_status = second_child.wait()?;
    let first_status = first_child.wait()?;
    Ok(PipeOutput {
        first_status,
        second_status,
        stdout: buffer,
    })
}
// ANCHOR_END: pipe
