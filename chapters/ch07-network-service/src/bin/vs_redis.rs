//! Our server against the real `redis-server`, measured by `redis-benchmark`
//! (`-c 50`, `-P 1` and `-P 16`), then our server with mini-redis's flush
//! policy (flush after every reply, Nagle left on) against the fixed one.
//!
//! `cargo run --release -p ch07-demos --bin vs_redis -- --requests 10000 --pipelined-requests 50000 --rounds 3`
//! Knobs: `--server PATH`, `--clients 50`, `--pipeline 16`, `--tool builtin`.

use ch07_demos::bench::{self, Tool, VsRedis};
use ch07_demos::cli::{exit_code, failed, server_from_args};
use ch07_demos::process::on_path;
use kit::args::opt;
use std::process::ExitCode;

fn main() -> ExitCode {
    exit_code(run())
}

fn run() -> Result<(), String> {
    let server = server_from_args()?;
    let has_benchmark = on_path("redis-benchmark") && opt("tool", String::new()) != "builtin";
    if !has_benchmark {
        println!(
            "redis-benchmark not found (or --tool builtin): using the built-in load generator \
             against our server only.\nTo compare with the real Redis: \
             sudo apt-get install -y redis-server redis-tools\n"
        );
    }
    let config = VsRedis {
        server,
        tool: if has_benchmark {
            Tool::RedisBenchmark
        } else {
            Tool::BuiltIn
        },
        with_redis: has_benchmark && on_path("redis-server"),
        clients: opt("clients", 50),
        requests: opt("requests", 10_000),
        pipelined_requests: opt("pipelined-requests", 50_000),
        pipeline: opt("pipeline", 16),
        rounds: opt("rounds", 3),
    };
    println!("server: {}", config.server.path.display());
    if config.server.debug_build {
        println!("warning: a debug build; build with --release for meaningful figures");
    }
    println!(
        "{} clients; {} requests per test at -P 1, {} at -P {}; median of {} rounds; load by {}\n",
        config.clients,
        config.requests,
        config.pipelined_requests,
        config.pipeline,
        config.rounds,
        if has_benchmark {
            "redis-benchmark"
        } else {
            "the built-in generator"
        }
    );
    let report = bench::run(&config).map_err(failed("vs_redis"))?;
    println!("ours vs redis-server (requests per second, higher is better):");
    report.side_by_side.print();
    println!("flush policy: ours vs mini-redis's (flush after every reply, no TCP_NODELAY):");
    report.before_after.print();
    println!("each knob alone, GET -P {}:", config.pipeline);
    report.knobs.print();
    println!("mini-redis's configuration against the delayed-ACK model:");
    report.delayed_ack_model.print();
    Ok(())
}
