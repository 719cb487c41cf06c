//! What every demo binary does first and last: find the server binary
//! (`--server PATH`, else [`locate_server`]'s search), and turn a failure
//! into one line on stderr and a failing exit code. A binary's `main` is
//! then only its own knobs, the run, and the tables it prints.

use crate::process::{ServerBinary, locate_server};
use kit::args::opt;
use std::path::PathBuf;
use std::process::ExitCode;

/// The server named by `--server PATH`, else the first build found.
/// The error is the message to print (it says how to build one).
pub fn server_from_args() -> Result<ServerBinary, String> {
    let explicit: String = opt("server", String::new());
    let explicit = (!explicit.is_empty()).then(|| PathBuf::from(explicit));
    locate_server(explicit.as_deref())
}

/// Success, or the error printed on stderr and a failing exit code.
pub fn exit_code(outcome: Result<(), String>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

/// `error` as the message `exit_code` prints: `<demo> failed: <error>`.
pub fn failed(demo: &str) -> impl Fn(std::io::Error) -> String + '_ {
    move |error| format!("{demo} failed: {error}")
}
