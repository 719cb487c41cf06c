//! SIGKILL the server while clients write, once per `--appendfsync` policy,
//! restart it on the same directory, and count acknowledged writes against
//! recovered ones.
//!
//! `cargo run --release -p ch07-demos --bin crash -- --writers 4 --write-ms 1500`
//! Knobs: `--server PATH`.

use ch07_demos::crash::{self, Crash};
use ch07_demos::process::locate_server;
use kit::args::opt;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    let explicit: String = opt("server", String::new());
    let server = match locate_server(
        (!explicit.is_empty())
            .then(|| PathBuf::from(&explicit))
            .as_deref(),
    ) {
        Ok(server) => server,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::FAILURE;
        }
    };
    let config = Crash {
        server,
        writers: opt("writers", 4),
        write_time: Duration::from_millis(opt("write-ms", 1500)),
    };
    println!(
        "server {}: {} writers SET keys one at a time for {:?}, then SIGKILL, restart, count\n",
        config.server.path.display(),
        config.writers,
        config.write_time
    );
    let runs = match crash::run(&config).await {
        Ok(runs) => runs,
        Err(error) => {
            eprintln!("crash failed: {error}");
            return ExitCode::FAILURE;
        }
    };
    println!("acknowledged writes after SIGKILL and restart:");
    crash::survival_table(&runs).print();
    println!("what each acknowledgement costs:");
    crash::cost_table(&runs).print();
    ExitCode::SUCCESS
}
