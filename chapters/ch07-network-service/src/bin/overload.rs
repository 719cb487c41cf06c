//! Abuse the server from every side at once: 10x `--maxclients` connections,
//! a subscriber that stops reading while a publisher floods its channel, and
//! a stream of malformed frames. Well-behaved clients measure their latency
//! before, during and after; the server's RSS is read from /proc.
//!
//! `cargo run --release -p ch07-demos --bin overload -- --maxclients 50 --phase-ms 2500`
//! Knobs: `--server PATH`, `--good-clients 4`, `--pace-ms 2`, `--bad-clients 8`, `--message-bytes 4096`.

use ch07_demos::cli::{exit_code, failed, server_from_args};
use ch07_demos::overload::{self, Overload};
use kit::args::opt;
use std::process::ExitCode;
use std::time::Duration;

#[tokio::main]
async fn main() -> ExitCode {
    exit_code(run().await)
}

async fn run() -> Result<(), String> {
    let config = Overload {
        server: server_from_args()?,
        max_clients: opt("maxclients", 50),
        good_clients: opt("good-clients", 4),
        pace: Duration::from_millis(opt("pace-ms", 2)),
        phase: Duration::from_millis(opt("phase-ms", 2500)),
        bad_clients: opt("bad-clients", 8),
        message_bytes: opt("message-bytes", 4096),
    };
    println!(
        "server {} --maxclients {}; {} well-behaved clients, one request each per {:?};\n\
         abuse for {:?}: {} storming connections, a slow subscriber, {} malformed-frame senders\n",
        config.server.path.display(),
        config.max_clients,
        config.good_clients,
        config.pace,
        config.phase,
        config.max_clients * 10,
        config.bad_clients
    );
    let report = overload::run(&config).await.map_err(failed("overload"))?;
    println!("latency of the well-behaved clients (round trip, SET/GET):");
    report.latency_table().print();
    println!("memory:");
    report.memory_table().print();
    report.abuse_table().print();
    println!("the server's replies to malformed frames:");
    for (kind, reply) in &report.malformed_samples {
        println!("  {kind:<26} -{reply}");
    }
    Ok(())
}
