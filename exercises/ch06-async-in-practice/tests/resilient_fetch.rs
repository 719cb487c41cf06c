// Tests for exercise `resilient_fetch` (chapter 6, "Timeouts, retries and backoff").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Every test runs on tokio's paused clock: the fake service sleeps on tokio
// timers, so the elapsed times below are exact virtual times. Every test also
// runs under the watchdog, so an answer that blocks its thread (or waits on
// something no timer will ever end) fails with "deadlock suspected" instead of
// sitting silent.

use ch06_exercises::resilient_fetch::{RetryPolicy, fetch_all_bounded, fetch_with_retry};
use ch06_exercises::service::{Fetch, FetchError, Scripted, Step};
use paused::paused;
use std::sync::Mutex;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const POLICY: RetryPolicy = RetryPolicy {
    timeout: Duration::from_millis(100),
    attempts: 4,
    first_backoff: Duration::from_millis(50),
};

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: the test blocked its thread or waited on something \
     that never completes. A semaphore with no permits (limit 0) waits forever: check \
     the limit before making one.";

/// Awaits `work` and returns its output with the virtual time it took. An
/// hour of virtual time is the net for an answer that would wait forever.
async fn timed<T>(what: &str, work: impl Future<Output = T>) -> (T, Duration) {
    let start = Instant::now();
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(value) => (value, start.elapsed()),
        Err(_) => panic!(
            "{what} was still waiting after an hour of virtual time: is every attempt wrapped \
             in tokio::time::timeout, so that a call that never answers is given up?"
        ),
    }
}

/// Wraps a [`Scripted`] service and records when (ms after the start) each call began.
struct Clocked {
    service: Scripted,
    start: Instant,
    started_at: Mutex<Vec<u64>>,
}

impl Clocked {
    fn new(service: Scripted) -> Self {
        Clocked {
            service,
            start: Instant::now(),
            started_at: Mutex::new(Vec::new()),
        }
    }

    fn started_at(&self) -> Vec<u64> {
        self.started_at.lock().unwrap().clone()
    }
}

impl Fetch for Clocked {
    async fn fetch(&self, id: u64) -> Result<String, FetchError> {
        let now = self.start.elapsed().as_millis() as u64;
        self.started_at.lock().unwrap().push(now);
        self.service.fetch(id).await
    }
}

#[test]
fn retries_wait_twice_as_long_after_each_failure() {
    paused("fetch_with_retry", HANG_HINT, || async {
        let service =
            Scripted::answering_after(ms(10)).script(7, [Step::Fail(ms(10)), Step::Fail(ms(10))]);
        let (result, took) =
            timed("fetch_with_retry", fetch_with_retry(&service, 7, &POLICY)).await;
        assert_eq!(
            result,
            Ok("item-7".to_string()),
            "two failures then a success: with 4 attempts allowed the third one answers"
        );
        assert_eq!(
            service.calls_for(7),
            3,
            "expected exactly 3 calls (fail, fail, answer), got {}",
            service.calls_for(7)
        );
        assert_eq!(
            took,
            ms(180),
            "expected 10 (fail) + 50 (backoff) + 10 (fail) + 100 (doubled backoff) + 10 (answer) \
             = 180 ms of virtual time, got {took:?}: does the wait double after each failure \
             (50 ms, then 100 ms)?"
        );
    });
}

#[test]
fn the_backoff_keeps_doubling_over_many_attempts() {
    paused("fetch_with_retry, five failures", HANG_HINT, || async {
        let policy = RetryPolicy {
            attempts: 5,
            first_backoff: ms(30),
            ..POLICY
        };
        let service = Clocked::new(Scripted::otherwise(Step::Fail(ms(10))));
        let (result, _) = timed("fetch_with_retry", fetch_with_retry(&service, 9, &policy)).await;
        assert_eq!(
            result,
            Err(FetchError::Failed("id 9, call 5: boom".to_string())),
            "five failed attempts return the fifth attempt's error"
        );
        let started_at = service.started_at();
        let waits: Vec<u64> = started_at
            .windows(2)
            .map(|pair| pair[1] - pair[0] - 10)
            .collect();
        assert_eq!(
            waits,
            vec![30, 60, 120, 240],
            "each attempt fails after 10 ms; the waits between attempts should be 30, 60, 120, \
             240 ms (first_backoff * 2^k), but the attempts started at {started_at:?} ms, so \
             the waits were {waits:?}. Exponential backoff multiplies the wait by 2 each time; \
             adding first_backoff each time (30, 60, 90, 120) is linear and looks the same for \
             the first two waits."
        );
    });
}

#[test]
fn a_single_attempt_never_waits() {
    paused("fetch_with_retry, one attempt", HANG_HINT, || async {
        let policy = RetryPolicy {
            attempts: 1,
            ..POLICY
        };
        let service = Scripted::otherwise(Step::Fail(ms(10)));
        let (result, took) =
            timed("fetch_with_retry", fetch_with_retry(&service, 4, &policy)).await;
        assert_eq!(
            (result, service.calls_for(4), took),
            (
                Err(FetchError::Failed("id 4, call 1: boom".to_string())),
                1,
                ms(10)
            ),
            "attempts = 1 means one call, no retry and no backoff: its error comes back after \
             the call's 10 ms"
        );
    });
}

#[test]
fn a_hung_attempt_is_cut_off_by_the_timeout() {
    paused("fetch_with_retry, a hung call", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(10)).script(1, [Step::Hang]);
        let (result, took) =
            timed("fetch_with_retry", fetch_with_retry(&service, 1, &POLICY)).await;
        assert_eq!(
            result,
            Ok("item-1".to_string()),
            "the first call hangs, the retry answers"
        );
        assert_eq!(
            took,
            ms(160),
            "expected 100 (timeout) + 50 (backoff) + 10 (answer) = 160 ms, got {took:?}: \
             is the timeout applied to each attempt, not to the whole retry loop?"
        );
        assert_eq!(
            service.in_flight(),
            0,
            "the hung call is still in flight: a timed-out attempt must be dropped, which \
             cancels it"
        );
    });
}

#[test]
fn the_last_error_is_returned_without_a_final_wait() {
    paused("fetch_with_retry, three failures", HANG_HINT, || async {
        let policy = RetryPolicy {
            attempts: 3,
            ..POLICY
        };
        let service = Scripted::otherwise(Step::Fail(ms(10)));
        let (result, took) =
            timed("fetch_with_retry", fetch_with_retry(&service, 3, &policy)).await;
        assert_eq!(
            service.calls_for(3),
            3,
            "attempts = 3 means 3 calls in total, got {}: is the loop bound off by one?",
            service.calls_for(3)
        );
        assert_eq!(
            result,
            Err(FetchError::Failed("id 3, call 3: boom".to_string())),
            "when every attempt fails, the error of the last attempt is returned"
        );
        assert_eq!(
            took,
            ms(180),
            "expected 10 + 50 + 10 + 100 + 10 = 180 ms, got {took:?}: after the last attempt \
             there is nothing to wait for, so no backoff sleep"
        );
    });
}

#[test]
fn every_attempt_hanging_gives_timed_out() {
    paused("fetch_with_retry, every call hangs", HANG_HINT, || async {
        let policy = RetryPolicy {
            attempts: 2,
            ..POLICY
        };
        let service = Scripted::otherwise(Step::Hang);
        let (result, took) =
            timed("fetch_with_retry", fetch_with_retry(&service, 5, &policy)).await;
        assert_eq!(
            result,
            Err(FetchError::TimedOut),
            "two attempts that never answer end in FetchError::TimedOut"
        );
        assert_eq!(
            took,
            ms(250),
            "expected 100 (timeout) + 50 (backoff) + 100 (timeout) = 250 ms, got {took:?}"
        );
    });
}

#[test]
fn the_fan_out_fills_the_limit_and_never_exceeds_it() {
    paused("fetch_all_bounded, 10 ids", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(100));
        let ids: Vec<u64> = (0..10).collect();
        let (results, took) = timed(
            "fetch_all_bounded",
            fetch_all_bounded(&service, &ids, 3, &POLICY),
        )
        .await;
        assert_eq!(results.len(), 10, "one result per id");
        let peak = service.peak_in_flight();
        assert!(
            peak <= 3,
            "{peak} calls were in flight at once with limit 3: does every call hold a \
             semaphore permit while it runs? Note that `let _ = permits.acquire().await` \
             drops the permit at once (`_` binds nothing); keep it in a named variable such \
             as `_permit` until the call is done."
        );
        assert_eq!(
            peak, 3,
            "only {peak} call(s) in flight at once with limit 3: are the calls awaited one \
             after another instead of started together?"
        );
        assert_eq!(
            took,
            ms(400),
            "10 calls of 100 ms, 3 at a time, take 4 rounds = 400 ms of virtual time, got \
             {took:?}"
        );
    });
}

#[test]
fn the_permit_is_held_through_the_backoff() {
    paused("fetch_all_bounded, limit 1, a retry", HANG_HINT, || async {
        // Id 7 fails once, then answers; with one permit, id 3 must wait for
        // all of id 7's call, its backoff included.
        let service = Scripted::answering_after(ms(100)).script(7, [Step::Fail(ms(10))]);
        let (results, took) = timed(
            "fetch_all_bounded",
            fetch_all_bounded(&service, &[7, 3], 1, &POLICY),
        )
        .await;
        assert_eq!(
            results,
            vec![Ok("item-7".to_string()), Ok("item-3".to_string())],
            "both ids answer in the end"
        );
        assert_eq!(
            service.calls(),
            vec![7, 7, 3],
            "with limit 1, id 7 holds the only permit for its whole call, retries and backoff \
             included, so the calls go 7 (fails), 7 (answers), then 3; they went {:?}. A \
             permit taken per attempt is released during the backoff sleep and lets another \
             call start, so a retrying client exceeds the limit it promised.",
            service.calls()
        );
        assert_eq!(
            took,
            ms(260),
            "expected 10 (fail) + 50 (backoff) + 100 (answer) + 100 (id 3) = 260 ms, got \
             {took:?}"
        );
    });
}

#[test]
fn results_come_back_in_the_order_of_the_ids() {
    paused("fetch_all_bounded, slowest first", HANG_HINT, || async {
        // The first id is the slowest, so finishing order is the reverse of
        // asking order; the ids are not positions either.
        let service = Scripted::answering_after(ms(10))
            .script(7, [Step::Answer(ms(400))])
            .script(3, [Step::Answer(ms(300))])
            .script(9, [Step::Answer(ms(200))])
            .script(1, [Step::Answer(ms(100))]);
        let (results, _) = timed(
            "fetch_all_bounded",
            fetch_all_bounded(&service, &[7, 3, 9, 1], 4, &POLICY),
        )
        .await;
        let expected: Vec<Result<String, FetchError>> = [7, 3, 9, 1]
            .iter()
            .map(|id| Ok(format!("item-{id}")))
            .collect();
        assert_eq!(
            results, expected,
            "results must follow the order of `ids` (7, 3, 9, 1), not the order in which \
             calls finished (join_all keeps order; buffer_unordered does not)"
        );
    });
}

#[test]
fn no_ids_give_no_results_at_once() {
    paused("fetch_all_bounded, no ids", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(10));
        let (results, took) = timed(
            "fetch_all_bounded",
            fetch_all_bounded(&service, &[], 3, &POLICY),
        )
        .await;
        assert!(
            results.is_empty() && took == Duration::ZERO && service.calls().is_empty(),
            "no ids: expected no results, no calls and no waiting, got {} result(s), calls \
             {:?}, after {took:?}",
            results.len(),
            service.calls()
        );
    });
}

#[test]
fn each_call_of_the_fan_out_is_retried() {
    paused("fetch_all_bounded, one failure", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(100)).script(2, [Step::Fail(ms(10))]);
        let (results, took) = timed(
            "fetch_all_bounded",
            fetch_all_bounded(&service, &[1, 2, 3], 3, &POLICY),
        )
        .await;
        assert_eq!(
            results[1],
            Ok("item-2".to_string()),
            "id 2 fails once and must be retried inside the fan-out (use fetch_with_retry)"
        );
        assert_eq!(
            took,
            ms(160),
            "expected 10 (fail) + 50 (backoff) + 100 (answer) = 160 ms for the slowest id, got \
             {took:?}"
        );
    });
}

#[test]
#[should_panic(expected = "limit must be at least 1")]
fn a_zero_limit_is_refused() {
    paused("fetch_all_bounded with limit 0", HANG_HINT, || async {
        let service = Scripted::answering_after(ms(1));
        timed(
            "fetch_all_bounded with a zero limit (it should refuse it with a panic at once; a \
             semaphore with no permits waits forever)",
            fetch_all_bounded(&service, &[1], 0, &POLICY),
        )
        .await;
    });
}
