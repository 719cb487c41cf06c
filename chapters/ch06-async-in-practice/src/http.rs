//! A real HTTP server and client on loopback, for the fan-out demo.
//!
//! The server answers `GET /<id>` with `item-<id>` after a set latency and
//! counts the requests in flight, so the demo can show how many requests
//! each client strategy really had open at once. Both sides are hyper 1.

use bytes::Bytes;
use http_body_util::{BodyExt, Empty, Full};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, Uri};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioIo};
use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// A boxed error, enough for a demo client.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Counts requests in flight on the server, and the peak.
#[derive(Debug, Default)]
pub struct InFlight {
    now: AtomicUsize,
    peak: AtomicUsize,
    served: AtomicUsize,
}

impl InFlight {
    fn enter(self: &Arc<Self>) -> InFlightGuard {
        let now = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.peak.fetch_max(now, Ordering::SeqCst);
        InFlightGuard(Arc::clone(self))
    }

    /// The most requests that were in flight at once since the last reset.
    pub fn peak(&self) -> usize {
        self.peak.load(Ordering::SeqCst)
    }

    /// Requests answered so far.
    pub fn served(&self) -> usize {
        self.served.load(Ordering::SeqCst)
    }

    /// Requests being handled right now.
    pub fn now(&self) -> usize {
        self.now.load(Ordering::SeqCst)
    }

    /// Starts a new measurement of the peak.
    pub fn reset_peak(&self) {
        self.peak.store(0, Ordering::SeqCst);
    }
}

/// Marks a request finished when dropped, even if its connection is cut.
struct InFlightGuard(Arc<InFlight>);

impl Drop for InFlightGuard {
    fn drop(&mut self) {
        self.0.now.fetch_sub(1, Ordering::SeqCst);
    }
}

// ANCHOR: handler
/// Answers `GET /<id>` with `item-<id>`, after `latency`.
pub async fn slow_answer(
    request: Request<Incoming>,
    latency: Duration,
    in_flight: Arc<InFlight>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let _counted = in_flight.enter();
    tokio::time::sleep(latency).await; // stands for a database query
    in_flight.served.fetch_add(1, Ordering::SeqCst);
    let body = format!("item-{}", request.uri().path().trim_start_matches('/'));
    Ok(Response::new(Full::new(Bytes::from(body))))
}
// ANCHOR_END: handler

/// A running server; dropping it stops accepting connections.
#[derive(Debug)]
pub struct Server {
    /// Where it listens (127.0.0.1 and a port the OS chose).
    pub addr: SocketAddr,
    /// Its request counters.
    pub in_flight: Arc<InFlight>,
    accept_loop: tokio::task::JoinHandle<()>,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.accept_loop.abort();
    }
}

// ANCHOR: server
/// Starts a server on 127.0.0.1, on a port the OS picks, whose every
/// answer takes `latency`.
pub async fn start_server(latency: Duration) -> std::io::Result<Server> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let in_flight = Arc::new(InFlight::default());
    let counters = Arc::clone(&in_flight);
    let accept_loop = tokio::spawn(async move {
        loop {
            let Ok((stream, _peer)) = listener.accept().await else {
                // A failed accept (too many open files, say) is retried after
                // a pause: at once would spin, and giving up would stop the server.
                tokio::time::sleep(crate::shutdown::ACCEPT_BACKOFF).await;
                continue;
            };
            let counters = Arc::clone(&counters);
            // One task per connection: a slow client never holds up the others.
            tokio::spawn(async move {
                let service = service_fn(|request| slow_answer(request, latency, counters.clone()));
                let connection =
                    http1::Builder::new().serve_connection(TokioIo::new(stream), service);
                let _ = connection.await; // a client hanging up is not our error
            });
        }
    });
    Ok(Server {
        addr,
        in_flight,
        accept_loop,
    })
}
// ANCHOR_END: server

/// The HTTP client the demos use: hyper's pooled client over plain TCP.
pub type HttpClient = Client<HttpConnector, Empty<Bytes>>;

/// A client that keeps idle connections for reuse.
pub fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// The URLs `http://<addr>/0`, `/1`... for `count` items.
pub fn urls(addr: SocketAddr, count: usize) -> Vec<Uri> {
    (0..count)
        .map(|id| format!("http://{addr}/{id}").parse().expect("a valid URI"))
        .collect()
}

// ANCHOR: get
/// GETs `url` and returns the body as text.
pub async fn get(client: &HttpClient, url: Uri) -> Result<String, Error> {
    let response = client.get(url).await?;
    let body = response.into_body().collect().await?.to_bytes();
    Ok(String::from_utf8_lossy(&body).into_owned())
}
// ANCHOR_END: get

// ANCHOR: strategies
/// One request after another: `T = n * latency`.
pub async fn one_by_one(client: &HttpClient, urls: &[Uri]) -> Vec<Result<String, Error>> {
    let mut bodies = Vec::new();
    for url in urls {
        bodies.push(get(client, url.clone()).await);
    }
    bodies
}

/// Every request at once: `T = latency`, but `n` connections open together.
pub async fn all_at_once(client: &HttpClient, urls: &[Uri]) -> Vec<Result<String, Error>> {
    let requests = urls.iter().map(|url| get(client, url.clone()));
    futures::future::join_all(requests).await
}

/// At most `limit` at once: `T = ceil(n / limit) * latency`.
pub async fn bounded(
    client: &HttpClient,
    urls: &[Uri],
    limit: usize,
) -> Vec<Result<String, Error>> {
    let permits = Semaphore::new(limit);
    let requests = urls.iter().map(|url| async {
        let _permit = permits
            .acquire()
            .await
            .expect("the semaphore is never closed");
        get(client, url.clone()).await
    });
    futures::future::join_all(requests).await
}
// ANCHOR_END: strategies
