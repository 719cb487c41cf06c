// Tests for exercise `resilient_fetch` (chapter 6, "Timeouts, retries and backoff").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Every test runs on tokio's paused clock: the fake service sleeps on tokio
// timers, so the elapsed times below are exact virtual times.

use ch06_exercises::resilient_fetch::{RetryPolicy, fetch_all_bounded, fetch_with_retry};
use ch06_exercises::service::{FetchError, Scripted, Step};
use std::time::Duration;
use tokio::time::Instant;

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

const POLICY: RetryPolicy = RetryPolicy {
    timeout: Duration::from_millis(100),
    attempts: 4,
    first_backoff: Duration::from_millis(50),
};

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

#[tokio::test(start_paused = true)]
async fn retries_wait_twice_as_long_after_each_failure() {
    let service =
        Scripted::answering_after(ms(10)).script(7, [Step::Fail(ms(10)), Step::Fail(ms(10))]);
    let (result, took) = timed("fetch_with_retry", fetch_with_retry(&service, 7, &POLICY)).await;
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
}

#[tokio::test(start_paused = true)]
async fn a_hung_attempt_is_cut_off_by_the_timeout() {
    let service = Scripted::answering_after(ms(10)).script(1, [Step::Hang]);
    let (result, took) = timed("fetch_with_retry", fetch_with_retry(&service, 1, &POLICY)).await;
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
        "the hung call is still in flight: a timed-out attempt must be dropped, which cancels it"
    );
}

#[tokio::test(start_paused = true)]
async fn the_last_error_is_returned_without_a_final_wait() {
    let policy = RetryPolicy {
        attempts: 3,
        ..POLICY
    };
    let service = Scripted::otherwise(Step::Fail(ms(10)));
    let (result, took) = timed("fetch_with_retry", fetch_with_retry(&service, 3, &policy)).await;
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
}

#[tokio::test(start_paused = true)]
async fn every_attempt_hanging_gives_timed_out() {
    let policy = RetryPolicy {
        attempts: 2,
        ..POLICY
    };
    let service = Scripted::otherwise(Step::Hang);
    let (result, took) = timed("fetch_with_retry", fetch_with_retry(&service, 5, &policy)).await;
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
}

#[tokio::test(start_paused = true)]
async fn the_fan_out_fills_the_limit_and_never_exceeds_it() {
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
        "{peak} calls were in flight at once with limit 3: does every call hold a semaphore \
         permit while it runs?"
    );
    assert_eq!(
        peak, 3,
        "only {peak} call(s) in flight at once with limit 3: are the calls awaited one after \
         another instead of started together?"
    );
    assert_eq!(
        took,
        ms(400),
        "10 calls of 100 ms, 3 at a time, take 4 rounds = 400 ms of virtual time, got {took:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn results_come_back_in_the_order_of_the_ids() {
    // The first id is the slowest, so finishing order is the reverse of asking order.
    let service = Scripted::answering_after(ms(10))
        .script(0, [Step::Answer(ms(400))])
        .script(1, [Step::Answer(ms(300))])
        .script(2, [Step::Answer(ms(200))])
        .script(3, [Step::Answer(ms(100))]);
    let (results, _) = timed(
        "fetch_all_bounded",
        fetch_all_bounded(&service, &[0, 1, 2, 3], 4, &POLICY),
    )
    .await;
    let expected: Vec<Result<String, FetchError>> =
        (0..4).map(|id| Ok(format!("item-{id}"))).collect();
    assert_eq!(
        results, expected,
        "results must follow the order of `ids`, not the order in which calls finished \
         (join_all keeps order; buffer_unordered does not)"
    );
}

#[tokio::test(start_paused = true)]
async fn each_call_of_the_fan_out_is_retried() {
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
        "expected 10 (fail) + 50 (backoff) + 100 (answer) = 160 ms for the slowest id, got {took:?}"
    );
}

#[tokio::test]
#[should_panic(expected = "limit must be at least 1")]
async fn a_zero_limit_is_refused() {
    let service = Scripted::answering_after(ms(1));
    fetch_all_bounded(&service, &[1], 0, &POLICY).await;
}
