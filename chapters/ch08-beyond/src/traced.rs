//! One request that crosses three tasks, followed with `tracing` spans.
//!
//! A gateway task handles the request; it spawns an `auth` task and then a
//! `storage` task. Each spawned future is `.instrument`ed with a child span,
//! so the request's span (with its id) follows the work onto the other tasks.
//! A small `Layer` records how long each span lived, which the demo compares
//! with the latencies it injected.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tracing::span::{Attributes, Id};
use tracing::{Instrument, Subscriber, info, info_span};
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};
use tracing_subscriber::registry::LookupSpan;

/// The injected latencies of the two downstream calls.
#[derive(Debug, Clone, Copy)]
pub struct Latencies {
    pub auth: Duration,
    pub storage: Duration,
}

// ANCHOR: handle_request
/// The gateway: one span per request, and a child span for each task it
/// spawns. A spawned task does not inherit the current span by itself; the
/// `.instrument(...)` is what carries the request's context across.
pub async fn handle_request(id: u32, latencies: Latencies) -> usize {
    let request = info_span!("request", id);
    async move {
        info!("received");
        let auth = tokio::spawn(check_token(latencies.auth).instrument(info_span!("auth")));
        let user = auth.await.expect("auth task panicked");
        let storage =
            tokio::spawn(load_items(user, latencies.storage).instrument(info_span!("storage")));
        let items = storage.await.expect("storage task panicked");
        info!(items, "answered");
        items
    }
    .instrument(request)
    .await
}

async fn check_token(latency: Duration) -> &'static str {
    tokio::time::sleep(latency).await;
    info!(user = "ada", "token accepted");
    "ada"
}

async fn load_items(user: &str, latency: Duration) -> usize {
    tokio::time::sleep(latency).await;
    info!(user, rows = 3, "loaded");
    3
}
// ANCHOR_END: handle_request

// ANCHOR: span_clock
/// A `Layer` that notes when each span opens and, when it closes, how long
/// it lived. tokio-console and OpenTelemetry exporters are layers like this.
#[derive(Clone, Default)]
pub struct SpanClock {
    closed: Arc<Mutex<Vec<(&'static str, Duration)>>>,
}

struct OpenedAt(Instant);

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for SpanClock {
    fn on_new_span(&self, _attrs: &Attributes<'_>, id: &Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(id) {
            span.extensions_mut().insert(OpenedAt(Instant::now()));
        }
    }

    fn on_close(&self, id: Id, ctx: Context<'_, S>) {
        if let Some(span) = ctx.span(&id)
            && let Some(OpenedAt(at)) = span.extensions().get::<OpenedAt>()
        {
            self.closed
                .lock()
                .unwrap()
                .push((span.name(), at.elapsed()));
        }
    }
}
// ANCHOR_END: span_clock

impl SpanClock {
    /// The lifetimes of every closed span called `name`.
    pub fn lifetimes(&self, name: &str) -> Vec<Duration> {
        let closed = self.closed.lock().unwrap();
        closed
            .iter()
            .filter(|(span, _)| *span == name)
            .map(|(_, took)| *took)
            .collect()
    }
}

/// Runs one request with a human-readable subscriber, so the reader sees
/// the spans nest across tasks.
pub fn narrate_one(latencies: Latencies) {
    let subscriber = tracing_subscriber::registry().with(
        tracing_subscriber::fmt::layer()
            .with_target(false)
            .without_time()
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE),
    );
    let _default = tracing::subscriber::set_default(subscriber);
    current_thread().block_on(handle_request(7, latencies));
}

/// Runs `requests` requests at once and returns the span clock's records.
pub fn measure(requests: u32, latencies: Latencies) -> SpanClock {
    let clock = SpanClock::default();
    let subscriber = tracing_subscriber::registry().with(clock.clone());
    // `set_default` is per thread: fine, the current-thread runtime runs
    // every task on this thread.
    let _default = tracing::subscriber::set_default(subscriber);
    current_thread().block_on(async {
        let all: Vec<_> = (0..requests)
            .map(|id| tokio::spawn(handle_request(id, latencies)))
            .collect();
        for request in all {
            request.await.expect("request task panicked");
        }
    });
    clock
}

fn current_thread() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("build runtime")
}

/// The table: each span's median lifetime against the injected latencies.
pub fn table(clock: &SpanClock, latencies: Latencies) -> kit::table::Table {
    let mut table = kit::table::Table::comparison("span (median lifetime)");
    let rows = [
        ("request", latencies.auth + latencies.storage),
        ("auth", latencies.auth),
        ("storage", latencies.storage),
    ];
    for (name, predicted) in rows {
        let lifetimes = clock.lifetimes(name);
        let label = format!("{name} ({} spans)", lifetimes.len());
        table.compare(&label, kit::measure::median(lifetimes), predicted);
    }
    table
}
