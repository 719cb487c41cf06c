//! Crash: writers SET keys and count the acknowledgements they receive; the
//! server is SIGKILLed while they are mid-stream; a new server replays the
//! append-only file from the same `--dir`; then every acknowledged key is
//! looked up. One run per `--appendfsync` policy.

use crate::client::{Client, Reply};
use crate::process::{Server, ServerBinary};
use crate::stats::rate;
use kit::table::{Table, duration, ratio};
use std::io;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The three policies, strictest first.
pub const POLICIES: [&str; 3] = ["always", "everysec", "no"];

#[derive(Debug, Clone)]
pub struct Crash {
    pub server: ServerBinary,
    /// Connections writing at once, each waiting for every acknowledgement.
    pub writers: usize,
    /// How long they write before the SIGKILL.
    pub write_time: Duration,
}

/// What one policy's run observed.
#[derive(Debug, Clone)]
pub struct PolicyRun {
    pub policy: &'static str,
    pub acknowledged: u64,
    /// Acknowledged writes found after the restart.
    pub recovered: u64,
    /// Writes sent but not yet acknowledged when the server died, found anyway.
    pub unacknowledged_found: u64,
    pub acks_per_second: f64,
    /// From starting the second server to its `ready on` line (AOF replay).
    pub restart: Duration,
    pub aof_bytes: u64,
}

impl PolicyRun {
    pub fn lost(&self) -> u64 {
        self.acknowledged - self.recovered
    }
}

/// Runs the kill-and-restart cycle once per policy.
pub async fn run(config: &Crash) -> io::Result<Vec<PolicyRun>> {
    let mut runs = Vec::new();
    for policy in POLICIES {
        runs.push(run_policy(config, policy).await?);
    }
    Ok(runs)
}

// ANCHOR: run_policy
/// Write, SIGKILL mid-stream, restart on the same directory, count.
pub async fn run_policy(config: &Crash, policy: &'static str) -> io::Result<PolicyRun> {
    let dir = scratch_dir(policy)?;
    let flags = aof_flags(&dir, policy);
    let mut server = Server::start_ours(&config.server.path, &flags)?;
    let acked: Arc<Vec<AtomicU64>> =
        Arc::new((0..config.writers).map(|_| AtomicU64::new(0)).collect());
    let mut writers = tokio::task::JoinSet::new();
    for writer in 0..config.writers {
        writers.spawn(write_until_error(server.addr, writer, Arc::clone(&acked)));
    }
    let started = Instant::now();
    tokio::time::sleep(config.write_time).await;
    // SIGKILL: no signal handler runs, no buffer is flushed, no fsync happens.
    server.kill();
    let written_for = started.elapsed();
    while writers.join_next().await.is_some() {}

    let restarted = Instant::now();
    let server = Server::start_ours(&config.server.path, &flags)?;
    let restart = restarted.elapsed();
    let acked: Vec<u64> = acked.iter().map(|n| n.load(Ordering::SeqCst)).collect();
    let (recovered, unacknowledged_found) = count_survivors(server.addr, &acked).await?;
    drop(server);
    let aof_bytes = dir_size(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    let acknowledged: u64 = acked.iter().sum();
    Ok(PolicyRun {
        policy,
        acknowledged,
        recovered,
        unacknowledged_found,
        acks_per_second: acknowledged as f64 / written_for.as_secs_f64(),
        restart,
        aof_bytes,
    })
}
// ANCHOR_END: run_policy

fn aof_flags(dir: &Path, policy: &str) -> Vec<String> {
    [
        "--appendonly",
        "yes",
        "--appendfsync",
        policy,
        "--dir",
        &dir.display().to_string(),
    ]
    .map(String::from)
    .to_vec()
}

/// One writer: `SET w<writer>:<i> <i>` for i = 0, 1, 2, ..., one at a time.
/// `acked[writer]` is how many the server has confirmed.
async fn write_until_error(addr: SocketAddr, writer: usize, acked: Arc<Vec<AtomicU64>>) {
    let Ok(mut client) = Client::connect(addr).await else {
        return;
    };
    for i in 0u64.. {
        let key = format!("w{writer}:{i}");
        let value = i.to_string();
        match client
            .command(&[b"SET", key.as_bytes(), value.as_bytes()])
            .await
        {
            // Only an OK that arrived counts as acknowledged.
            Ok(Reply::Simple(ok)) if ok == "OK" => acked[writer].store(i + 1, Ordering::SeqCst),
            _ => return,
        }
    }
}

/// Looks up every acknowledged key, and the one write each writer had in
/// flight. Returns (acknowledged found, unacknowledged found).
async fn count_survivors(addr: SocketAddr, acked: &[u64]) -> io::Result<(u64, u64)> {
    let mut client = Client::connect(addr).await?;
    let (mut recovered, mut in_flight_found) = (0, 0);
    for (writer, &count) in acked.iter().enumerate() {
        let keys: Vec<String> = (0..count).map(|i| format!("w{writer}:{i}")).collect();
        for chunk in keys.chunks(500) {
            recovered += exists(&mut client, chunk).await?;
        }
        in_flight_found += exists(&mut client, &[format!("w{writer}:{count}")]).await?;
    }
    Ok((recovered, in_flight_found))
}

async fn exists(client: &mut Client, keys: &[String]) -> io::Result<u64> {
    let mut args: Vec<&[u8]> = vec![b"EXISTS"];
    args.extend(keys.iter().map(|k| k.as_bytes()));
    match client.command(&args).await? {
        Reply::Integer(n) => Ok(n as u64),
        other => Err(io::Error::other(format!("EXISTS answered {other:?}"))),
    }
}

fn scratch_dir(policy: &str) -> io::Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("ch07-crash-{}-{policy}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .filter_map(|entry| entry.ok()?.metadata().ok())
        .map(|meta| if meta.is_dir() { 0 } else { meta.len() })
        .sum()
}

/// What each policy allows to be lost: after a SIGKILL (the kernel still
/// holds every byte the server wrote before replying) and after a power cut
/// (only what was fsynced is on disk).
fn allowed_loss(run: &PolicyRun) -> (String, String) {
    let after_power_cut = match run.policy {
        "always" => "0".to_string(),
        "everysec" => format!("~1 s: ~{}", rate(run.acks_per_second)),
        _ => "~30 s (writeback)".to_string(),
    };
    ("0".to_string(), after_power_cut)
}

/// Acknowledged vs recovered, per policy.
pub fn survival_table(runs: &[PolicyRun]) -> Table {
    let mut table = Table::new([
        "appendfsync",
        "acknowledged",
        "recovered",
        "lost",
        "may lose: kill",
        "may lose: power cut",
        "in flight, found",
        "restart",
    ]);
    for run in runs {
        let (after_kill, after_power_cut) = allowed_loss(run);
        table.row([
            run.policy.to_string(),
            run.acknowledged.to_string(),
            run.recovered.to_string(),
            run.lost().to_string(),
            after_kill,
            after_power_cut,
            run.unacknowledged_found.to_string(),
            duration(run.restart),
        ]);
    }
    table
}

/// What durability costs: acknowledged writes per second against `no`.
pub fn cost_table(runs: &[PolicyRun]) -> Table {
    let baseline = runs
        .iter()
        .find(|run| run.policy == "no")
        .map_or(0.0, |run| run.acks_per_second);
    let mut table = Table::new([
        "appendfsync",
        "acks/s",
        "appendfsync no (baseline)",
        "ratio",
    ]);
    for run in runs {
        table.row([
            run.policy.to_string(),
            rate(run.acks_per_second),
            rate(baseline),
            ratio(run.acks_per_second, baseline),
        ]);
    }
    table
}
