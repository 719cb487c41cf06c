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
fn outcomes_follow_job_order_even_when_jobs_finish_in_reverse() {
    // Job k waits until job k+1 has finished, so the jobs finish last to
    // first. Values are not positions, so an answer sorted by value is
    // caught too.
    let values = [7u32, 3, 9, 1, 5];
    let mut waits: Vec<Option<std::sync::mpsc::Receiver<()>>> = vec![None];
    let mut signals = Vec::new();
    for _ in 1..values.len() {
        let (finished, wait) = std::sync::mpsc::channel::<()>();
        signals.push(Some(finished));
        waits.push(Some(wait));
    }
    signals.push(None); // job 0 signals nobody
    // Job k waits on the channel that job k+1 signals when it ends.
    waits.rotate_left(1);
    signals.rotate_right(1);
    let jobs: Vec<Job<u32>> = values
        .iter()
        .zip(waits.into_iter().zip(signals))
        .map(|(&value, (wait, signal))| {
            job(move || {
                if let Some(wait) = wait {
                    // An error means the next job was never started or died:
                    // end anyway; the assertion below reports it.
                    let _ = wait.recv();
                }
                if let Some(signal) = signal {
                    let _ = signal.send(());
                }
                value
            })
        })
        .collect();
    let outcomes = within(
        GENEROUS,
        "run_all of five jobs that finish last to first",
        "each job waits for the next one to finish: start all the threads before joining any",
        move || run_all(jobs),
    );
    assert_eq!(
        outcomes,
        vec![Ok(7), Ok(3), Ok(9), Ok(1), Ok(5)],
        "the jobs finished in reverse order (the last one first); run_all must still return \
         the outcomes in the order the jobs were given, not the order they finished: join the \
         handles in spawn order"
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
