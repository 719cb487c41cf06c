//! Overload: a few well-behaved clients measure their latency while, all at
//! once, ten times `--maxclients` connections storm the server, a subscriber
//! stops reading while a publisher floods its channel, and other clients
//! send malformed frames. The server should refuse the excess politely, cut
//! off the slow subscriber, close the bad connections, keep answering the
//! well-behaved clients, and keep its memory bounded.

use crate::client::{Client, Reply};
use crate::process::{Server, ServerBinary};
use crate::stats::percentile;
use kit::table::{Table, bytes, duration, ratio};
use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};
use tokio::time::MissedTickBehavior;

/// Sizes of the abuse.
#[derive(Debug, Clone)]
pub struct Overload {
    pub server: ServerBinary,
    pub max_clients: usize,
    /// Well-behaved clients, each sending one request per `pace`.
    pub good_clients: usize,
    pub pace: Duration,
    /// Length of each phase: before, during (abuse on), after.
    pub phase: Duration,
    /// Connections sending malformed frames at once.
    pub bad_clients: usize,
    /// Size of each message published to the slow subscriber.
    pub message_bytes: usize,
}

/// What happened, as counts and samples.
#[derive(Debug, Default)]
pub struct OverloadReport {
    pub before: Vec<Duration>,
    pub during: Vec<Duration>,
    pub after: Vec<Duration>,
    /// Errors or broken connections seen by well-behaved clients.
    pub good_failures: u64,
    pub rss_before: u64,
    pub rss_peak: u64,
    pub rss_after: u64,
    pub storm_admitted: u64,
    pub storm_refused: u64,
    pub storm_refused_with_error: u64,
    pub published: u64,
    pub published_bytes: u64,
    /// PUBLISH replies of 0 receivers: the subscriber had been cut off.
    pub subscriber_dropped: bool,
    pub malformed_sent: u64,
    /// Malformed senders turned away by the connection limit first.
    pub malformed_refused: u64,
    pub malformed_error_replies: u64,
    pub malformed_closed: u64,
    /// One sample `-ERR ...` reply per kind of malformed frame.
    pub malformed_samples: Vec<(String, String)>,
}

/// The malformed frames sent by the flood, with a name for each kind.
pub fn malformed_frames() -> Vec<(&'static str, Vec<u8>)> {
    let mut garbage: Vec<u8> = (0..4096u32).map(|i| (i * 167 % 251) as u8).collect();
    garbage.retain(|&b| b != b'\n');
    vec![
        ("non-numeric bulk length", b"*1\r\n$abc\r\n".to_vec()),
        ("negative bulk length", b"*1\r\n$-7\r\n".to_vec()),
        ("1 GiB bulk header", b"*1\r\n$1073741824\r\n".to_vec()),
        ("huge array length", b"*99999999999\r\n".to_vec()),
        ("non-numeric array length", b"*x\r\n".to_vec()),
        (
            "bulk longer than declared",
            b"*2\r\n$3\r\nGET\r\n$1\r\nabc\r\n".to_vec(),
        ),
        ("binary garbage", [b"*1\r\n$", &garbage[..]].concat()),
    ]
}

/// Runs the three phases and returns what was observed.
pub async fn run(config: &Overload) -> io::Result<OverloadReport> {
    let flags = vec!["--maxclients".to_string(), config.max_clients.to_string()];
    let server = Arc::new(Server::start_ours(&config.server.path, &flags)?);
    let addr = server.addr;
    let mut report = OverloadReport::default();

    let good = spawn_good_clients(addr, config).await?;
    let rss_sampler = spawn_rss_sampler(Arc::clone(&server));

    tokio::time::sleep(config.phase).await;
    report.before = good.take_samples();
    report.rss_before = server.rss_bytes().unwrap_or(0);
    rss_sampler.peak.store(report.rss_before, Ordering::Relaxed);

    // ANCHOR: abuse
    let abuse_on = Arc::new(AtomicBool::new(true));
    // The subscriber and its publisher connect before the storm takes the slots.
    let flood = slow_subscriber(addr, config.message_bytes, Arc::clone(&abuse_on)).await?;
    let flood = tokio::spawn(flood);
    let storm = tokio::spawn(storm(addr, config.max_clients * 10, Arc::clone(&abuse_on)));
    let bad = tokio::spawn(malformed_flood(
        addr,
        config.bad_clients,
        Arc::clone(&abuse_on),
    ));
    tokio::time::sleep(config.phase).await;
    report.during = good.take_samples();
    abuse_on.store(false, Ordering::Relaxed);
    // ANCHOR_END: abuse

    let storm = storm.await.map_err(io::Error::other)?;
    let flood = flood.await.map_err(io::Error::other)??;
    let bad = bad.await.map_err(io::Error::other)?;
    report.rss_peak = rss_sampler.peak.load(Ordering::Relaxed);

    tokio::time::sleep(config.phase).await;
    report.after = good.take_samples();
    report.rss_after = server.rss_bytes().unwrap_or(0);
    good.stop.store(true, Ordering::Relaxed);
    rss_sampler.stop.store(true, Ordering::Relaxed);
    report.good_failures = good.failures.load(Ordering::Relaxed);

    (
        report.storm_admitted,
        report.storm_refused,
        report.storm_refused_with_error,
    ) = storm;
    (
        report.published,
        report.published_bytes,
        report.subscriber_dropped,
    ) = flood;
    report.malformed_sent = bad.sent;
    report.malformed_refused = bad.refused;
    report.malformed_error_replies = bad.error_replies;
    report.malformed_closed = bad.closed;
    report.malformed_samples = bad.samples;
    Ok(report)
}

/// Latency samples shared between the good clients and the phase clock.
struct GoodClients {
    samples: Arc<std::sync::Mutex<Vec<Duration>>>,
    failures: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

impl GoodClients {
    fn take_samples(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.samples.lock().unwrap())
    }
}

// ANCHOR: good_client
/// Well-behaved clients connect first (so they hold slots under the limit)
/// and then send one SET or GET per `pace`, timing each round trip.
async fn spawn_good_clients(addr: SocketAddr, config: &Overload) -> io::Result<GoodClients> {
    let good = GoodClients {
        samples: Arc::default(),
        failures: Arc::default(),
        stop: Arc::default(),
    };
    for id in 0..config.good_clients {
        let mut client = Client::connect(addr).await?;
        let (samples, failures, stop) = (
            Arc::clone(&good.samples),
            Arc::clone(&good.failures),
            Arc::clone(&good.stop),
        );
        let pace = config.pace;
        tokio::spawn(async move {
            let key = format!("good:{id}");
            let mut ticks = tokio::time::interval(pace);
            // A late tick is skipped, not made up for with a burst.
            ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
            let mut round = 0u64;
            while !stop.load(Ordering::Relaxed) {
                ticks.tick().await;
                round += 1;
                let value = round.to_string();
                let sent = Instant::now();
                let reply = if round.is_multiple_of(2) {
                    client
                        .command(&[b"SET", key.as_bytes(), value.as_bytes()])
                        .await
                } else {
                    client.command(&[b"GET", key.as_bytes()]).await
                };
                match reply {
                    Ok(reply) if !reply.is_error() => samples.lock().unwrap().push(sent.elapsed()),
                    Ok(_) => drop(failures.fetch_add(1, Ordering::Relaxed)),
                    Err(_) => {
                        failures.fetch_add(1, Ordering::Relaxed);
                        return;
                    }
                }
            }
        });
    }
    Ok(good)
}
// ANCHOR_END: good_client

struct RssSampler {
    peak: Arc<AtomicU64>,
    stop: Arc<AtomicBool>,
}

/// Reads the server's RSS every 50 ms and keeps the highest value.
fn spawn_rss_sampler(server: Arc<Server>) -> RssSampler {
    let sampler = RssSampler {
        peak: Arc::default(),
        stop: Arc::default(),
    };
    let (peak, stop) = (Arc::clone(&sampler.peak), Arc::clone(&sampler.stop));
    tokio::spawn(async move {
        while !stop.load(Ordering::Relaxed) {
            if let Some(rss) = server.rss_bytes() {
                peak.fetch_max(rss, Ordering::Relaxed);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    sampler
}

/// `connections` clients each connect, PING, and either stay a while
/// (admitted: a PING every 50 ms for 250 ms, then leave) or get refused;
/// either way they come back 20 ms later, so the slots keep changing hands.
/// Returns (admissions, refusals, refusals with Redis's error line).
async fn storm(addr: SocketAddr, connections: usize, on: Arc<AtomicBool>) -> (u64, u64, u64) {
    let admitted = Arc::new(AtomicU64::new(0));
    let refused = Arc::new(AtomicU64::new(0));
    let refused_with_error = Arc::new(AtomicU64::new(0));
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..connections {
        let (admitted, refused, with_error, on) = (
            Arc::clone(&admitted),
            Arc::clone(&refused),
            Arc::clone(&refused_with_error),
            Arc::clone(&on),
        );
        clients.spawn(async move {
            while on.load(Ordering::Relaxed) {
                let Ok(mut client) = Client::connect(addr).await else {
                    refused.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    continue;
                };
                match client.command(&[b"PING"]).await {
                    Ok(Reply::Simple(_)) => {
                        admitted.fetch_add(1, Ordering::Relaxed);
                        for _ in 0..5 {
                            tokio::time::sleep(Duration::from_millis(50)).await;
                            if client.command(&[b"PING"]).await.is_err() {
                                break;
                            }
                        }
                    }
                    Ok(Reply::Error(text)) if text.contains("max number of clients") => {
                        refused.fetch_add(1, Ordering::Relaxed);
                        with_error.fetch_add(1, Ordering::Relaxed);
                    }
                    _ => drop(refused.fetch_add(1, Ordering::Relaxed)),
                }
                drop(client);
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        });
    }
    while clients.join_next().await.is_some() {}
    (
        admitted.load(Ordering::Relaxed),
        refused.load(Ordering::Relaxed),
        refused_with_error.load(Ordering::Relaxed),
    )
}

// ANCHOR: slow_subscriber
/// A subscriber that never reads again, and a publisher flooding its
/// channel. Returns (messages, bytes published, subscriber cut off).
async fn slow_subscriber(
    addr: SocketAddr,
    message_bytes: usize,
    on: Arc<AtomicBool>,
) -> io::Result<impl Future<Output = io::Result<(u64, u64, bool)>>> {
    let mut subscriber = Client::connect(addr).await?;
    subscriber.command(&[b"SUBSCRIBE", b"firehose"]).await?;
    let mut publisher = Client::connect(addr).await?;
    Ok(async move {
        // From here on the subscriber reads nothing: its socket buffers
        // fill, then the server's buffer for it must stop growing.
        publish_flood(&mut publisher, message_bytes, &on)
            .await
            .inspect(|_| drop(subscriber))
    })
}

async fn publish_flood(
    publisher: &mut Client,
    message_bytes: usize,
    on: &AtomicBool,
) -> io::Result<(u64, u64, bool)> {
    let message = vec![b'm'; message_bytes];
    let (mut published, mut cut_off) = (0u64, false);
    while on.load(Ordering::Relaxed) {
        match publisher
            .command(&[b"PUBLISH", b"firehose", &message])
            .await?
        {
            Reply::Integer(0) => cut_off = true,
            Reply::Integer(_) => {}
            other => return Err(io::Error::other(format!("PUBLISH answered {other:?}"))),
        }
        published += 1;
        if cut_off {
            // Nobody listens any more; keep the pressure low from here.
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }
    Ok((published, published * message_bytes as u64, cut_off))
}
// ANCHOR_END: slow_subscriber

#[derive(Default)]
struct Malformed {
    sent: u64,
    /// Turned away at the door by the connection limit, before parsing.
    refused: u64,
    error_replies: u64,
    closed: u64,
    samples: Vec<(String, String)>,
}

/// `clients` connections in a loop: connect, PING, send one malformed
/// frame, read the reply, wait for the server to close.
async fn malformed_flood(addr: SocketAddr, clients: usize, on: Arc<AtomicBool>) -> Malformed {
    let frames = Arc::new(malformed_frames());
    let mut tasks = tokio::task::JoinSet::new();
    for first in 0..clients {
        let (frames, on) = (Arc::clone(&frames), Arc::clone(&on));
        tasks.spawn(async move {
            let mut tally = Malformed::default();
            let mut kind = first;
            while on.load(Ordering::Relaxed) {
                let (name, frame) = &frames[kind % frames.len()];
                kind += 1;
                let Ok(mut client) = Client::connect(addr).await else {
                    continue;
                };
                // A PING first tells a refusal at the door from a parse error.
                match client.command(&[b"PING"]).await {
                    Ok(Reply::Simple(_)) => {}
                    _ => {
                        tally.refused += 1;
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                }
                if client.send_raw(frame).await.is_err() {
                    continue;
                }
                tally.sent += 1;
                let wait = Duration::from_millis(500);
                if let Ok(Ok(Reply::Error(text))) =
                    tokio::time::timeout(wait, client.read_reply()).await
                {
                    tally.error_replies += 1;
                    if !tally.samples.iter().any(|(n, _)| n == name) {
                        tally.samples.push((name.to_string(), text));
                    }
                }
                if let Ok(Ok(())) = tokio::time::timeout(wait, client.read_to_close()).await {
                    tally.closed += 1;
                }
            }
            tally
        });
    }
    let mut total = Malformed::default();
    while let Some(Ok(tally)) = tasks.join_next().await {
        total.sent += tally.sent;
        total.refused += tally.refused;
        total.error_replies += tally.error_replies;
        total.closed += tally.closed;
        for sample in tally.samples {
            if !total.samples.iter().any(|(n, _)| *n == sample.0) {
                total.samples.push(sample);
            }
        }
    }
    total.samples.sort();
    total
}

impl OverloadReport {
    /// Latency of the well-behaved clients: during and after, against before.
    pub fn latency_table(&self) -> Table {
        let mut table = Table::new([
            "well-behaved clients",
            "measured",
            "before (baseline)",
            "ratio",
        ]);
        for (phase, samples) in [("during", &self.during), ("after", &self.after)] {
            for p in [50.0, 99.0] {
                let measured = percentile(samples, p);
                let baseline = percentile(&self.before, p);
                table.row([
                    format!("p{p} {phase} ({} requests)", samples.len()),
                    duration(measured),
                    duration(baseline),
                    ratio(measured.as_secs_f64(), baseline.as_secs_f64()),
                ]);
            }
        }
        table
    }

    /// The server's resident memory, against its size before the abuse.
    pub fn memory_table(&self) -> Table {
        let mut table = Table::new(["server RSS", "measured", "before (baseline)", "ratio"]);
        for (label, rss) in [("peak during", self.rss_peak), ("after", self.rss_after)] {
            table.row([
                label.to_string(),
                bytes(rss),
                bytes(self.rss_before),
                ratio(rss as f64, self.rss_before as f64),
            ]);
        }
        table
    }

    /// What the abusive clients saw, as counts.
    pub fn abuse_table(&self) -> Table {
        let mut table = Table::new(["abuse", "count"]);
        let rows = [
            ("storm: connections admitted", self.storm_admitted),
            ("storm: connections refused", self.storm_refused),
            (
                "  of which with `-ERR max number of clients reached`",
                self.storm_refused_with_error,
            ),
            ("slow subscriber: messages published", self.published),
            ("slow subscriber: MiB published", self.published_bytes >> 20),
            (
                "slow subscriber: disconnected by the server (1 = yes)",
                u64::from(self.subscriber_dropped),
            ),
            ("malformed: frames sent", self.malformed_sent),
            (
                "malformed: protocol error replies",
                self.malformed_error_replies,
            ),
            (
                "malformed: connections closed by the server",
                self.malformed_closed,
            ),
            (
                "malformed: senders refused at the limit first",
                self.malformed_refused,
            ),
            ("well-behaved clients: failed requests", self.good_failures),
        ];
        for (label, count) in rows {
            table.row([label.to_string(), count.to_string()]);
        }
        table
    }
}
