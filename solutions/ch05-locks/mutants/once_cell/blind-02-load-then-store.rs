// wrong: the right to initialise is claimed with a load of EMPTY followed by a separate store of RUNNING, so two threads can both claim it and run init twice
//! # Exercise `once_cell`: a value initialised once, by whoever comes first
//!
//! Build the heart of `std::sync::OnceLock`: the first thread that calls
//! `get_or_init` runs the initialiser; threads that arrive meanwhile wait
//! for it; everyone afterwards just reads. One atomic state and one cell:
//! claiming the right to initialise must be a single compare-exchange, and
//! the value must be published (`Release`) before anyone may read it
//! (`Acquire`). A loom model checks both.
//!
//! Book: chapter 5, "`OnceLock`: initialise once, read forever". Check: `cargo workbook check once_cell`.

use crate::sync::{AtomicU8, Ordering, UnsafeCell, yield_now};

/// No value, and nobody is computing one.
const EMPTY: u8 = 0;
/// One thread is running the initialiser; the others wait.
const RUNNING: u8 = 1;
/// The value is in the cell, and stays there.
const READY: u8 = 2;

// ANCHOR: types
/// A cell written at most once, then shared by reference.
pub struct OnceCell<T> {
    /// One of `EMPTY`, `RUNNING`, `READY`.
    state: AtomicU8,
    /// Written once, by the thread that moved `state` from EMPTY to
    /// RUNNING, before it stores READY; read only after seeing READY.
    value: UnsafeCell<Option<T>>,
}

// Safety: the value is written by one thread before READY is published and
// only read after; readers share `&T`, so `T` must be `Sync` as well as
// `Send` (it is created on one thread and read on many).
unsafe impl<T: Send + Sync> Sync for OnceCell<T> {}
// ANCHOR_END: types

impl<T> OnceCell<T> {
    /// An empty cell.
    pub fn new() -> Self {
        OnceCell {
            state: AtomicU8::new(EMPTY),
            value: UnsafeCell::new(None),
        }
    }

    // ANCHOR: get
    /// The value, if some thread finished initialising it; never waits.
    pub fn get(&self) -> Option<&T> {
        if self.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // Safety: READY was stored (Release) after the one write of the value, and
        // our Acquire load saw it, so the write happened before this read and no
        // write will ever follow.
        self.value.with(|value| unsafe { (*value).as_ref() })
    }
    // ANCHOR_END: get

    // ANCHOR: get_or_init
    /// The value, running `init` first if no thread has yet. If another
    /// thread is running its `init` right now, waits for it (with
    /// `yield_now()`) and returns that value: `init` runs at most once per
    /// cell, whoever calls. (`init` must not panic: this cell does not
    /// recover from that.)
    pub fn get_or_init(&self, init: impl FnOnce() -> T) -> &T {
        if let Some(value) = self.get() {
            return value;
        }
        if self.state.load(Ordering::Acquire) == EMPTY {
            self.state.store(RUNNING, Ordering::Relaxed);
            let value = init();
            // Safety: only the thread that moved the state from EMPTY to RUNNING
            // gets here, once, and nobody reads the cell before it stores READY.
            self.value.with_mut(|slot| unsafe { *slot = Some(value) });
            self.state.store(READY, Ordering::Release);
        }
        loop {
            if let Some(value) = self.get() {
                return value;
            }
            yield_now();
        }
    }
    // ANCHOR_END: get_or_init
}

impl<T> Default for OnceCell<T> {
    fn default() -> Self {
        OnceCell::new()
    }
}
