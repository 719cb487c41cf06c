// wrong: both commands run at the same time and the data goes from one to the other directly: running `first` to the end, then feeding its collected output to `second`, is `first > tmp; second < tmp`, not a pipe.
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
    use std::io::Write;
    // Run the first command, then hand its output to the second one.
    let first_output = first.stdout(Stdio::piped()).output()?;
    let mut second_child = second
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()?;
    {
        let mut second_stdin = second_child.stdin.take().expect("stdin was piped");
        second_stdin.write_all(&first_output.stdout)?;
        // Dropped here: the second command sees the end of its input.
    }
    let second_output = second_child.wait_with_output()?;
    Ok(PipeOutput {
        first_status: first_output.status,
        second_status: second_output.status,
        stdout: second_output.stdout,
    })
}
// ANCHOR_END: pipe
