//! # Exercise `bounded_queue`: a blocking multi-producer, multi-consumer queue
//!
//! Build a queue of at most `capacity` items shared by any number of threads:
//! `push` waits while the queue is full, `pop` waits while it is empty, and
//! `close` ends the game for everyone. It is `queue.Queue(maxsize)` by hand,
//! and it teaches the wake-up discipline: whoever changes the state must
//! wake whoever waits for that change.
//!
//! Book: chapter 5, "Condition variables and spurious wake-ups". Check: `cargo workbook check bounded_queue`.

use crate::probe::ProbedCondvar;
use crate::sync::{Mutex, MutexGuard};
use std::collections::VecDeque;
use std::sync::PoisonError;

// ANCHOR: types
/// A FIFO queue of at most `capacity` items, shared by reference.
#[derive(Debug)]
pub struct BoundedQueue<T> {
    state: Mutex<State<T>>,
    capacity: usize,
    /// Consumers sleep here while the queue is empty.
    not_empty: ProbedCondvar,
    /// Producers sleep here while the queue is full.
    not_full: ProbedCondvar,
}

#[derive(Debug)]
struct State<T> {
    items: VecDeque<T>,
    closed: bool,
}

/// `push` on a closed queue gives the item back.
#[derive(Debug, PartialEq, Eq)]
pub struct Closed<T>(pub T);
// ANCHOR_END: types

impl<T> BoundedQueue<T> {
    /// An open, empty queue.
    ///
    /// # Panics
    /// If `capacity` is 0: "capacity must be at least 1".
    pub fn new(capacity: usize) -> Self {
        assert!(capacity > 0, "capacity must be at least 1");
        BoundedQueue {
            state: Mutex::new(State {
                items: VecDeque::with_capacity(capacity),
                closed: false,
            }),
            capacity,
            not_empty: ProbedCondvar::new(),
            not_full: ProbedCondvar::new(),
        }
    }

    // ANCHOR: push
    /// Appends `item`, waiting while the queue is full.
    /// Fails, giving the item back, once the queue is closed.
    pub fn push(&self, item: T) -> Result<(), Closed<T>> {
        // TODO: lock the state; sleep on `not_full` while the queue is full
        // and open; fail with `Closed(item)` if it is closed; otherwise push
        // and wake whoever waits for an item.
        todo!()
    }
    // ANCHOR_END: push

    // ANCHOR: pop
    /// Takes the oldest item, waiting while the queue is empty.
    /// Returns `None` once the queue is closed *and* drained.
    pub fn pop(&self) -> Option<T> {
        // TODO: lock the state and loop: take an item if there is one (and
        // wake whoever waits for a free slot); else return `None` if the
        // queue is closed; else sleep on `not_empty`.
        todo!()
    }
    // ANCHOR_END: pop

    // ANCHOR: close
    /// Closes the queue: pushes fail from now on, pops drain what is left
    /// and then return `None`. Wakes every waiter so that none sleeps forever.
    pub fn close(&self) {
        // TODO: mark the queue closed, then wake the sleepers that must see it.
        todo!()
    }
    // ANCHOR_END: close

    /// Items in the queue right now.
    pub fn len(&self) -> usize {
        self.lock_state().items.len()
    }

    /// True when the queue holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Producers asleep in `push` right now.
    pub fn waiting_producers(&self) -> usize {
        self.not_full.sleeping()
    }

    /// Consumers asleep in `pop` right now.
    pub fn waiting_consumers(&self) -> usize {
        self.not_empty.sleeping()
    }

    fn lock_state(&self) -> MutexGuard<'_, State<T>> {
        // No code of ours panics while holding the lock, so poisoning can
        // only come from a panicking `T::drop`; the queue stays consistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
