// Tests for exercise `once_cell` (chapter 5, "`OnceLock`: initialise once, read forever").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The orderings, and "init runs once" under every interleaving, are checked
// by the loom model in once_cell_loom.rs.

use ch05_exercises::once_cell::OnceCell;
use kit::watchdog::{GENEROUS, within};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

#[test]
fn an_empty_cell_has_no_value_and_the_first_init_fills_it() {
    let cell = OnceCell::new();
    assert_eq!(
        cell.get(),
        None,
        "nobody has initialised the cell yet: get must return None (and not wait)"
    );
    assert_eq!(*cell.get_or_init(|| vec![7, 3, 9]), vec![7, 3, 9]);
    assert_eq!(
        cell.get(),
        Some(&vec![7, 3, 9]),
        "after get_or_init, get must return the value it stored"
    );
}

#[test]
fn a_second_init_is_never_run() {
    let calls = AtomicUsize::new(0);
    let cell = OnceCell::new();
    let first = cell.get_or_init(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        "first"
    });
    let second = cell.get_or_init(|| {
        calls.fetch_add(1, Ordering::SeqCst);
        "second"
    });
    assert_eq!(
        (*first, *second),
        ("first", "first"),
        "the cell is written once: a later get_or_init returns the first value and \
         ignores its own init"
    );
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "init ran twice on a cell that already had a value: check the state before \
         initialising"
    );
}

#[test]
fn racing_threads_run_init_once_and_share_one_value() {
    const THREADS: usize = 8;
    const ROUNDS: usize = 50;
    within(
        GENEROUS,
        "eight threads racing to initialise fifty cells",
        "A thread that waits for another's init should return once that init stores \
         READY; does the waiting loop re-read the state each turn?",
        || {
            for round in 0..ROUNDS {
                let cell = Arc::new(OnceCell::new());
                let calls = Arc::new(AtomicUsize::new(0));
                let start = Arc::new(Barrier::new(THREADS));
                let racers: Vec<_> = (0..THREADS)
                    .map(|racer| {
                        let (cell, calls, start) =
                            (Arc::clone(&cell), Arc::clone(&calls), Arc::clone(&start));
                        thread::spawn(move || {
                            start.wait();
                            let value = cell.get_or_init(|| {
                                calls.fetch_add(1, Ordering::SeqCst);
                                // A slow init widens the window in which
                                // the others arrive and must wait.
                                for _ in 0..1_000 {
                                    std::hint::black_box(racer);
                                }
                                racer * 10 + 3
                            });
                            *value
                        })
                    })
                    .collect();
                let seen: Vec<usize> = racers.into_iter().map(|r| r.join().unwrap()).collect();
                assert_eq!(
                    calls.load(Ordering::SeqCst),
                    1,
                    "round {round}: init ran {} times for one cell: deciding who \
                     initialises must be one compare_exchange from EMPTY to RUNNING, not a \
                     load followed by a store",
                    calls.load(Ordering::SeqCst)
                );
                assert!(
                    seen.iter().all(|value| *value == seen[0]),
                    "round {round}: threads got different values {seen:?}: everyone must \
                     return the one value stored"
                );
            }
        },
    );
}

#[test]
fn a_waiter_keeps_waiting_however_long_the_init_takes() {
    // Thread A's init does not return until the test says so; thread B
    // arrives while it runs. However long A takes, B must wait for it: B
    // may not come back early, with a value or with a panic. The test
    // watches B for half a second before letting A finish. That bound only
    // gives a wrong waiter time to show itself; a correct one passes
    // however the threads are scheduled.
    let outcome = within(
        GENEROUS,
        "a waiter while another thread's init runs",
        "B waits while A's init runs: does the waiting loop re-read the state each turn \
         until it is READY?",
        || {
            let cell = Arc::new(OnceCell::new());
            let (in_init_tx, in_init_rx) = mpsc::channel::<()>();
            let (release_tx, release_rx) = mpsc::channel::<()>();
            let initialiser = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || {
                    *cell.get_or_init(|| {
                        in_init_tx.send(()).unwrap();
                        release_rx.recv().unwrap();
                        7
                    })
                })
            };
            in_init_rx.recv().unwrap();
            let waiter = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || *cell.get_or_init(|| 99))
            };
            let watch_until = Instant::now() + Duration::from_millis(500);
            while !waiter.is_finished() && Instant::now() < watch_until {
                thread::sleep(Duration::from_millis(1));
            }
            let waiter_came_back_early = waiter.is_finished();
            release_tx.send(()).unwrap();
            let first = initialiser.join().unwrap();
            (waiter_came_back_early, first, waiter.join())
        },
    );
    let (waiter_came_back_early, first, waiter) = outcome;
    assert!(
        !waiter_came_back_early,
        "a thread that found another's init running came back before that init had \
         finished ({}): a waiter must loop, re-reading the state (and yielding) until it \
         is READY, however long the init takes; one yield is not a wait",
        match &waiter {
            Ok(value) => format!("with the value {value}"),
            Err(_) => "with a panic".to_string(),
        }
    );
    assert_eq!(first, 7, "the initialising thread should get its own value");
    assert_eq!(
        waiter.expect("the waiter panicked"),
        7,
        "the waiter should get the value the other thread's init stored, without running its own init"
    );
}

#[test]
fn a_value_is_dropped_with_the_cell() {
    let value = Arc::new("payload");
    let cell = OnceCell::new();
    cell.get_or_init(|| Arc::clone(&value));
    drop(cell);
    assert_eq!(
        Arc::strong_count(&value),
        1,
        "the value stored in the cell was leaked: keep it in the cell's `Option`, \
         which drops it with the cell"
    );
}
