//! The HTTP fan-out demo: the same N requests sent one by one, all at once,
//! and bounded by a semaphore, against a real server on loopback.

use crate::http::{self, Error};
use kit::measure::timed_async;
use kit::table::{Table, duration, ratio};
use std::time::Duration;

/// Knobs of the fan-out demo.
#[derive(Debug, Clone, Copy)]
pub struct FanOut {
    /// How many URLs to fetch.
    pub requests: usize,
    /// How long the server takes per request.
    pub latency: Duration,
    /// The bound for the semaphore strategy.
    pub limit: usize,
}

/// Runs the three strategies and returns the table to print.
pub async fn run(knobs: FanOut) -> Result<Table, Error> {
    let server = http::start_server(knobs.latency).await?;
    let client = http::client();
    let urls = http::urls(server.addr, knobs.requests);
    let rounds = knobs.requests.div_ceil(knobs.limit.max(1)) as u32;
    let mut table = Table::new([
        "strategy",
        "measured",
        "predicted",
        "ratio",
        "server peak in flight",
    ]);

    let strategies: [(&str, Duration); 3] = [
        ("one by one", knobs.latency * knobs.requests as u32),
        ("join_all", knobs.latency),
        ("semaphore", knobs.latency * rounds),
    ];
    for (name, predicted) in strategies {
        server.in_flight.reset_peak();
        let (bodies, took) = timed_async(async {
            match name {
                "one by one" => http::one_by_one(&client, &urls).await,
                "join_all" => http::all_at_once(&client, &urls).await,
                _ => http::bounded(&client, &urls, knobs.limit).await,
            }
        })
        .await;
        check_bodies(&bodies)?;
        let label = if name == "semaphore" {
            format!("semaphore({})", knobs.limit)
        } else {
            name.to_string()
        };
        table.row([
            label,
            duration(took),
            duration(predicted),
            ratio(took.as_secs_f64(), predicted.as_secs_f64()),
            server.in_flight.peak().to_string(),
        ]);
    }
    Ok(table)
}

/// Every body must be `item-<its index>`: a fast wrong answer proves nothing.
fn check_bodies(bodies: &[Result<String, Error>]) -> Result<(), Error> {
    for (id, body) in bodies.iter().enumerate() {
        let body = body
            .as_ref()
            .map_err(|e| format!("request {id} failed: {e}"))?;
        if *body != format!("item-{id}") {
            return Err(format!("request {id} got {body:?}").into());
        }
    }
    Ok(())
}
