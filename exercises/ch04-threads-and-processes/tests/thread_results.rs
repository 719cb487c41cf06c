// Tests for exercise `thread_results` (chapter 4, "Spawning and joining threads").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

include!("support/rendezvous.rs");

use ch04_exercises::thread_results::{Job, panic_message, run_all};
use kit::watchdog::{GENEROUS, within};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;

fn job<T>(work: impl FnOnce() -> T + Send + 'static) -> Job<T> {
    Box::new(work)
}

#[test]
fn outcomes_come_back_in_job_order() {
    let jobs: Vec<Job<u64>> = (0..6).map(|n| job(move || n * 10)).collect();
    let outcomes = within(GENEROUS, "run_all of six jobs", "", move || run_all(jobs));
    assert_eq!(
        outcomes,
        vec![Ok(0), Ok(10), Ok(20), Ok(30), Ok(40), Ok(50)],
        "run_all must return one outcome per job, in the order the jobs were given \
         (join the handles in the order you spawned them)"
    );
}

#[test]
fn jobs_run_at_the_same_time() {
    let rendezvous = Arc::new(Rendezvous::new(4));
    let jobs: Vec<Job<()>> = (0..4)
        .map(|_| {
            let rendezvous = Arc::clone(&rendezvous);
            job(move || rendezvous.arrive())
        })
        .collect();
    within(GENEROUS, "run_all of four jobs", "", move || run_all(jobs));
    assert_eq!(
        rendezvous.peak(),
        4,
        "at most {} of the 4 jobs were running at once, expected all 4: spawn every thread \
         before joining any (a join inside the spawn loop makes the threads take turns)",
        rendezvous.peak()
    );
}

#[test]
fn a_panicking_job_becomes_an_err_and_the_others_finish() {
    let jobs: Vec<Job<u32>> = vec![job(|| 1), job(|| panic!("job two failed")), job(|| 3)];
    let outcome = within(GENEROUS, "run_all with a panicking job", "", move || {
        catch_unwind(AssertUnwindSafe(|| run_all(jobs)))
    });
    let outcomes = outcome.unwrap_or_else(|_| {
        panic!(
            "run_all itself panicked because one job panicked: a thread's panic comes back \
             from `join` as an `Err`; map it to the message instead of unwrapping it"
        )
    });
    assert_eq!(
        outcomes,
        vec![Ok(1), Err("job two failed".to_string()), Ok(3)],
        "the panicking job should give Err(its message) and the other jobs their values: \
         a panic ends only the thread it happened on"
    );
}

#[test]
fn formatted_panic_messages_are_kept() {
    let payload = catch_unwind(|| {
        let code = 42;
        panic!("failed with code {code}");
    })
    .unwrap_err();
    assert_eq!(
        panic_message(payload),
        "failed with code 42",
        "panic!(\"... {{code}}\") carries a String, not a &str: downcast to String as well"
    );
    let literal = catch_unwind(|| panic!("plain literal")).unwrap_err();
    assert_eq!(
        panic_message(literal),
        "plain literal",
        "panic!(\"literal\") carries a &'static str"
    );
    assert_eq!(
        panic_message(Box::new(7_u8)),
        "unknown panic",
        "a payload that is neither &str nor String gives \"unknown panic\""
    );
}
