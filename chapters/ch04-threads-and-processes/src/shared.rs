//! Small listings for the book: `move`, `join`, scoped threads, `Arc`,
//! `Mutex` and channels. Each function returns what it computed so the
//! smoke test can check it runs.

use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;

// ANCHOR: move_and_join
/// Moves a vector into a thread and gets a value back through `join`.
pub fn move_and_join() -> u64 {
    let readings: Vec<u64> = (1..=8).map(|n| n * n).collect();
    // `move` hands `readings` to the new thread: it may outlive this
    // function, so it cannot borrow from it.
    let handle = thread::spawn(move || readings.iter().sum::<u64>());
    // `join` waits for the thread and returns its value, or Err if it
    // panicked.
    handle.join().expect("the summing thread panicked")
}
// ANCHOR_END: move_and_join

// ANCHOR: scoped
/// Two scoped threads read one slice while a third fills a buffer the
/// caller owns; no `Arc`, no copy, no `'static`.
pub fn scoped(readings: &[u64]) -> (u64, u64, Vec<u64>) {
    let mut doubled = Vec::new();
    let (total, largest) = thread::scope(|scope| {
        let total = scope.spawn(|| readings.iter().sum::<u64>());
        let largest = scope.spawn(|| readings.iter().copied().max().unwrap_or(0));
        // One thread may borrow `doubled` mutably, as long as no other
        // thread touches it: the usual borrow rules, checked across threads.
        scope.spawn(|| doubled.extend(readings.iter().map(|r| r * 2)));
        (total.join().unwrap(), largest.join().unwrap())
    }); // every scoped thread has been joined here
    (total, largest, doubled)
}
// ANCHOR_END: scoped

// ANCHOR: arc_mutex
/// Four threads add to one counter: `Arc` shares ownership, `Mutex` makes
/// the updates take turns.
pub fn arc_mutex(threads: u64, per_thread: u64) -> u64 {
    let counter = Arc::new(Mutex::new(0_u64));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let counter = Arc::clone(&counter);
            thread::spawn(move || {
                for _ in 0..per_thread {
                    *counter.lock().unwrap() += 1;
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    *counter.lock().unwrap()
}
// ANCHOR_END: arc_mutex

// ANCHOR: channel
/// Message passing between threads: producers send, one consumer owns the
/// results. Nothing is shared; each value has one owner at a time.
pub fn channel(producers: u64) -> Vec<u64> {
    let (sender, receiver) = mpsc::channel();
    for id in 0..producers {
        let sender = sender.clone();
        thread::spawn(move || sender.send(id * id).unwrap());
    }
    drop(sender); // the loop below ends when every sender is gone
    let mut squares: Vec<u64> = receiver.iter().collect();
    squares.sort_unstable();
    squares
}
// ANCHOR_END: channel
