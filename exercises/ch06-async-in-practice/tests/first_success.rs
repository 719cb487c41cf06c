// Tests for exercise `first_success` (chapter 6, "Racing: select! and the first to finish").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// Every test runs under the watchdog, so an answer that blocks its thread fails
// with "deadlock suspected" instead of hanging.
//
// On the paused clock, replica i starts at exactly i * 50 ms of virtual time.

use ch06_exercises::first_success::first_success;
use ch06_exercises::service::{FetchError, Scripted, Step};
use paused::paused;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

const STAGGER: Duration = Duration::from_millis(50);

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

type Outcome = Result<(u64, String), Vec<FetchError>>;

async fn race(service: &Scripted, replicas: &[u64]) -> (Outcome, Duration) {
    let start = Instant::now();
    let work = first_success(service, replicas, STAGGER);
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(outcome) => (outcome, start.elapsed()),
        Err(_) => panic!("first_success was still waiting after an hour of virtual time"),
    }
}

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: something blocked the runtime's only thread \
     (std::thread::sleep, a blocking wait, a std lock held across an await?).";

#[test]
fn the_fastest_replica_wins_not_the_first_listed() {
    paused(
        "the fastest replica wins not the first listed",
        HANG_HINT,
        || async {
            let service = Scripted::answering_after(ms(100)).script(0, [Step::Answer(ms(500))]);
            let (outcome, took) = race(&service, &[0, 1, 2]).await;
            assert_eq!(
                outcome,
                Ok((1, "item-1".to_string())),
                "replica 0 is slow (500 ms); replica 1 starts at 50 ms and answers at 150 ms, first: \
                 are the replicas awaited one after another instead of raced?"
            );
            assert_eq!(
                took,
                ms(150),
                "replica 1 starts after one stagger (50 ms) and takes 100 ms: expected 150 ms, got \
                 {took:?}. Does replica i start at i * stagger?"
            );
            assert_eq!(
                service.in_flight(),
                0,
                "{} call(s) still in flight after a winner was returned: the losers must be cancelled \
                 (dropping their futures does it)",
                service.in_flight()
            );
        },
    );
}

#[test]
fn a_failure_does_not_win() {
    paused("a failure does not win", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(100)).script(0, [Step::Fail(ms(10))]);
        let (outcome, took) = race(&service, &[0, 1]).await;
        assert_eq!(
            outcome,
            Ok((1, "item-1".to_string())),
            "replica 0 fails first, at 10 ms; the race goes on and replica 1 answers: the first \
             *success* wins, not the first call to finish"
        );
        assert_eq!(
            took,
            ms(150),
            "replica 1 answers at 50 + 100 = 150 ms, got {took:?}"
        );
    });
}

#[test]
fn replicas_not_started_before_a_win_are_never_asked() {
    paused(
        "replicas not started before a win are never asked",
        HANG_HINT,
        || async {
            let service = Scripted::answering_after(ms(30));
            let (outcome, took) = race(&service, &[0, 1, 2]).await;
            assert_eq!(
                outcome,
                Ok((0, "item-0".to_string())),
                "replica 0 answers at 30 ms"
            );
            assert_eq!(
                service.calls(),
                vec![0],
                "replica 0 answered at 30 ms, before replica 1's turn at 50 ms, so only replica 0 may \
                 be asked: are all replicas started at once instead of `stagger` apart?"
            );
            assert_eq!(took, ms(30), "the winner answers at 30 ms, got {took:?}");
        },
    );
}

#[test]
fn when_all_fail_every_error_is_returned_in_replica_order() {
    paused(
        "when all fail every error is returned in replica order",
        HANG_HINT,
        || async {
            // They finish in the order 1 (60 ms), 2 (200 ms), 0 (300 ms).
            let service = Scripted::otherwise(Step::Fail(ms(100)))
                .script(0, [Step::Fail(ms(300))])
                .script(1, [Step::Fail(ms(10))]);
            let (outcome, took) = race(&service, &[0, 1, 2]).await;
            let boom = |id| FetchError::Failed(format!("id {id}, call 1: boom"));
            assert_eq!(
                outcome,
                Err(vec![boom(0), boom(1), boom(2)]),
                "every replica failed: all errors come back in replica order (0, 1, 2), not in the \
                 order the failures arrived (1, 2, 0)"
            );
            assert_eq!(
                took,
                ms(300),
                "the last failure arrives at 300 ms, got {took:?}"
            );
        },
    );
}

#[test]
fn the_stagger_follows_positions_not_ids() {
    paused("ids that are not positions", HANG_HINT, || async {
        // Ids 7, 3, 9 sit at positions 0, 1, 2: they start at 0, 50 and 100 ms.
        let service = Scripted::answering_after(ms(100)).script(7, [Step::Answer(ms(500))]);
        let (outcome, took) = race(&service, &[7, 3, 9]).await;
        assert_eq!(
            (outcome, took),
            (Ok((3, "item-3".to_string())), ms(150)),
            "replica 7 (position 0) is slow; replica 3 is second in the list, so it starts at \
             50 ms and answers at 150 ms. The stagger counts positions in the list, not ids: \
             `stagger * id` would start replica 3 at 150 ms and replica 9 at 450 ms."
        );
        assert_eq!(
            service.calls(),
            vec![7, 3, 9],
            "positions 0, 1, 2 start at 0, 50, 100 ms, all before the winner answers at 150 ms, \
             so all three are asked, in list order"
        );
    });
}

#[test]
fn errors_follow_the_list_when_ids_are_not_positions() {
    paused(
        "every replica fails, ids not positions",
        HANG_HINT,
        || async {
            // Finishing order: 9 (100 + 10 ms), 3 (50 + 100 ms), 7 (300 ms).
            let service = Scripted::otherwise(Step::Fail(ms(100)))
                .script(7, [Step::Fail(ms(300))])
                .script(9, [Step::Fail(ms(10))]);
            let (outcome, _) = race(&service, &[7, 3, 9]).await;
            let boom = |id| FetchError::Failed(format!("id {id}, call 1: boom"));
            assert_eq!(
                outcome,
                Err(vec![boom(7), boom(3), boom(9)]),
                "every replica failed: the errors come back in the order of the list (7, 3, 9), \
                 not in the order they arrived (9, 3, 7) nor sorted by id"
            );
        },
    );
}

#[test]
fn a_single_replica_is_asked_at_once_and_an_empty_list_fails_at_once() {
    paused("one replica, then none", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(20));
        let (outcome, took) = race(&service, &[42]).await;
        assert_eq!(
            (outcome, took),
            (Ok((42, "item-42".to_string())), ms(20)),
            "a single replica is asked at once and its answer wins"
        );
        let (outcome, took) = race(&service, &[]).await;
        assert_eq!(
            (outcome, took),
            (Err(vec![]), Duration::ZERO),
            "no replicas: nobody can succeed, so an empty list of errors, at once"
        );
    });
}
