// Tests for exercise `counter_actor` (chapter 6, "Actors: mpsc plus oneshot").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Every test runs on a one-thread runtime with tokio's paused clock, under the
// watchdog: an actor that blocks its thread fails with "deadlock suspected".

use ch06_exercises::counter_actor::spawn_counters;
use paused::paused;
use std::time::Duration;

#[path = "support/paused.rs"]
mod paused;

/// What most likely blocked the runtime's only thread when a test here hangs.
const HANG_HINT: &str = "Nothing here needs real time: something blocked the runtime's only thread (a \
     blocking_send or blocking_recv, a std lock, a thread join?).";

/// An hour of virtual time is the net for an actor that never answers or never stops.
async fn within_an_hour<T>(what: &str, work: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(value) => value,
        Err(_) => panic!("{what} was still waiting after an hour of virtual time"),
    }
}

#[test]
fn get_set_and_add_go_through_the_actor() {
    paused(
        "get set and add go through the actor",
        HANG_HINT,
        || async {
            let (counters, _actor) = spawn_counters();
            within_an_hour("the requests", async {
                assert_eq!(
                    counters.get("visits").await,
                    0,
                    "a counter never set reads 0"
                );
                assert_eq!(
                    counters.set("visits", 5).await,
                    0,
                    "set returns the previous value (0)"
                );
                assert_eq!(
                    counters.add("visits", 2).await,
                    7,
                    "add returns the new value, 5 + 2"
                );
                assert_eq!(
                    counters.set("visits", 1).await,
                    7,
                    "set returns the previous value (7)"
                );
                assert_eq!(counters.get("visits").await, 1, "get sees the last set");
                assert_eq!(
                    counters.get("other").await,
                    0,
                    "counters are separate per key"
                );
            })
            .await;
        },
    );
}

#[test]
fn concurrent_adds_are_not_lost() {
    paused("concurrent adds are not lost", HANG_HINT, || async {
        let (counters, _actor) = spawn_counters();
        let adds = (0..50).map(|_| {
            let counters = counters.clone();
            async move { counters.add("hits", 1).await }
        });
        within_an_hour("50 adds", futures::future::join_all(adds)).await;
        let total = within_an_hour("get", counters.get("hits")).await;
        assert_eq!(
            total, 50,
            "50 concurrent adds of 1 left the counter at {total}: if `add` reads with Get and writes \
             with Set, other requests slip in between and updates are lost. Send one Add request \
             and let the actor do the read-modify-write."
        );
    });
}

#[test]
fn handles_work_from_other_tasks() {
    paused("handles work from other tasks", HANG_HINT, || async {
        let (counters, _actor) = spawn_counters();
        let workers: Vec<_> = (0..4)
            .map(|_| {
                let counters = counters.clone();
                tokio::spawn(async move {
                    for _ in 0..10 {
                        counters.add("jobs", 1).await;
                    }
                })
            })
            .collect();
        for worker in workers {
            within_an_hour("a worker task", worker)
                .await
                .expect("worker task panicked");
        }
        let total = within_an_hour("get", counters.get("jobs")).await;
        assert_eq!(
            total, 40,
            "4 tasks adding 1 ten times each make 40, got {total}"
        );
    });
}

#[test]
fn the_actor_stops_when_the_last_handle_is_dropped() {
    paused(
        "the actor stops when the last handle is dropped",
        HANG_HINT,
        || async {
            let (counters, actor) = spawn_counters();
            let copy = counters.clone();
            within_an_hour("the requests", async {
                counters.add("a", 1).await;
                copy.get("a").await;
                counters.set("b", 2).await;
            })
            .await;
            drop(counters);
            drop(copy);
            let outcome = tokio::time::timeout(Duration::from_secs(3600), actor).await;
            let served = match outcome {
                Ok(joined) => joined.expect("the actor task panicked"),
                Err(_) => panic!(
                    "every handle was dropped but the actor was still running an hour (virtual) later: \
                     its `recv()` returns None only when every Sender is gone. Does the actor (or \
                     anything else) keep a clone of the Sender?"
                ),
            };
            assert_eq!(
                served, 3,
                "the actor served 3 requests, but reported {served}"
            );
        },
    );
}

#[test]
fn a_caller_that_gives_up_does_not_stop_the_actor() {
    paused("a caller that gives up", HANG_HINT, || async {
        let (counters, actor) = spawn_counters();
        // Each of these callers sends its request, then stops waiting for the
        // answer before the actor has run: `timeout` with no time left polls
        // the call once and drops it, as a client that hung up would.
        let _ = tokio::time::timeout(Duration::ZERO, counters.add("k", 1)).await;
        let _ = tokio::time::timeout(Duration::ZERO, counters.get("k")).await;
        let _ = tokio::time::timeout(Duration::ZERO, counters.set("k", 2)).await;
        // A caller that waits, from a task of its own so that a dead actor
        // shows up as a failed task, not as a panic in this test's handle.
        let patient = counters.clone();
        let asked = tokio::spawn(async move { patient.add("other", 5).await });
        let answer = within_an_hour("a request after the abandoned ones", asked).await;
        let died = actor.is_finished();
        assert!(
            !died && matches!(answer, Ok(5)),
            "three callers gave up before their answers came; the actor must go on serving \
             everyone else, but the next request got {answer:?} and the actor task {}. \
             `reply.send(value)` returns Err when the caller dropped its receiver: that is \
             normal, not a bug, so ignore it (`let _ = reply.send(value);`) instead of \
             `unwrap`/`expect`, which panics and kills the actor for every other handle.",
            if died {
                "had ended"
            } else {
                "was still running"
            }
        );
    });
}
