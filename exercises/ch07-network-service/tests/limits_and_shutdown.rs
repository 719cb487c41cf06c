// Tests for exercise `limits_and_shutdown` (chapter 7, "Step 6: limits and graceful shutdown").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Connections come from a scripted acceptor fed through a channel: each is
// one end of a `tokio::io::duplex` pipe (the test keeps the client's end),
// or an accept error. It records the virtual instant of every accept
// attempt, so the backoff schedule is checked exactly on the paused clock.

use ch07_exercises::limits_and_shutdown::{
    Accept, FIRST_BACKOFF, Gate, MAX_BACKOFF, TOO_MANY_CLIENTS, accept_with_backoff, serve,
    unless_idle,
};
use std::io;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};
use tokio::sync::mpsc;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

type Incoming = io::Result<DuplexStream>;

struct ScriptedAcceptor {
    incoming: mpsc::UnboundedReceiver<Incoming>,
    attempts: Arc<Mutex<Vec<Instant>>>,
    dropped: Arc<AtomicBool>,
}

impl Accept for ScriptedAcceptor {
    type Conn = DuplexStream;
    async fn accept(&mut self) -> io::Result<DuplexStream> {
        self.attempts.lock().unwrap().push(Instant::now());
        match self.incoming.recv().await {
            Some(next) => next,
            // The script is over: no more clients, ever.
            None => std::future::pending().await,
        }
    }
}

impl Drop for ScriptedAcceptor {
    fn drop(&mut self) {
        self.dropped.store(true, Ordering::SeqCst);
    }
}

struct Script {
    feed: mpsc::UnboundedSender<Incoming>,
    attempts: Arc<Mutex<Vec<Instant>>>,
    dropped: Arc<AtomicBool>,
}

impl Script {
    /// A new client: the server's end goes to the acceptor, the client's end is returned.
    fn connect(&self) -> DuplexStream {
        let (client, server) = tokio::io::duplex(1024);
        self.feed.send(Ok(server)).unwrap();
        client
    }
    /// A client whose pipe holds only `capacity` bytes: a server writing more
    /// to it waits until the client reads.
    fn connect_with_buffer(&self, capacity: usize) -> DuplexStream {
        let (client, server) = tokio::io::duplex(capacity);
        self.feed.send(Ok(server)).unwrap();
        client
    }
    fn fail(&self) {
        self.feed
            .send(Err(io::Error::other("too many open files")))
            .unwrap();
    }
    /// Accept attempts so far, as offsets from `start`.
    fn attempt_offsets(&self, start: Instant) -> Vec<Duration> {
        self.attempts
            .lock()
            .unwrap()
            .iter()
            .map(|at| *at - start)
            .collect()
    }
}

fn scripted() -> (ScriptedAcceptor, Script) {
    let (feed, incoming) = mpsc::unbounded_channel();
    let attempts = Arc::new(Mutex::new(Vec::new()));
    let dropped = Arc::new(AtomicBool::new(false));
    let acceptor = ScriptedAcceptor {
        incoming,
        attempts: Arc::clone(&attempts),
        dropped: Arc::clone(&dropped),
    };
    (
        acceptor,
        Script {
            feed,
            attempts,
            dropped,
        },
    )
}

/// Reads what the server sent until it closes its end (or a minute passes).
async fn read_until_closed(client: &mut DuplexStream) -> Option<Vec<u8>> {
    let mut got = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), client.read_to_end(&mut got))
        .await
        .ok()?
        .ok()?;
    Some(got)
}

/// Lets the spawned tasks run until they are all waiting (virtual time moves 1 ms).
async fn settle() {
    tokio::time::sleep(Duration::from_millis(1)).await;
}

/// A handler that greets its client and then holds the connection until stop.
async fn greet_and_hold(mut conn: DuplexStream, stop: CancellationToken) {
    let _ = conn.write_all(b"+WELCOME\r\n").await;
    stop.cancelled().await;
}

async fn read_greeting(client: &mut DuplexStream) -> Vec<u8> {
    let mut buf = vec![0; 10];
    match tokio::time::timeout(Duration::from_secs(60), client.read_exact(&mut buf)).await {
        Ok(Ok(_)) => buf,
        _ => b"(nothing)".to_vec(),
    }
}

#[tokio::test(start_paused = true)]
async fn a_client_over_the_limit_is_told_and_closed() {
    let (acceptor, script) = scripted();
    let stop = CancellationToken::new();
    let gate = Gate::new(2);
    let server = tokio::spawn(serve(acceptor, gate.clone(), stop.clone(), greet_and_hold));
    let mut first = script.connect();
    let mut second = script.connect();
    let mut third = script.connect();
    assert_eq!(
        read_greeting(&mut first).await,
        b"+WELCOME\r\n",
        "the first client is admitted"
    );
    assert_eq!(
        read_greeting(&mut second).await,
        b"+WELCOME\r\n",
        "the second too"
    );
    let got = read_until_closed(&mut third).await;
    assert_eq!(
        got.as_deref(),
        Some(TOO_MANY_CLIENTS),
        "with --maxclients 2 the third client must get \"-ERR max number of clients reached\" and a closed \
         connection, not be queued or served; got {:?}",
        got.as_ref()
            .map(|g| String::from_utf8_lossy(g).into_owned())
    );
    assert_eq!(gate.in_use(), 2, "two clients hold the two slots");
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(60), server)
        .await
        .expect("serve must return after stop")
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_slot_is_free_again_once_its_client_is_gone() {
    let (acceptor, script) = scripted();
    let stop = CancellationToken::new();
    let gate = Gate::new(1);
    let handler = |mut conn: DuplexStream, _stop: CancellationToken| async move {
        let _ = conn.write_all(b"+WELCOME\r\n").await;
        let mut rest = Vec::new();
        let _ = conn.read_to_end(&mut rest).await;
    };
    let _server = tokio::spawn(serve(acceptor, gate.clone(), stop.clone(), handler));
    let mut first = script.connect();
    assert_eq!(read_greeting(&mut first).await, b"+WELCOME\r\n");
    drop(first);
    settle().await;
    assert_eq!(
        gate.in_use(),
        0,
        "the first client left, so its permit must be back (held by its task, released when it ends)"
    );
    let mut second = script.connect();
    assert_eq!(
        read_greeting(&mut second).await,
        b"+WELCOME\r\n",
        "with --maxclients 1, a new client is admitted once the previous one left"
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn failed_accepts_are_retried_with_a_doubling_pause() {
    let (mut acceptor, script) = scripted();
    for _ in 0..5 {
        script.fail();
    }
    let _client = script.connect();
    let stop = CancellationToken::new();
    let start = Instant::now();
    let conn = accept_with_backoff(&mut acceptor, &stop).await;
    assert!(
        conn.is_some(),
        "after 5 errors the 6th attempt gets the connection"
    );
    let ms = |n| Duration::from_millis(n);
    assert_eq!(
        script.attempt_offsets(start),
        vec![ms(0), ms(1), ms(3), ms(7), ms(15), ms(31)],
        "accept errors (EMFILE...) last a while: retry after 1 ms, then 2, 4, 8, 16 ms (a doubling pause). \
         Retrying at once spins a core at 100 %; a fixed pause is either slow to recover or still a spin"
    );
}

#[tokio::test(start_paused = true)]
async fn the_pause_stops_growing_at_the_maximum() {
    let (mut acceptor, script) = scripted();
    for _ in 0..14 {
        script.fail();
    }
    let _client = script.connect();
    let stop = CancellationToken::new();
    let start = Instant::now();
    accept_with_backoff(&mut acceptor, &stop)
        .await
        .expect("a connection after the errors");
    let offsets = script.attempt_offsets(start);
    let gaps: Vec<Duration> = offsets.windows(2).map(|w| w[1] - w[0]).collect();
    assert_eq!(gaps[0], FIRST_BACKOFF, "the first pause is FIRST_BACKOFF");
    assert_eq!(
        gaps.last().copied(),
        Some(MAX_BACKOFF),
        "after 14 errors the pause must be capped at MAX_BACKOFF (1 s), got gaps {gaps:?}"
    );
    assert!(
        gaps.iter().all(|g| *g <= MAX_BACKOFF),
        "no pause above MAX_BACKOFF: {gaps:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn accepting_ends_when_stop_is_cancelled() {
    let (mut acceptor, script) = scripted();
    script.fail();
    let stop = CancellationToken::new();
    let canceller = {
        let stop = stop.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(5)).await;
            stop.cancel();
        })
    };
    let start = Instant::now();
    let got = accept_with_backoff(&mut acceptor, &stop).await;
    assert!(
        got.is_none(),
        "no client came, and stop was cancelled: None"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(5),
        "returned as soon as stop was cancelled"
    );
    canceller.await.unwrap();
}

#[tokio::test(start_paused = true)]
async fn unless_idle_gives_up_after_the_limit() {
    let quick = async {
        tokio::time::sleep(Duration::from_secs(3)).await;
        "request"
    };
    assert_eq!(
        unless_idle(Some(Duration::from_secs(5)), quick).await,
        Some("request"),
        "a request within the limit"
    );
    let start = Instant::now();
    let slow = tokio::time::sleep(Duration::from_secs(7));
    assert_eq!(
        unless_idle(Some(Duration::from_secs(5)), slow).await,
        None,
        "no request within 5 s: None"
    );
    assert_eq!(
        start.elapsed(),
        Duration::from_secs(5),
        "and the give-up happens at the limit, not later"
    );
    let start = Instant::now();
    let very_slow = tokio::time::sleep(Duration::from_secs(3600));
    assert_eq!(
        unless_idle(None, very_slow).await,
        Some(()),
        "without a limit (--timeout 0), wait as long as it takes"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(3600));
}

#[tokio::test(start_paused = true)]
async fn shutdown_waits_for_every_connection_to_finish() {
    let (acceptor, script) = scripted();
    let stop = CancellationToken::new();
    let finished = Arc::new(AtomicUsize::new(0));
    let handler = {
        let finished = Arc::clone(&finished);
        move |mut conn: DuplexStream, stop: CancellationToken| {
            let finished = Arc::clone(&finished);
            async move {
                stop.cancelled().await;
                // The command in flight takes 2 more seconds, then its reply goes out.
                tokio::time::sleep(Duration::from_secs(2)).await;
                let _ = conn.write_all(b"+DONE\r\n").await;
                finished.fetch_add(1, Ordering::SeqCst);
            }
        }
    };
    let server = tokio::spawn(serve(acceptor, Gate::new(10), stop.clone(), handler));
    let mut clients = vec![script.connect(), script.connect(), script.connect()];
    settle().await;
    let cancelled_at = Instant::now();
    stop.cancel();
    tokio::time::timeout(Duration::from_secs(60), server)
        .await
        .expect("serve must return after stop")
        .unwrap();
    assert_eq!(
        finished.load(Ordering::SeqCst),
        3,
        "serve returned while connections were still finishing their command: after stop, wait for every \
         connection task (TaskTracker, or a JoinSet joined to the end)"
    );
    assert_eq!(
        cancelled_at.elapsed(),
        Duration::from_secs(2),
        "and returns as soon as the last one is done"
    );
    for client in &mut clients {
        assert_eq!(
            read_until_closed(client).await.as_deref(),
            Some(&b"+DONE\r\n"[..]),
            "each reply went out"
        );
    }
}

#[tokio::test(start_paused = true)]
async fn shutdown_closes_the_listener_before_waiting() {
    let (acceptor, script) = scripted();
    let stop = CancellationToken::new();
    let handler = |_conn: DuplexStream, stop: CancellationToken| async move {
        stop.cancelled().await;
        tokio::time::sleep(Duration::from_secs(10)).await;
    };
    let server = tokio::spawn(serve(acceptor, Gate::new(10), stop.clone(), handler));
    let _client = script.connect();
    settle().await;
    stop.cancel();
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert!(
        script.dropped.load(Ordering::SeqCst),
        "one second into the shutdown the listener was still open: stop accepting (drop the acceptor) \
         first, so new clients are refused at once instead of waiting in the accept queue"
    );
    tokio::time::timeout(Duration::from_secs(60), server)
        .await
        .expect("serve must return")
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn a_rejected_client_that_does_not_read_blocks_nobody() {
    let (acceptor, script) = scripted();
    let stop = CancellationToken::new();
    let gate = Gate::new(1);
    let _server = tokio::spawn(serve(acceptor, gate.clone(), stop.clone(), greet_and_hold));
    let mut first = script.connect();
    assert_eq!(
        read_greeting(&mut first).await,
        b"+WELCOME\r\n",
        "the first client is admitted"
    );
    // Its pipe holds 4 bytes, less than the error, and it never reads: writing
    // the error to it waits until the client goes away.
    let stubborn = script.connect_with_buffer(4);
    settle().await;
    let mut third = script.connect();
    let got = read_until_closed(&mut third).await;
    assert_eq!(
        got.as_deref(),
        Some(TOO_MANY_CLIENTS),
        "a client over the limit that does not read its error must not hold up the next one: the next \
         client over the limit should still be told and closed, got {:?}. Is the error written in the \
         accept loop itself? Write it in a task of its own, so accepting goes on",
        got.as_ref()
            .map(|g| String::from_utf8_lossy(g).into_owned())
    );
    drop(stubborn);
    stop.cancel();
}
