// Runs every demo's work at a tiny size, so `cargo test` keeps them compiling
// and working. No timing is asserted: only that each ran and counted right.

use ch08_demos::{echo, fanout, knobs, metrics, traced};
use std::time::Duration;

const MS: Duration = Duration::from_millis(1);

#[test]
fn traced_request_records_every_span() {
    let latencies = traced::Latencies {
        auth: MS,
        storage: 2 * MS,
    };
    traced::narrate_one(latencies);
    let clock = traced::measure(3, latencies);
    for name in ["request", "auth", "storage"] {
        assert_eq!(
            clock.lifetimes(name).len(),
            3,
            "three requests, so three `{name}` spans closed"
        );
    }
    assert!(
        traced::table(&clock, latencies)
            .to_string()
            .contains("storage")
    );
}

#[test]
fn task_metrics_count_the_blocks() {
    let load = metrics::Load {
        tickers: 2,
        blocks: 2,
        block: 8 * MS,
        gap: 2 * MS,
    };
    let blocking = metrics::run(load, true);
    let fixed = metrics::run(load, false);
    assert_eq!(
        blocking.offender.total_slow_poll_count, 2,
        "each 8 ms block is one slow poll"
    );
    assert_eq!(
        fixed.offender.total_slow_poll_count, 0,
        "an async sleep never blocks a poll"
    );
    assert!(
        metrics::table(load, &blocking, &fixed)
            .to_string()
            .contains("long delays")
    );
}

#[test]
fn both_runtimes_echo() {
    let load = echo::Echo {
        connections: 2,
        round_trips: 5,
        size: 16,
    };
    assert!(echo::on_tokio(load) > Duration::ZERO);
    assert!(echo::on_smol(load) > Duration::ZERO);
}

#[test]
fn knobs_run() {
    let iterations = knobs::calibrate(Duration::from_micros(100));
    assert!(knobs::cpu_jobs(2, 2, iterations) > Duration::ZERO);
    assert!(knobs::blocking_jobs(2, 3, MS) > Duration::ZERO);
    let busy = knobs::Busy {
        spinners: 3,
        poll_cost_iterations: iterations / 10,
        sleeps: 3,
    };
    let (_lateness, per_poll) = knobs::timer_lateness(61, busy);
    assert!(per_poll > Duration::ZERO);
    assert_eq!(knobs::predicted_blocking(4, 9, MS), 3 * MS);
}

#[tokio::test(start_paused = true)]
async fn buffered_keeps_order_and_goes_in_waves() {
    let (answers, took) = fanout::fan_out(10, 4, 10 * MS).await;
    assert_eq!(
        answers,
        (0..10).collect::<Vec<_>>(),
        "buffered yields in input order"
    );
    assert_eq!(
        took,
        fanout::predicted(10, 4, 10 * MS),
        "on the paused clock the model is exact: ceil(10/4) x 10 ms"
    );
    let (unordered, _) = fanout::fan_out_unordered(10, 4, 10 * MS).await;
    assert_eq!(unordered.len(), 10);
}
