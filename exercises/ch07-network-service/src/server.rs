//! Given code: the server, wiring the seven steps together.
//!
//! ```text
//!  listener ──accept──► serve (limits_and_shutdown) ──spawn──► one task per client:
//!                         │ Gate: --maxclients                  Connection (connection)
//!                         │ stop: Ctrl-C / SIGTERM / SHUTDOWN     ├─ request::next_request (resp)
//!                         ▼                                       ├─ cmd::exec ──► Store (store)
//!  purge task (expiry) ◄── Expirations ◄── SET EX / EXPIRE         │               Expirations (expiry)
//!  everysec task (aof) ──► Aof ◄── every write command            │               Hub (pubsub)
//!                                                                  └─ Subscriber mailbox ──► push frames
//! ```

use crate::aof::{self, Aof, Fsync};
use crate::clock::Clock;
use crate::cmd::{self, Outcome, Session, Shared};
use crate::config::Config;
use crate::connection::{ConnConfig, ConnError, Connection, FlushPolicy, tune_socket};
use crate::expiry::{self, Expirations};
use crate::limits_and_shutdown::{self, Gate, unless_idle};
use crate::pubsub::{Hub, Lagged, Message, Subscriber};
use crate::resp::{Frame, Limits};
use crate::shutdown;
use crate::store::Store;
use std::collections::BTreeMap;
use std::future::Future;
use std::io::{self, Write};
use std::net::SocketAddr;
use std::pin::pin;
use std::process::ExitCode;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::task::JoinHandle;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

/// How many messages a subscriber may have waiting before it is cut off.
pub const SUBSCRIBER_BACKLOG: usize = 4096;
/// Shards per database.
pub const SHARDS: usize = 16;

/// A started server.
pub struct Running {
    pub addr: SocketAddr,
    /// Cancel it to shut the server down gracefully.
    pub stop: CancellationToken,
    pub shared: Arc<Shared>,
    task: JoinHandle<()>,
}

impl Running {
    /// Waits until the server has shut down (every client finished, the log synced).
    pub async fn finished(self) {
        let _ = self.task.await;
    }
}

// ANCHOR: main
/// The `ch07-server` binary: parse flags, start, print `ready on ADDR`,
/// run until Ctrl-C, SIGTERM or `SHUTDOWN`.
pub fn main() -> ExitCode {
    let config = match Config::from_args(std::env::args().skip(1)) {
        Ok(config) => config,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("cannot start the runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(async {
        let running = match start(config).await {
            Ok(running) => running,
            Err(error) => {
                eprintln!("cannot start the server: {error}");
                return ExitCode::FAILURE;
            }
        };
        println!("ready on {}", running.addr);
        let _ = io::stdout().flush();
        shutdown::on_signals(running.stop.clone());
        running.finished().await;
        ExitCode::SUCCESS
    })
}
// ANCHOR_END: main

// ANCHOR: start
/// Replays the AOF (if enabled), binds, and starts the accept loop, the
/// purge task and the everysec task.
pub async fn start(config: Config) -> io::Result<Running> {
    // ANCHOR_END: start
    let listener = TcpListener::bind((config.bind.as_str(), config.port)).await?;
    let addr = listener.local_addr()?;
    let mut shared = Shared {
        store: Store::new(config.databases, SHARDS),
        expirations: Expirations::new(),
        hub: Hub::new(SUBSCRIBER_BACKLOG),
        aof: None,
        clock: Clock::start(),
        stop: CancellationToken::new(),
        gate: Gate::new(config.maxclients),
        port: addr.port(),
        started: Instant::now(),
        next_client_id: AtomicU64::new(1),
        commands_processed: AtomicU64::new(0),
        connections_received: AtomicU64::new(0),
        config_overrides: Mutex::new(BTreeMap::new()),
        transactions: std::sync::RwLock::new(()),
        config,
    };
    if shared.config.appendonly {
        std::fs::create_dir_all(&shared.config.dir)?;
        let path = shared.config.aof_path();
        replay_into(&shared, &path)?;
        let file = aof::open_for_append(&path)?;
        shared.aof = Some(Aof::new(file, shared.config.appendfsync));
    }
    let shared = Arc::new(shared);
    let stop = shared.stop.clone();
    let task = tokio::spawn(run(listener, Arc::clone(&shared)));
    Ok(Running {
        addr,
        stop,
        shared,
        task,
    })
}

/// Applies every record of the log at `path` to the (empty) store.
fn replay_into(shared: &Shared, path: &std::path::Path) -> io::Result<()> {
    let mut session = Session::new(0);
    session.replaying = true;
    let now = Instant::now();
    let replayed = aof::replay(path, &Limits::REDIS, |db, words| {
        session.db = db;
        cmd::exec(&words, &mut session, shared, now);
    })
    .map_err(|error| io::Error::new(io::ErrorKind::InvalidData, error.to_string()))?;
    if replayed.truncated > 0 {
        eprintln!(
            "the append-only file ended in the middle of a record: cut {} bytes off its end",
            replayed.truncated
        );
    }
    Ok(())
}

async fn run(listener: TcpListener, shared: Arc<Shared>) {
    let stop = shared.stop.clone();
    let purger = {
        let shared = Arc::clone(&shared);
        let stop = stop.clone();
        tokio::spawn(
            async move { expiry::run_purger(&shared.store, &shared.expirations, stop).await },
        )
    };
    let syncer =
        (shared.config.appendonly && shared.config.appendfsync == Fsync::EverySec).then(|| {
            let shared = Arc::clone(&shared);
            let stop = stop.clone();
            tokio::spawn(async move {
                if let Some(aof) = &shared.aof
                    && let Err(error) = aof::run_everysec(aof, stop).await
                {
                    eprintln!("fsync of the append-only file failed: {error}");
                }
            })
        });
    let handler_shared = Arc::clone(&shared);
    let handle = move |stream: TcpStream, stop: CancellationToken| {
        let shared = Arc::clone(&handler_shared);
        async move { serve_client(stream, shared, stop).await }
    };
    limits_and_shutdown::serve(listener, shared.gate.clone(), stop.clone(), handle).await;
    stop.cancel();
    let _ = purger.await;
    if let Some(syncer) = syncer {
        let _ = syncer.await;
    }
    if let Some(aof) = &shared.aof
        && let Err(error) = aof.sync_if_dirty()
    {
        eprintln!("fsync of the append-only file failed: {error}");
    }
}

/// What `read_request` returns: a request, the end of input, or an error.
type Request = Result<Option<Vec<bytes::Bytes>>, ConnError>;

/// What woke a client's task up.
enum Event {
    /// `None` when the idle limit ran out first.
    Request(Option<Request>),
    Message(Result<Message, Lagged>),
}

/// The next message for a subscribed connection; never, for the others.
async fn next_message(subscriber: &mut Option<Subscriber>) -> Result<Message, Lagged> {
    match subscriber {
        Some(subscriber) => subscriber.recv().await,
        None => std::future::pending().await,
    }
}

// ANCHOR: serve_client
/// One client, from accept to close.
async fn serve_client(stream: TcpStream, shared: Arc<Shared>, stop: CancellationToken) {
    shared.connections_received.fetch_add(1, Ordering::Relaxed);
    if shared.config.nodelay {
        let _ = tune_socket(&stream);
    }
    let flush = if shared.config.flush_per_reply {
        FlushPolicy::PerReply
    } else {
        FlushPolicy::WhenIdle
    };
    let mut conn = Connection::new(
        stream,
        ConnConfig {
            flush,
            ..ConnConfig::default()
        },
    );
    let mut session = Session::new(shared.next_client_id.fetch_add(1, Ordering::Relaxed));
    'serve: while !stop.is_cancelled() {
        // A pipelined batch is answered straight from the buffer. Each turn
        // of the select! below locks the shutdown token that every
        // connection shares and arms an idle timer: a batch of 16 requests
        // should pay for that once, not 16 times: on an idle two-core
        // machine, GET -P 16 went from 660k to 757k requests a second (mean
        // of five redis-benchmark runs each). The batch is bounded by the
        // input buffer, so a shutdown still waits for at most one buffer's
        // worth of requests, all of them already received.
        while let Some(request) = buffered_request(&mut conn) {
            if !on_event(
                Event::Request(Some(request)),
                &mut conn,
                &mut session,
                &shared,
            )
            .await
            {
                break 'serve;
            }
        }
        // Subscribers wait for messages, not commands: no idle limit for them.
        let idle = if session.subscriptions() > 0 {
            None
        } else {
            shared.config.timeout
        };
        let event = tokio::select! {
            _ = stop.cancelled() => break,
            message = next_message(&mut session.subscriber) => Event::Message(message),
            request = unless_idle(idle, conn.read_request()) => Event::Request(request),
        };
        if !on_event(event, &mut conn, &mut session, &shared).await {
            break;
        }
    }
    // Whatever was answered goes out before the connection closes.
    let _ = conn.flush().await;
    let _ = conn.get_mut().shutdown().await;
}
// ANCHOR_END: serve_client

/// The next request if a complete one is already in the buffer (or arrives
/// without waiting); `None` if getting one would wait. `read_request` is
/// cancellation-safe, so a poll that would wait is simply dropped, and the
/// `select!` polls it again with the task's own waker.
fn buffered_request(conn: &mut Connection<TcpStream>) -> Option<Request> {
    if conn.buffered_input() == 0 {
        return None;
    }
    let mut cx = Context::from_waker(Waker::noop());
    match pin!(conn.read_request()).poll(&mut cx) {
        Poll::Ready(request) => Some(request),
        Poll::Pending => None,
    }
}

/// Acts on what woke the client's task; false when the connection must close.
async fn on_event(
    event: Event,
    conn: &mut Connection<TcpStream>,
    session: &mut Session,
    shared: &Shared,
) -> bool {
    match event {
        Event::Request(Some(Ok(Some(args)))) => answer(conn, session, shared, &args).await,
        Event::Request(Some(Err(ConnError::Protocol(error)))) => {
            let _ = conn
                .write_frame(&Frame::Error(format!("ERR {error}")))
                .await;
            false
        }
        // Idle for too long, closed by the client, buffer full, socket error.
        Event::Request(_) => false,
        Event::Message(Ok(message)) => {
            let frame = cmd::exec::message_frame(message, session.protocol);
            conn.write_frame(&frame).await.is_ok() && conn.flush().await.is_ok()
        }
        // Too far behind: Redis closes such a client without a word.
        Event::Message(Err(Lagged)) => false,
    }
}

/// Runs one request and queues its replies; false when the connection must close.
async fn answer(
    conn: &mut Connection<TcpStream>,
    session: &mut Session,
    shared: &Shared,
    args: &[bytes::Bytes],
) -> bool {
    let outcome = cmd::exec(args, session, shared, Instant::now());
    conn.set_protocol(session.protocol);
    match outcome {
        Outcome::Reply(frame) => conn.write_frame(&frame).await.is_ok(),
        Outcome::Replies(frames) => {
            for frame in &frames {
                if conn.write_frame(frame).await.is_err() {
                    return false;
                }
            }
            true
        }
        Outcome::Close(frame) => {
            if let Some(frame) = frame {
                let _ = conn.write_frame(&frame).await;
            }
            false
        }
    }
}
