//! Graceful shutdown: stop accepting, let the requests in flight finish,
//! then exit, and report what happened.

use crate::http::{InFlight, slow_answer};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::TokioIo;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

/// How long the accept loop waits after a failed `accept` before it retries.
pub const ACCEPT_BACKOFF: Duration = Duration::from_millis(100);

// ANCHOR: serve
/// Serves until `shutdown` is cancelled, then stops accepting and returns
/// once every connection is closed. `graceful` connections finish the
/// request in progress first; the others are cut off.
pub async fn serve(
    listener: TcpListener,
    latency: Duration,
    in_flight: Arc<InFlight>,
    shutdown: CancellationToken,
    graceful: bool,
) {
    let connections = TaskTracker::new();
    loop {
        let (stream, _peer) = tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok(connection) => connection,
                Err(_) => {
                    // E.g. too many open files. Retrying at once would spin
                    // on the same error; wait for connections to close.
                    tokio::time::sleep(ACCEPT_BACKOFF).await;
                    continue;
                }
            },
        };
        let (counters, shutdown) = (Arc::clone(&in_flight), shutdown.clone());
        connections.spawn(async move {
            let service = service_fn(|request| slow_answer(request, latency, counters.clone()));
            let connection = http1::Builder::new().serve_connection(TokioIo::new(stream), service);
            let mut connection = std::pin::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = shutdown.cancelled(), if graceful => {
                    // Finish the request in progress, then close; an idle
                    // keep-alive connection closes at once.
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
                // Not graceful: leaving the select! drops the connection,
                // and the request it was serving, on the spot.
                _ = shutdown.cancelled(), if !graceful => {}
            }
        });
    }
    drop(listener); // new connections are now refused by the OS
    connections.close();
    connections.wait().await; // the drain
}
// ANCHOR_END: serve

/// What the shutdown demo observed.
#[derive(Debug, Clone)]
pub struct ShutdownReport {
    /// Requests being served when the signal came.
    pub in_flight_at_signal: usize,
    /// Of those, how many got their full answer.
    pub answered: usize,
    /// Whether a connection attempted after the signal was refused.
    pub late_connection_refused: bool,
    /// From the signal to the server's return.
    pub drain: Duration,
    /// What the model predicts for the drain: the rest of the slowest request.
    pub predicted_drain: Duration,
}

// ANCHOR: run
/// Starts the server, sends `requests` slow requests, signals shutdown after
/// `signal_after` (or at Ctrl-C, whichever comes first), tries one more
/// connection, and reports.
pub async fn run(
    requests: usize,
    latency: Duration,
    signal_after: Duration,
    graceful: bool,
) -> ShutdownReport {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("a local address");
    let shutdown = CancellationToken::new();
    let in_flight = Arc::new(InFlight::default());
    let start = Instant::now();
    let counters = Arc::clone(&in_flight);
    let server = tokio::spawn(serve(
        listener,
        latency,
        counters,
        shutdown.clone(),
        graceful,
    ));

    let client = crate::http::client();
    let urls = crate::http::urls(addr, requests);
    let calls = tokio::spawn(async move { crate::http::all_at_once(&client, &urls).await });

    tokio::select! {
        _ = tokio::time::sleep(signal_after) => {}
        _ = tokio::signal::ctrl_c() => println!("Ctrl-C received"),
    }
    let signalled = Instant::now();
    let in_flight_at_signal = in_flight.now();
    shutdown.cancel();
    server.await.expect("the server does not panic");
    let drain = signalled.elapsed();

    let late_connection_refused = try_connect(addr).await.is_err();
    let bodies = calls.await.expect("the client does not panic");
    let predicted_drain = if graceful {
        latency.saturating_sub(signalled - start) // the rest of each request
    } else {
        Duration::ZERO
    };
    ShutdownReport {
        in_flight_at_signal,
        answered: bodies.iter().filter(|body| body.is_ok()).count(),
        late_connection_refused,
        drain,
        predicted_drain,
    }
}
// ANCHOR_END: run

async fn try_connect(addr: SocketAddr) -> std::io::Result<()> {
    tokio::net::TcpStream::connect(addr).await.map(drop)
}
