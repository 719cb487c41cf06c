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
use kit::watchdog::{GENEROUS, within};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

const LATENCY: Duration = Duration::from_millis(100);

/// Runs `test` on a one-thread runtime with a paused clock, under the watchdog.
fn paused_one_thread<T: Send + 'static, F: Future<Output = T>>(
    what: &str,
    test: impl FnOnce(Arc<SlowService>) -> F + Send + 'static,
) -> T {
    within(
        GENEROUS,
        what,
        "A std::sync::MutexGuard held across `.await` blocks the loop's only thread as soon as \
         another task calls lock(): copy what you need, drop the guard, then await.",
        move || {
            let service = Arc::new(SlowService::uniform(LATENCY));
            tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .start_paused(true)
                .build()
                .expect("build a runtime")
                .block_on(test(service))
        },
    )
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
