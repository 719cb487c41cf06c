//! SIGKILL the server while clients write, once per `--appendfsync` policy,
//! restart it on the same directory, and count acknowledged writes against
//! recovered ones.
//!
//! `cargo run --release -p ch07-demos --bin crash -- --writers 4 --write-ms 1500`
//! Knobs: `--server PATH`.

use ch07_demos::cli::{exit_code, failed, server_from_args};
use ch07_demos::crash::{self, Crash};
use kit::args::opt;
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), String> {
    let config = Crash {
        server: server_from_args()?,
        writers: opt("writers", 4),
        write_time: Duration::from_millis(opt("write-ms", 1500)),
    };
    println!(
        "server {}: {} writers SET keys one at a time for {:?}, then SIGKILL, restart, count\n",
        config.server.path.display(),
        config.writers,
        config.write_time
    );
    let runs = crash::run(&config).await.map_err(failed("crash"))?;
    println!("acknowledged writes after SIGKILL and restart:");
    crash::survival_table(&runs).print();
    println!("what each acknowledgement costs:");
    crash::cost_table(&runs).print();
    Ok(())
}
