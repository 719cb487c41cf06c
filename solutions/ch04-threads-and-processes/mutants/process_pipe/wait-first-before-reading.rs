// wrong: the second command's output must be read while the commands run: waiting for `first` before draining `second`'s stdout deadlocks on a large stream: `second` blocks on its full stdout pipe, stops reading, and `first` never finishes.
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
    let mut first_child = first.stdout(Stdio::piped()).spawn()?;
    let first_stdout = first_child.stdout.take().expect("stdout was piped");
    let second_child = second
        .stdin(Stdio::from(first_stdout))
        .stdout(Stdio::piped())
        .spawn()?;
    // The data flows from left to right, so wait for the left end first.
    let first_status = first_child.wait()?;
    let second_output = second_child.wait_with_output()?;
    Ok(PipeOutput {
        first_status,
        second_status: second_output.status,
        stdout: second_output.stdout,
    })
}
// ANCHOR_END: pipe
