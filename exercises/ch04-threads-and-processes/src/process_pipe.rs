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
    // TODO: spawn `first` with `Stdio::piped()` stdout; take its
    // `ChildStdout` and give it to `second` as stdin (`Stdio::from`);
    // spawn `second` with piped stdout; collect its output
    // (`wait_with_output`), then `wait` for `first` too.
    todo!()
}
// ANCHOR_END: pipe
