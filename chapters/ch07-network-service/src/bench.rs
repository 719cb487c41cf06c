//! Throughput: `redis-benchmark` against our server and the real Redis, side
//! by side, and the flush/`TCP_NODELAY` before/after on our server alone.
//! Without `redis-benchmark` a built-in load generator of the same shape
//! (N clients, pipelines of P commands) measures our server only.

use crate::client::{self, Client};
use crate::process::{Server, ServerBinary};
use crate::stats::rate;
use kit::table::{Table, ratio};
use std::collections::HashMap;
use std::io;
use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The five commands `redis-benchmark -t` runs here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Test {
    Set,
    Get,
    Incr,
    PingInline,
    PingMbulk,
}

pub const ALL_TESTS: [Test; 5] = [
    Test::Set,
    Test::Get,
    Test::Incr,
    Test::PingInline,
    Test::PingMbulk,
];

impl Test {
    /// The name `redis-benchmark -t` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Test::Set => "set",
            Test::Get => "get",
            Test::Incr => "incr",
            Test::PingInline => "ping_inline",
            Test::PingMbulk => "ping_mbulk",
        }
    }

    /// The name `redis-benchmark --csv` prints.
    pub fn csv_name(self) -> &'static str {
        match self {
            Test::Set => "SET",
            Test::Get => "GET",
            Test::Incr => "INCR",
            Test::PingInline => "PING_INLINE",
            Test::PingMbulk => "PING_MBULK",
        }
    }

    /// The bytes of one request, as redis-benchmark sends them by default
    /// (one key, a 3-byte value; `PING_INLINE` is the inline form).
    pub fn request(self) -> Vec<u8> {
        let mut out = Vec::new();
        match self {
            Test::Set => client::encode(&[b"SET", b"key:__rand_int__", b"xxx"], &mut out),
            Test::Get => client::encode(&[b"GET", b"key:__rand_int__"], &mut out),
            Test::Incr => client::encode(&[b"INCR", b"counter:__rand_int__"], &mut out),
            Test::PingInline => out.extend_from_slice(b"PING\r\n"),
            Test::PingMbulk => client::encode(&[b"PING"], &mut out),
        }
        out
    }
}

/// Which load generator drives the server.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    RedisBenchmark,
    BuiltIn,
}

/// The shape of one load run.
#[derive(Debug, Clone, Copy)]
pub struct Load {
    pub clients: usize,
    pub requests: usize,
    pub pipeline: usize,
}

/// Requests per second for each test, by the chosen tool.
pub fn measure(tool: Tool, addr: SocketAddr, tests: &[Test], load: Load) -> io::Result<Vec<f64>> {
    match tool {
        Tool::RedisBenchmark => redis_benchmark(addr, tests, load),
        Tool::BuiltIn => {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()?;
            tests
                .iter()
                .map(|&test| runtime.block_on(built_in(addr, test, load)))
                .collect()
        }
    }
}

// ANCHOR: redis_benchmark
/// Runs `redis-benchmark -q --csv` once for all `tests` and reads the
/// `"test","rps",...` lines it prints.
pub fn redis_benchmark(addr: SocketAddr, tests: &[Test], load: Load) -> io::Result<Vec<f64>> {
    let names: Vec<&str> = tests.iter().map(|t| t.flag()).collect();
    let output = Command::new("redis-benchmark")
        .args(["-h", &addr.ip().to_string(), "-p", &addr.port().to_string()])
        .args(["-t", &names.join(",")])
        .args([
            "-c",
            &load.clients.to_string(),
            "-n",
            &load.requests.to_string(),
        ])
        .args(["-P", &load.pipeline.to_string(), "-q", "--csv"])
        .output()?;
    let csv = String::from_utf8_lossy(&output.stdout);
    let rates = parse_csv(&csv);
    tests
        .iter()
        .map(|test| {
            rates.get(test.csv_name()).copied().ok_or_else(|| {
                io::Error::other(format!(
                    "redis-benchmark printed no {} line; it said:\n{csv}{}",
                    test.csv_name(),
                    String::from_utf8_lossy(&output.stderr)
                ))
            })
        })
        .collect()
}
// ANCHOR_END: redis_benchmark

/// `"SET","740740.75",...` lines into `SET -> 740740.75`.
pub fn parse_csv(csv: &str) -> HashMap<String, f64> {
    csv.lines()
        .filter_map(|line| {
            let mut cells = line.split(',').map(|cell| cell.trim_matches('"'));
            let name = cells.next()?;
            let rps: f64 = cells.next()?.parse().ok()?;
            Some((name.to_string(), rps))
        })
        .collect()
}

// ANCHOR: built_in
/// The fallback load generator: `clients` connections, each sending
/// pipelines of `pipeline` requests and reading as many replies, until
/// `requests` have been answered in all. Returns requests per second.
pub async fn built_in(addr: SocketAddr, test: Test, load: Load) -> io::Result<f64> {
    let pipeline = load.pipeline.max(1);
    let batches_per_client = (load.requests / load.clients.max(1) / pipeline).max(1);
    let batch: Arc<Vec<u8>> = Arc::new(test.request().repeat(pipeline));
    // Everyone connects first, then the clock starts.
    let start_line = Arc::new(tokio::sync::Barrier::new(load.clients + 1));
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.clients {
        let (batch, start_line) = (Arc::clone(&batch), Arc::clone(&start_line));
        workers.spawn(async move {
            let mut client = Client::connect(addr).await;
            start_line.wait().await;
            let client = client
                .as_mut()
                .map_err(|e| io::Error::new(e.kind(), e.to_string()))?;
            for _ in 0..batches_per_client {
                client.send_raw(&batch).await?;
                for _ in 0..pipeline {
                    if let client::Reply::Error(text) = client.read_reply().await? {
                        return Err(io::Error::other(format!("{test:?}: -{text}")));
                    }
                }
            }
            io::Result::Ok(())
        });
    }
    start_line.wait().await;
    let started = Instant::now();
    while let Some(finished) = workers.join_next().await {
        finished.map_err(io::Error::other)??;
    }
    let answered = batches_per_client * pipeline * load.clients;
    Ok(answered as f64 / started.elapsed().as_secs_f64())
}
// ANCHOR_END: built_in

/// What `vs_redis` measures.
#[derive(Debug, Clone)]
pub struct VsRedis {
    pub server: ServerBinary,
    pub tool: Tool,
    /// Also run the real `redis-server` (needs `redis-server` on PATH).
    pub with_redis: bool,
    pub clients: usize,
    /// Requests per test at `-P 1`; pipelined runs send `pipelined_requests`.
    pub requests: usize,
    pub pipelined_requests: usize,
    pub pipeline: usize,
    /// Rounds of the side-by-side runs; each figure is their median.
    pub rounds: usize,
}

fn median(mut rates: Vec<f64>) -> f64 {
    rates.sort_by(f64::total_cmp);
    rates[rates.len() / 2]
}

/// The tables `vs_redis` prints.
pub struct VsRedisReport {
    pub side_by_side: Table,
    pub before_after: Table,
    pub knobs: Table,
    pub delayed_ack_model: Table,
}

/// Runs every measurement: ours vs redis-server, then mini-redis's flush
/// policy vs ours, then each of the two knobs alone.
pub fn run(config: &VsRedis) -> io::Result<VsRedisReport> {
    let shapes = [
        (1, config.requests),
        (config.pipeline, config.pipelined_requests),
    ];
    let ours = Server::start_ours(&config.server.path, &[])?;
    let redis = if config.with_redis {
        Some(Server::start_redis()?)
    } else {
        None
    };
    // Both servers share the machine with the load generator: take the
    // median of several rounds, alternating who goes first.
    let mut samples: HashMap<(Test, usize, bool), Vec<f64>> = HashMap::new();
    for round in 0..config.rounds.max(1) {
        for (pipeline, requests) in shapes {
            let load = Load {
                clients: config.clients,
                requests,
                pipeline,
            };
            let mut order = vec![(&ours, true)];
            if let Some(redis) = &redis {
                order.push((redis, false));
            }
            if round % 2 == 1 {
                order.reverse();
            }
            for (server, is_ours) in order {
                let rates = measure(config.tool, server.addr, &ALL_TESTS, load)?;
                for (test, rate) in ALL_TESTS.iter().zip(rates) {
                    samples
                        .entry((*test, pipeline, is_ours))
                        .or_default()
                        .push(rate);
                }
            }
        }
    }
    let median_of = |key| {
        samples
            .get(&key)
            .map(|rates: &Vec<f64>| median(rates.clone()))
    };
    let mut side_by_side = Table::new(["test", "ours req/s", "redis-server req/s", "ratio"]);
    for (pipeline, _) in shapes {
        for test in ALL_TESTS {
            let our_rate = median_of((test, pipeline, true)).unwrap_or(0.0);
            let (theirs, ratio_text) = match median_of((test, pipeline, false)) {
                Some(their_rate) => (rate(their_rate), ratio(our_rate, their_rate)),
                None => ("-".to_string(), "-".to_string()),
            };
            side_by_side.row([
                format!("{} -P {pipeline}", test.csv_name()),
                rate(our_rate),
                theirs,
                ratio_text,
            ]);
        }
    }
    drop((ours, redis));

    let (before_after, knobs, delayed_ack_model) = flush_policies(config)?;
    Ok(VsRedisReport {
        side_by_side,
        before_after,
        knobs,
        delayed_ack_model,
    })
}

// ANCHOR: mini_redis_flags
/// mini-redis's behaviour, reproduced by two teaching flags of our server.
pub const MINI_REDIS_FLAGS: [&str; 2] = ["--flush-per-reply", "--no-nodelay"];
// ANCHOR_END: mini_redis_flags

/// The four flag combinations of the flush-policy tables, fixed first.
const FLUSH_CONFIGURATIONS: [(&str, &[&str]); 4] = [
    ("(none: batched flush, TCP_NODELAY)", &[]),
    ("--flush-per-reply --no-nodelay", &MINI_REDIS_FLAGS),
    ("--flush-per-reply", &["--flush-per-reply"]),
    ("--no-nodelay", &["--no-nodelay"]),
];

/// The load for one flush-policy run. Pipelined runs send as many requests
/// as the main table's, so the fast servers run long enough to be timed,
/// except on mini-redis's configuration: it manages about 18k pipelined
/// requests a second, and half the unpipelined count keeps its run under a
/// second.
fn flush_load(config: &VsRedis, pipeline: usize, flags: &[&str]) -> Load {
    let requests = if pipeline == 1 {
        config.requests
    } else if flags == MINI_REDIS_FLAGS {
        config.requests / 2
    } else {
        config.pipelined_requests
    };
    Load {
        clients: config.clients,
        requests,
        pipeline,
    }
}

/// SET and GET, unpipelined and pipelined, on four servers that differ only
/// in their flush flags. Measured interleaved (each test on each server in
/// turn, the median of `rounds`), so that a change in the machine's load
/// hits all four alike.
/// Returns (mini-redis vs fixed, each knob alone, the delayed-ACK model).
fn flush_policies(config: &VsRedis) -> io::Result<(Table, Table, Table)> {
    let servers = FLUSH_CONFIGURATIONS
        .iter()
        .map(|(_, flags)| {
            let flags: Vec<String> = flags.iter().map(|f| f.to_string()).collect();
            Server::start_ours(&config.server.path, &flags)
        })
        .collect::<io::Result<Vec<Server>>>()?;
    let mut samples: HashMap<(usize, Test, usize), Vec<f64>> = HashMap::new();
    for round in 0..config.rounds.max(1) {
        for pipeline in [1, config.pipeline] {
            for test in [Test::Set, Test::Get] {
                // Each round starts with a different server.
                for turn in 0..servers.len() {
                    let index = (turn + round) % servers.len();
                    let load = flush_load(config, pipeline, FLUSH_CONFIGURATIONS[index].1);
                    let measured = measure(config.tool, servers[index].addr, &[test], load)?[0];
                    samples
                        .entry((index, test, pipeline))
                        .or_default()
                        .push(measured);
                }
            }
        }
    }
    let rates: HashMap<(usize, Test, usize), f64> = samples
        .into_iter()
        .map(|(key, rates)| (key, median(rates)))
        .collect();
    let mut before_after = Table::new([
        "test",
        "fixed req/s",
        "flush per reply, Nagle on (req/s)",
        "ratio",
    ]);
    for pipeline in [1, config.pipeline] {
        for test in [Test::Set, Test::Get] {
            let (fixed, slow) = (rates[&(0, test, pipeline)], rates[&(1, test, pipeline)]);
            before_after.row([
                format!("{} -P {pipeline}", test.csv_name()),
                rate(fixed),
                rate(slow),
                ratio(fixed, slow),
            ]);
        }
    }
    let mut knobs = Table::new(["GET pipelined, server flags", "req/s", "fixed", "ratio"]);
    let fixed = rates[&(0, Test::Get, config.pipeline)];
    for (index, (label, _)) in FLUSH_CONFIGURATIONS
        .iter()
        .enumerate()
        .skip(1)
        .chain([(0, &FLUSH_CONFIGURATIONS[0])])
    {
        let measured = rates[&(index, Test::Get, config.pipeline)];
        knobs.row([
            label.to_string(),
            rate(measured),
            rate(fixed),
            ratio(measured, fixed),
        ]);
    }
    // ANCHOR: delayed_ack_model
    // Flush per reply with Nagle on: after the first reply of a pipeline,
    // the rest wait for the client's delayed ACK, ~40 ms on Linux. So each
    // client completes one pipeline per 40 ms, whatever the CPU.
    let delayed_ack = Duration::from_millis(40);
    let predicted = (config.clients * config.pipeline) as f64 / delayed_ack.as_secs_f64();
    // ANCHOR_END: delayed_ack_model
    let slow_get = rates[&(1, Test::Get, config.pipeline)];
    let mut model = Table::comparison("flush per reply, Nagle on (req/s)");
    model.row([
        format!("GET -P {}, {} clients", config.pipeline, config.clients),
        rate(slow_get),
        rate(predicted),
        ratio(slow_get, predicted),
    ]);
    Ok((before_after, knobs, model))
}
