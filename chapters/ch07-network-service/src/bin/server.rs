//! Runs the chapter's server in the foreground, so that `redis-cli` can talk
//! to it: the reference server if it is built, else yours. Every flag except
//! `--server PATH` is passed on (`--port`, `--appendonly`, `--appendfsync`,
//! `--dir`, `--maxclients`, `--timeout`, `--flush-per-reply`, `--no-nodelay`).
//!
//! `cargo run --release -p ch07-demos --bin server -- --port 6380 --appendonly yes`
//! then, in another terminal: `redis-cli -p 6380`.

use ch07_demos::cli::{exit_code, server_from_args};
use kit::args::opt;
use std::os::unix::process::CommandExt;
use std::process::{Command, ExitCode};

/// Port 6380, not Redis's 6379: a real Redis may already be running.
const DEFAULT_PORT: &str = "6380";

fn main() -> ExitCode {
    exit_code(run())
}

/// Returns only if the server could not be started.
fn run() -> Result<(), String> {
    let server = server_from_args()?;
    let flags = pass_on(std::env::args().skip(1).collect());
    let port = opt("port", DEFAULT_PORT.to_string());
    eprintln!("{} {}", server.path.display(), flags.join(" "));
    eprintln!("connect with: redis-cli -p {port}   (Ctrl-C here stops the server gracefully)");
    // exec, not spawn: the server becomes this process, so Ctrl-C reaches it
    // directly and its graceful shutdown runs.
    let error = Command::new(&server.path).args(&flags).exec();
    Err(format!("cannot run {}: {error}", server.path.display()))
}

/// The command line minus `--server PATH`, with `--port 6380` unless given.
fn pass_on(args: Vec<String>) -> Vec<String> {
    let mut flags = Vec::new();
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        if arg == "--server" {
            args.next();
        } else {
            flags.push(arg);
        }
    }
    if !flags.iter().any(|flag| flag == "--port") {
        flags.extend(["--port".to_string(), DEFAULT_PORT.to_string()]);
    }
    flags
}
