// Tests for exercise `memo_cache` (chapter 6, "Locks in async code").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Each test runs a current-thread runtime on tokio's paused clock (one
// thread, like asyncio's loop) inside the watchdog: a std::sync::Mutex guard
// held across an `.await` makes the second task block that one thread
// forever, which the watchdog reports as "deadlock suspected".

use ch06_exercises::memo_cache::Cache;
use kit::slow::{Response, SlowService};
use paused::paused;
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

#[path = "support/paused.rs"]
mod paused;

const LATENCY: Duration = Duration::from_millis(100);

/// Runs `test` with a fresh slow service on a one-thread runtime with a
/// paused clock, under the watchdog.
fn paused_one_thread<T: Send + 'static, F: Future<Output = T>>(
    what: &str,
    test: impl FnOnce(Arc<SlowService>) -> F + Send + 'static,
) -> T {
    paused(
        what,
        "A std::sync::MutexGuard held across `.await` blocks the loop's only thread as soon as \
         another task calls lock(): copy what you need, drop the guard, then await.",
        move || test(Arc::new(SlowService::uniform(LATENCY))),
    )
}

/// An hour of virtual time is the net for a get that waits for nothing.
async fn within_an_hour<T>(what: &str, work: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(value) => value,
        Err(_) => panic!(
            "{what} was still waiting after an hour of virtual time: is a get waiting for a \
             fetch that nobody runs any more (the get that started it was cancelled)?"
        ),
    }
}

#[test]
fn different_keys_are_fetched_at_the_same_time() {
    let (answers, took, peak) =
        paused_one_thread("two gets of different ids", |service| async move {
            let cache = Cache::new(Arc::clone(&service));
            let start = Instant::now();
            let answers = tokio::join!(cache.get(1), cache.get(2));
            (answers, start.elapsed(), service.peak_in_flight())
        });
    assert_eq!(answers, (Response::for_id(1), Response::for_id(2)));
    assert_eq!(
        (took, peak),
        (LATENCY, 2),
        "two gets of different ids should overlap: expected 100 ms with 2 fetches in flight, \
         got {took:?} with {peak} in flight. Is a lock held while fetching, so that the \
         second get waits for the first?"
    );
}

#[test]
fn a_cached_answer_is_not_fetched_again() {
    let (calls, second_took) = paused_one_thread("two gets of one id", |service| async move {
        let cache = Cache::new(Arc::clone(&service));
        assert_eq!(cache.get(3).await, Response::for_id(3));
        let start = Instant::now();
        assert_eq!(cache.get(3).await, Response::for_id(3));
        (service.calls(), start.elapsed())
    });
    assert_eq!(
        calls, 1,
        "id 3 was fetched {calls} times: the first answer must be stored in the map"
    );
    assert_eq!(
        second_took,
        Duration::ZERO,
        "the second get should come from the cache at once, it took {second_took:?}"
    );
}

#[test]
fn concurrent_gets_of_one_id_share_one_fetch() {
    let (answers, took, calls) =
        paused_one_thread("three gets of one id at once", |service| async move {
            let cache = Cache::new(Arc::clone(&service));
            let start = Instant::now();
            let answers = tokio::join!(cache.get(4), cache.get(4), cache.get(4));
            (answers, start.elapsed(), service.calls())
        });
    let expected = Response::for_id(4);
    assert_eq!(
        answers,
        (expected.clone(), expected.clone(), expected),
        "every get of id 4 gets id 4's answer"
    );
    assert_eq!(
        (calls, took),
        (1, LATENCY),
        "three gets of id 4 at the same time made {calls} call(s) to the service and took \
         {took:?}; expected 1 call and 100 ms. Checking the map, fetching, then storing lets \
         every get that arrives during the fetch miss the map and fetch too (a thundering \
         herd): the first get must leave a mark in the map that the others wait on, such as \
         a `tokio::sync::OnceCell` per id."
    );
}

#[test]
fn mixed_ids_are_each_fetched_once() {
    let (answers, took, order) =
        paused_one_thread("five gets of three ids at once", |service| async move {
            let cache = Cache::new(Arc::clone(&service));
            let start = Instant::now();
            let gets = [7, 3, 7, 9, 3].map(|id| cache.get(id));
            let answers = futures::future::join_all(gets).await;
            (answers, start.elapsed(), service.start_order())
        });
    let expected: Vec<Response> = [7, 3, 7, 9, 3].into_iter().map(Response::for_id).collect();
    assert_eq!(
        answers, expected,
        "each get returns the answer for its own id, in the order asked"
    );
    let mut fetched = order.clone();
    fetched.sort_unstable();
    assert_eq!(
        (fetched, took),
        (vec![3, 7, 9], LATENCY),
        "gets of ids 7, 3, 7, 9, 3 at once should fetch 3, 7 and 9 once each, together, in \
         100 ms; the service saw calls for {order:?} and it took {took:?}"
    );
}

#[test]
fn a_waiting_get_takes_over_when_the_fetching_one_is_cancelled() {
    let (first, second, second_done_at, calls) =
        paused_one_thread("a cancelled get and a waiting one", |service| async move {
            let cache = Cache::new(Arc::clone(&service));
            let start = Instant::now();
            // The first get starts the fetch of id 5 and gives up at 50 ms;
            // the second asks at 10 ms, while that fetch is running.
            let impatient = tokio::time::timeout(Duration::from_millis(50), cache.get(5));
            let patient = async {
                tokio::time::sleep(Duration::from_millis(10)).await;
                let answer = cache.get(5).await;
                (answer, start.elapsed())
            };
            let (first, (second, second_done_at)) =
                within_an_hour("the get still waiting for id 5", async {
                    tokio::join!(impatient, patient)
                })
                .await;
            (first.is_err(), second, second_done_at, service.calls())
        });
    assert!(
        first,
        "the first get should have been cancelled at 50 ms, half-way through its fetch"
    );
    assert_eq!(
        second,
        Response::for_id(5),
        "the waiting get returns id 5's answer"
    );
    assert_eq!(
        (second_done_at, calls),
        (Duration::from_millis(150), 2),
        "the get that was fetching id 5 was cancelled at 50 ms; the get waiting for it should \
         start a fetch of its own then and answer at 150 ms (2 calls in all), but it answered \
         at {second_done_at:?} after {calls} call(s)"
    );
}
