//! A server that shuts down gracefully: on the signal it stops accepting,
//! finishes the requests in flight, and exits; next to it, the same server
//! shut down abruptly. Prints what each observed.
//!
//! `cargo run --release -p ch06-demos --bin shutdown -- --requests 10 --latency-ms 1000 --signal-ms 300`

use ch06_demos::shutdown;
use kit::args::opt;
use kit::table::Table;
use std::time::Duration;

#[tokio::main]
async fn main() {
    let requests = opt("requests", 10);
    let latency = Duration::from_millis(opt("latency-ms", 1000));
    let signal_after = Duration::from_millis(opt("signal-ms", 300));
    println!(
        "{requests} requests of {latency:?} each; shutdown signalled after {signal_after:?} \
         (or press Ctrl-C)\n"
    );
    let mut table = Table::comparison("shutdown: signal -> exit");
    let mut outcomes = Vec::new();
    for (name, graceful) in [("graceful (drain)", true), ("abrupt (drop)", false)] {
        let report = shutdown::run(requests, latency, signal_after, graceful).await;
        table.compare(name, report.drain, report.predicted_drain);
        outcomes.push((name, report));
    }
    table.print();
    for (name, report) in outcomes {
        println!(
            "  {name:<17} in flight at the signal: {:>2}, answered in full: {:>2}, \
             new connection after the signal: {}",
            report.in_flight_at_signal,
            report.answered,
            if report.late_connection_refused {
                "refused"
            } else {
                "accepted (!)"
            }
        );
    }
}
