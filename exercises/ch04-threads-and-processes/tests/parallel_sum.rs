// Tests for exercise `parallel_sum` (chapter 4, "Scoped threads borrow").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

include!("support/rendezvous.rs");

use ch04_exercises::parallel_sum::{parallel_sum, parallel_sum_by};
use kit::watchdog::{GENEROUS, within};
use std::collections::HashSet;
use std::thread::{self, ThreadId};

fn one_to(n: u64) -> Vec<u64> {
    (1..=n).collect()
}

#[test]
fn sums_like_the_sequential_sum() {
    let numbers = one_to(10_000);
    let total = within(GENEROUS, "parallel_sum", "", move || {
        parallel_sum(&numbers, 4)
    });
    assert_eq!(total, 50_005_000, "1 + 2 + ... + 10 000 is 50 005 000");
    assert_eq!(parallel_sum(&[], 3), 0, "an empty slice sums to 0");
    assert_eq!(
        parallel_sum(&[5, 6, 7], 8),
        18,
        "more threads than numbers still sums every number once"
    );
}

#[test]
fn uneven_lengths_lose_no_numbers() {
    let numbers = one_to(10);
    let chunk_lens = Mutex::new(Vec::new());
    let total = parallel_sum_by(&numbers, 4, |chunk| {
        chunk_lens.lock().unwrap().push(chunk.len());
        chunk.iter().sum()
    });
    assert_eq!(
        total, 55,
        "10 numbers on 4 threads: every number must be summed once, the remainder too"
    );
    let mut lens = chunk_lens.into_inner().unwrap();
    lens.sort_unstable();
    assert_eq!(
        lens,
        vec![1, 3, 3, 3],
        "10 numbers on 4 threads make chunks of 10.div_ceil(4) = 3 numbers (the last one \
         shorter): got chunk lengths {lens:?}. Rounding the chunk length down makes more \
         chunks, and so more threads, than asked for"
    );
}

#[test]
fn each_chunk_runs_on_a_thread_of_its_own() {
    let numbers = one_to(400);
    let caller = thread::current().id();
    let summers: Mutex<Vec<ThreadId>> = Mutex::new(Vec::new());
    parallel_sum_by(&numbers, 4, |chunk| {
        summers.lock().unwrap().push(thread::current().id());
        chunk.iter().sum()
    });
    let summers = summers.into_inner().unwrap();
    assert!(
        !summers.contains(&caller),
        "a chunk was summed on the calling thread: each chunk goes to a spawned thread"
    );
    let distinct: HashSet<ThreadId> = summers.iter().copied().collect();
    assert_eq!(
        (summers.len(), distinct.len()),
        (4, 4),
        "expected 4 chunks summed on 4 different threads, got {} chunks on {} threads",
        summers.len(),
        distinct.len()
    );
}

#[test]
fn chunks_are_summed_at_the_same_time() {
    let numbers = one_to(400);
    let rendezvous = Rendezvous::new(4);
    within(GENEROUS, "parallel_sum_by with 4 threads", "", move || {
        parallel_sum_by(&numbers, 4, |chunk| {
            rendezvous.arrive();
            chunk.iter().sum()
        });
        assert_eq!(
            rendezvous.peak(),
            4,
            "at most {} of the 4 chunks were being summed at once: spawn every thread \
             before joining any (a join right after each spawn makes them take turns, \
             which is sequential code with extra steps)",
            rendezvous.peak()
        );
    });
}

#[test]
#[should_panic(expected = "at least one thread")]
fn zero_threads_is_refused() {
    parallel_sum(&[1, 2, 3], 0);
}
