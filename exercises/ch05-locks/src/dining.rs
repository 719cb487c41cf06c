//! # Exercise `dining`: dining philosophers, fixed by lock ordering
//!
//! Philosophers sit around a table with one fork between each pair of
//! neighbours, and eating takes both forks beside you. If everyone picks up
//! the left fork first, they can all end up holding one fork and waiting
//! for the other forever. Choose the order in which each philosopher picks
//! up forks so that no cycle of waiting can form, then write the meal.
//!
//! Book: chapter 5, "Deadlock". Check: `cargo workbook check dining`.

use crate::probe::Fork;
use std::sync::PoisonError;
use std::thread;

// ANCHOR: fork_order
/// The forks the philosopher at `seat` uses, in the order they are picked up.
///
/// Seat `i` sits between fork `i` and fork `i + 1` (the last seat's second
/// neighbour is fork 0: the table is round).
pub fn fork_order(seat: usize, seats: usize) -> (usize, usize) {
    // TODO: find the two forks beside `seat`, and return them in an order
    // that rules out a cycle of philosophers each waiting for the next.
    todo!()
}
// ANCHOR_END: fork_order

/// Seats `seats` philosophers on threads; each eats `meals` times.
///
/// Every meal locks both forks (in [`fork_order`]) and, while it holds
/// both, adds 1 to each fork's use counter. Returns the counters: each fork
/// is shared by two philosophers, so each should end at `2 * meals`.
///
/// # Panics
/// If `seats` is less than 2 (one philosopher would need the same fork twice).
pub fn dine(seats: usize, meals: u64) -> Vec<u64> {
    assert!(seats >= 2, "the table needs at least two seats");
    let forks: Vec<Fork> = (0..seats).map(|_| Fork::new()).collect();
    thread::scope(|scope| {
        for seat in 0..seats {
            let forks = &forks;
            scope.spawn(move || {
                for _ in 0..meals {
                    eat(forks, seat);
                }
            });
        }
    });
    forks.into_iter().map(Fork::into_uses).collect()
}

// ANCHOR: eat
/// One meal: hold both forks at once, count a use of each, put them down.
fn eat(forks: &[Fork], seat: usize) {
    // TODO: lock the two forks in `fork_order` (`forks[i].lock()`, as with
    // a `Mutex`), keep both guards alive, and add 1 to each fork's counter.
    todo!()
}
// ANCHOR_END: eat
