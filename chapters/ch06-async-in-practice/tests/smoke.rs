// Smoke tests: run every demo's work at a tiny size so that `cargo test`
// keeps the demos compiling and running. They assert what the demos compute
// (answers, counts), never how long anything took.

use ch06_demos::{budget, fanout, shutdown, toolbox};
use std::time::Duration;

#[tokio::test(flavor = "current_thread")]
async fn toolbox_rows_all_run() {
    let rows = toolbox::all_rows(Duration::from_millis(10)).await;
    assert!(rows.len() >= 19, "one row per idiom, got {}", rows.len());
    assert!(rows.iter().all(|row| !row.note.is_empty()));
}

#[tokio::test]
async fn http_fan_out_runs_on_loopback() {
    let knobs = fanout::FanOut {
        requests: 4,
        latency: Duration::from_millis(5),
        limit: 2,
    };
    let table = fanout::run(knobs).await.expect("the fan-out demo runs");
    let text = table.to_string();
    assert!(
        text.contains("semaphore(2)"),
        "the table has the bounded row:\n{text}"
    );
}

#[tokio::test]
async fn graceful_shutdown_answers_requests_in_flight() {
    let report = shutdown::run(
        3,
        Duration::from_millis(300),
        Duration::from_millis(100),
        true,
    )
    .await;
    assert!(
        report.late_connection_refused,
        "the listener is closed after the signal"
    );
    assert_eq!(
        report.answered, report.in_flight_at_signal,
        "every request in flight is answered"
    );
}

#[tokio::test]
async fn abrupt_shutdown_runs() {
    let report = shutdown::run(
        2,
        Duration::from_millis(300),
        Duration::from_millis(50),
        false,
    )
    .await;
    assert!(report.answered <= 2);
}

#[tokio::test(flavor = "current_thread")]
async fn the_budget_makes_only_tokio_channels_yield() {
    let rows = budget::run(1280).await;
    assert_eq!(rows.len(), 3, "one row per consumer");
    assert!(
        rows[0].bystander_turns >= 5,
        "a tokio channel yields every 128 items, so 1280 items give the bystander about 10 \
         turns; it got {}",
        rows[0].bystander_turns
    );
    assert_eq!(
        (rows[1].bystander_turns, rows[2].bystander_turns),
        (0, 0),
        "a futures channel and ready futures never yield"
    );
}

#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn a_worker_pool_shares_one_receiver() {
    let per_worker = toolbox::worker_pool(12, 3, Duration::from_millis(10)).await;
    assert_eq!(
        per_worker.iter().sum::<u32>(),
        12,
        "every item is processed once"
    );
    assert!(
        per_worker.iter().all(|&done| done > 0),
        "every worker gets a share: {per_worker:?}"
    );
}
