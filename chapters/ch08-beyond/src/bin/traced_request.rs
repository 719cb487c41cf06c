//! Follows requests across three tasks with `tracing` spans: prints one
//! request's spans as they close, then times 20 concurrent requests by their
//! spans and compares with the injected latencies.
//!
//! `cargo run --release -p ch08-demos --bin traced_request -- --requests 20 --auth-ms 20 --storage-ms 50`

use ch08_demos::traced::{self, Latencies};
use kit::args::opt;
use std::time::Duration;

fn main() {
    let latencies = Latencies {
        auth: Duration::from_millis(opt("auth-ms", 20)),
        storage: Duration::from_millis(opt("storage-ms", 50)),
    };
    let requests = opt("requests", 20);
    println!("One request, its events and spans (gateway task -> auth task -> storage task):\n");
    traced::narrate_one(latencies);
    println!("\n{requests} requests at once, timed by a Layer that records span lifetimes:\n");
    let clock = traced::measure(requests, latencies);
    traced::table(&clock, latencies).print();
}
