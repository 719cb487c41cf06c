// Tests for exercise `thread_fanout` (chapter 1, "Concurrent waiting with threads").
// No test measures time. A barrier proves the calls overlap: each call waits
// at the barrier until *all* calls have reached it, which can only happen if
// they run at the same time. Sequential code would wait forever, so the
// watchdog turns that hang into a "deadlock suspected" failure.

use ch01_exercises::thread_fanout::fetch_on_threads;
use kit::watchdog::{GENEROUS, within};
use std::collections::HashSet;
use std::sync::mpsc;
use std::sync::{Barrier, Mutex};
use std::thread;

const SEQUENTIAL_HINT: &str = "Each call waits at a barrier for all the others, so they must all \
    be running at once. Are you joining each thread right after spawning it (that runs the calls \
    one after another), or calling `fetch` on the current thread?";

#[test]
fn all_calls_wait_at_the_same_time() {
    let results = within(
        GENEROUS,
        "4 calls meeting at a barrier",
        SEQUENTIAL_HINT,
        || {
            let barrier = Barrier::new(4);
            fetch_on_threads(&[10, 11, 12, 13], |id| {
                barrier.wait();
                id * 2
            })
        },
    );
    assert_eq!(
        results,
        vec![20, 22, 24, 26],
        "result[i] must be fetch(ids[i])"
    );
}

#[test]
fn each_call_runs_on_its_own_thread() {
    let caller = thread::current().id();
    let seen = within(
        GENEROUS,
        "16 calls meeting at a barrier",
        SEQUENTIAL_HINT,
        move || {
            let barrier = Barrier::new(16);
            let threads = Mutex::new(Vec::new());
            let ids: Vec<u64> = (0..16).collect();
            fetch_on_threads(&ids, |_| {
                threads.lock().unwrap().push(thread::current().id());
                barrier.wait();
            });
            threads.into_inner().unwrap()
        },
    );
    let distinct: HashSet<_> = seen.iter().collect();
    assert_eq!(seen.len(), 16, "fetch must be called once per id");
    assert_eq!(
        distinct.len(),
        16,
        "16 calls ran on only {} distinct threads",
        distinct.len()
    );
    assert!(
        !seen.contains(&caller),
        "a call ran on the caller's thread: every call gets a thread of its own"
    );
}

#[test]
fn results_follow_the_ids_not_the_finishing_order() {
    // Call i does not return until call i + 1 has returned, so the calls
    // finish in reverse order: last id first.
    let results = within(
        GENEROUS,
        "calls finishing in reverse order",
        SEQUENTIAL_HINT,
        || {
            let n = 5;
            let (senders, receivers): (Vec<_>, Vec<_>) =
                (0..n).map(|_| mpsc::channel::<()>()).unzip();
            let senders: Vec<Mutex<mpsc::Sender<()>>> =
                senders.into_iter().map(Mutex::new).collect();
            let receivers: Vec<Mutex<mpsc::Receiver<()>>> =
                receivers.into_iter().map(Mutex::new).collect();
            let ids: Vec<u64> = (0..n as u64).collect();
            fetch_on_threads(&ids, |id| {
                let i = id as usize;
                if i + 1 < n {
                    // Wait until the next call has finished.
                    receivers[i + 1].lock().unwrap().recv().unwrap();
                }
                senders[i].lock().unwrap().send(()).unwrap();
                format!("answer-{id}")
            })
        },
    );
    assert_eq!(
        results,
        vec!["answer-0", "answer-1", "answer-2", "answer-3", "answer-4"],
        "results must be in the order of the ids even when the calls finish in another order \
         (join the handles in the order you spawned them)"
    );
}

#[test]
fn no_ids_no_threads() {
    let calls = Mutex::new(0);
    let results: Vec<u64> = fetch_on_threads(&[], |id| {
        *calls.lock().unwrap() += 1;
        id
    });
    assert!(results.is_empty(), "no ids, no results");
    assert_eq!(*calls.lock().unwrap(), 0, "no ids, no calls");
}

#[test]
fn results_follow_the_callers_order_even_when_ids_are_unsorted() {
    // Ids are not positions: the caller may ask for 7, 3, 9, then 3 again.
    let asked = [7u64, 3, 9, 3, 1];
    let results = within(
        GENEROUS,
        "5 calls meeting at a barrier",
        SEQUENTIAL_HINT,
        move || {
            let barrier = Barrier::new(asked.len());
            fetch_on_threads(&asked, |id| {
                barrier.wait();
                format!("answer-{id}")
            })
        },
    );
    let expected: Vec<String> = asked.iter().map(|id| format!("answer-{id}")).collect();
    assert_eq!(
        results, expected,
        "asked for ids {asked:?}: result[i] must be fetch(ids[i]) in the caller's order, \
         duplicates included; the ids are not to be sorted or deduplicated"
    );
}

#[test]
fn more_calls_than_cores_all_wait_at_once() {
    // Waiting calls use no CPU, so a thread per call is right however few
    // cores there are: more calls than this machine has cores must still all
    // be waiting at the same moment.
    let cores = thread::available_parallelism().map_or(1, |n| n.get());
    let calls = 2 * cores + 3;
    let results = within(
        GENEROUS,
        "more calls than cores meeting at a barrier",
        "The calls wait at a barrier for one another, so all of them must run at once, even \
         with more calls than cores: threads that wait use no CPU. Are you running the calls in \
         batches of `available_parallelism()` (or through a fixed-size pool)?",
        move || {
            let barrier = Barrier::new(calls);
            let ids: Vec<u64> = (0..calls as u64).rev().collect();
            fetch_on_threads(&ids, |id| {
                barrier.wait();
                id
            })
        },
    );
    let expected: Vec<u64> = (0..calls as u64).rev().collect();
    assert_eq!(
        results, expected,
        "{calls} calls on a machine with {cores} cores: result[i] must be fetch(ids[i])"
    );
}
