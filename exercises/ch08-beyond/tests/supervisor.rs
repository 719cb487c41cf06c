// Tests for exercise `supervisor` (chapter 8, "Supervision: restarting a crashed actor").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch08_exercises::supervisor::{CallError, Report, Step, Totals, spawn_supervised};
use std::sync::{Arc, Once};
use std::time::Duration;

/// The planned crash: `step` panics on this value and adds anything else.
const POISON: i64 = 13;

/// A `step` that adds, and panics on `POISON` (a crash the supervisor must survive).
fn adder() -> Step {
    quiet_planned_crashes();
    Arc::new(|total, n| {
        if n == POISON {
            panic!("planned crash: the actor was asked to add {POISON}");
        }
        total + n
    })
}

/// Keeps the planned panics out of the test output; any other panic prints as usual.
fn quiet_planned_crashes() {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            let message = info
                .payload()
                .downcast_ref::<String>()
                .map(String::as_str)
                .unwrap_or("");
            if !message.starts_with("planned crash") {
                default(info);
            }
        }));
    });
}

/// An hour of virtual time is the net for a call or a supervisor that never finishes.
async fn within_an_hour<T>(what: &str, work: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(value) => value,
        Err(_) => panic!(
            "{what} was still waiting after an hour of virtual time: a request nobody answers, \
             or a supervisor that never ends (does something besides the handles keep a Sender?)"
        ),
    }
}

async fn add(totals: &Totals, n: i64) -> Result<i64, CallError> {
    within_an_hour(&format!("add({n})"), totals.add(n)).await
}

#[tokio::test(start_paused = true)]
async fn answers_with_a_running_total() {
    let (totals, supervisor) = spawn_supervised(adder(), 3, 8);
    assert_eq!(add(&totals, 5).await, Ok(5), "0 + 5 = 5");
    assert_eq!(
        add(&totals, 2).await,
        Ok(7),
        "the actor keeps its total between requests: 5 + 2 = 7"
    );
    assert_eq!(add(&totals, -9).await, Ok(-2), "7 + (-9) = -2");
    drop(totals);
    let report = within_an_hour("the supervisor", supervisor)
        .await
        .expect("the supervisor task panicked");
    assert_eq!(
        report,
        Report {
            restarts: 0,
            gave_up: false
        },
        "no crash happened and the last handle was dropped: expected 0 restarts and gave_up false"
    );
}

#[tokio::test(start_paused = true)]
async fn the_crashing_request_is_lost_and_the_next_one_is_answered() {
    let (totals, _supervisor) = spawn_supervised(adder(), 3, 8);
    assert_eq!(add(&totals, 4).await, Ok(4), "0 + 4 = 4");
    assert_eq!(
        add(&totals, POISON).await,
        Err(CallError::Lost),
        "the actor panicked while handling this request, so its caller must get Err(Lost): the \
         reply sender was dropped unsent"
    );
    let after = add(&totals, 1).await;
    assert!(
        after.is_ok(),
        "after a crash the supervisor must start the actor again, so the next request gets an \
         answer; got {after:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_restarted_actor_starts_from_zero() {
    let (totals, _supervisor) = spawn_supervised(adder(), 3, 8);
    assert_eq!(add(&totals, 10).await, Ok(10), "0 + 10 = 10");
    assert_eq!(
        add(&totals, POISON).await,
        Err(CallError::Lost),
        "the poisoned request is lost"
    );
    assert_eq!(
        add(&totals, 1).await,
        Ok(1),
        "a restart starts a fresh actor whose total is 0 (the old state may be half-updated by \
         the panic), so 0 + 1 = 1; 11 means the old total survived the crash"
    );
}

#[tokio::test(start_paused = true)]
async fn handles_cloned_before_the_crash_keep_working() {
    let (totals, _supervisor) = spawn_supervised(adder(), 3, 8);
    let copies: Vec<Totals> = (0..3).map(|_| totals.clone()).collect();
    assert_eq!(
        add(&copies[0], POISON).await,
        Err(CallError::Lost),
        "the poisoned request is lost"
    );
    for (which, copy) in copies.iter().enumerate() {
        let answer = add(copy, 2).await;
        assert!(
            answer.is_ok(),
            "handle copy #{which}, made before the crash, got {answer:?}: handles talk to the \
             mailbox, which must outlive any one incarnation of the actor"
        );
    }
    assert_eq!(
        add(&totals, 0).await,
        Ok(6),
        "three adds of 2 after the restart make 6"
    );
}

#[tokio::test(start_paused = true)]
async fn requests_queued_behind_the_crash_are_served_by_the_next_actor() {
    let (totals, _supervisor) = spawn_supervised(adder(), 3, 8);
    assert_eq!(add(&totals, 100).await, Ok(100), "0 + 100 = 100");
    // `join_all` polls its calls in order, so they enter the mailbox as
    // POISON, 1, 2, 3 before the actor handles any of them.
    let calls = [POISON, 1, 2, 3].map(|n| totals.add(n));
    let answers = within_an_hour("four queued calls", futures::future::join_all(calls)).await;
    assert_eq!(
        answers,
        vec![Err(CallError::Lost), Ok(1), Ok(3), Ok(6)],
        "the poisoned call is lost; the three calls queued behind it stay in the mailbox and the \
         restarted actor (total 0) serves them in order: 1, 3, 6. Lost answers for them mean \
         the mailbox was dropped or drained at the restart."
    );
}

#[tokio::test(start_paused = true)]
async fn gives_up_after_max_restarts() {
    let (totals, supervisor) = spawn_supervised(adder(), 2, 8);
    for crash in 1..=2 {
        assert_eq!(
            add(&totals, POISON).await,
            Err(CallError::Lost),
            "crash #{crash} loses its request"
        );
        assert_eq!(
            add(&totals, 1).await,
            Ok(1),
            "after crash #{crash} (max_restarts = 2) the actor is started again from 0"
        );
    }
    assert_eq!(
        add(&totals, POISON).await,
        Err(CallError::Lost),
        "crash #3 loses its request"
    );
    let report = within_an_hour("the supervisor", supervisor)
        .await
        .expect("the supervisor task panicked");
    assert_eq!(
        report,
        Report {
            restarts: 2,
            gave_up: true
        },
        "max_restarts = 2: two restarts, and at the third crash the supervisor gives up"
    );
    assert_eq!(
        add(&totals, 1).await,
        Err(CallError::Stopped),
        "once the supervisor gave up the mailbox is closed: a new call must fail with Stopped \
         (not hang, not be Lost)"
    );
}

#[tokio::test(start_paused = true)]
async fn zero_restarts_means_the_first_crash_is_final() {
    let (totals, supervisor) = spawn_supervised(adder(), 0, 8);
    assert_eq!(add(&totals, 3).await, Ok(3), "0 + 3 = 3");
    let calls = [POISON, 1].map(|n| totals.add(n));
    let answers = within_an_hour("two queued calls", futures::future::join_all(calls)).await;
    assert_eq!(
        answers,
        vec![Err(CallError::Lost), Err(CallError::Lost)],
        "max_restarts = 0: the first crash ends the supervisor; the request that crashed and \
         the one queued behind it (accepted, never handled) are both Lost"
    );
    let report = within_an_hour("the supervisor", supervisor)
        .await
        .expect("the supervisor task panicked");
    assert_eq!(
        report,
        Report {
            restarts: 0,
            gave_up: true
        },
        "no restart allowed, so it gave up at once"
    );
    assert_eq!(
        add(&totals, 1).await,
        Err(CallError::Stopped),
        "after giving up, calls are refused: Stopped"
    );
}

#[tokio::test(start_paused = true)]
async fn stops_when_the_last_handle_is_dropped_even_after_crashes() {
    let (totals, supervisor) = spawn_supervised(adder(), 5, 8);
    let copy = totals.clone();
    assert_eq!(
        add(&totals, POISON).await,
        Err(CallError::Lost),
        "the first crash loses its request"
    );
    assert_eq!(
        add(&copy, POISON).await,
        Err(CallError::Lost),
        "the second crash loses its request"
    );
    assert_eq!(
        add(&copy, 7).await,
        Ok(7),
        "after two restarts the actor answers again"
    );
    drop(totals);
    drop(copy);
    let report = within_an_hour(
        "the supervisor after the last handle was dropped",
        supervisor,
    )
    .await
    .expect("the supervisor task panicked");
    assert_eq!(
        report,
        Report {
            restarts: 2,
            gave_up: false
        },
        "two crashes, two restarts, then a normal end when the mailbox closed: a normal end is \
         not a restart and not giving up"
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_mailbox_makes_callers_wait_not_fail() {
    let (totals, _supervisor) = spawn_supervised(adder(), 1, 1);
    let calls = (0..6).map(|_| totals.add(1));
    let mut answers = within_an_hour(
        "six calls through a mailbox of 1",
        futures::future::join_all(calls),
    )
    .await;
    answers.sort_by_key(|answer| answer.unwrap_or(i64::MIN));
    assert_eq!(
        answers,
        (1..=6).map(Ok).collect::<Vec<_>>(),
        "with room for one request, six callers must wait their turn (`send().await`), not fail \
         or be dropped: every total from 1 to 6 once"
    );
}
