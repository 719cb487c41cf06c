// wrong: Release publishes only the writes made before it: raising READY before writing the slot lets the receiver read the slot before the value is in it.
//! # Exercise `oneshot`: a one-shot channel made of one atomic and one cell
//!
//! Build a channel that carries exactly one value from one thread to
//! another, with no lock at all: the sender writes the value into a shared
//! slot, then raises a flag; the receiver checks the flag, then reads the
//! slot. The flag's orderings (`Release` to publish, `Acquire` to read) are
//! what make the value visible; a loom model checks them.
//!
//! Book: chapter 5, "Atomics and memory ordering". Check: `cargo workbook check oneshot`.

use crate::sync::{Arc, AtomicU8, Ordering, UnsafeCell, yield_now};

/// Nothing sent yet (the sender is still alive).
const EMPTY: u8 = 0;
/// The value is in the slot.
const READY: u8 = 1;
/// The sender was dropped without sending.
const ABANDONED: u8 = 2;
/// The receiver took the value out.
const TAKEN: u8 = 3;

// ANCHOR: types
/// What the two halves share.
struct Shared<T> {
    /// One of `EMPTY`, `READY`, `ABANDONED`, `TAKEN`.
    state: AtomicU8,
    /// Written once by the sender before `state` becomes `READY`; read by
    /// the receiver only after it saw `READY`.
    slot: UnsafeCell<Option<T>>,
}

// Safety: the slot is written by one thread and then read by one other
// thread, and the `state` flag orders the two accesses; so sharing `Shared`
// is sound whenever `T` itself may move between threads.
unsafe impl<T: Send> Sync for Shared<T> {}

/// The sending half: used at most once.
pub struct Sender<T> {
    shared: Arc<Shared<T>>,
    /// Set by `send`, so that `drop` knows the channel was not abandoned.
    sent: bool,
}

/// The receiving half.
pub struct Receiver<T> {
    shared: Arc<Shared<T>>,
}
// ANCHOR_END: types

/// A new one-shot channel.
pub fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Shared {
        state: AtomicU8::new(EMPTY),
        slot: UnsafeCell::new(None),
    });
    let sender = Sender {
        shared: Arc::clone(&shared),
        sent: false,
    };
    (sender, Receiver { shared })
}

impl<T> Sender<T> {
    // ANCHOR: send
    /// Sends `value`; the sender is consumed, so this happens at most once.
    pub fn send(mut self, value: T) {
        // Flag first, so that the receiver stops waiting as early as possible.
        self.shared.state.store(READY, Ordering::Release);
        // Safety: only the sender writes the slot, once.
        self.shared
            .slot
            .with_mut(|slot| unsafe { *slot = Some(value) });
        self.sent = true;
    }
    // ANCHOR_END: send
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        if !self.sent {
            // Dropped without sending: tell the receiver to stop waiting.
            self.shared.state.store(ABANDONED, Ordering::Release);
        }
    }
}

impl<T> Receiver<T> {
    // ANCHOR: try_recv
    /// Takes the value if it has arrived; never waits.
    pub fn try_recv(&mut self) -> Option<T> {
        if self.shared.state.load(Ordering::Acquire) != READY {
            return None;
        }
        // Safety: READY means the sender finished its write and will never
        // touch the slot again, and only this receiver reads it.
        let value = self.shared.slot.with_mut(|slot| unsafe { (*slot).take() });
        self.shared.state.store(TAKEN, Ordering::Relaxed);
        value
    }
    // ANCHOR_END: try_recv

    /// Waits for the value; `None` if the sender was dropped without sending.
    pub fn recv(mut self) -> Option<T> {
        loop {
            match self.shared.state.load(Ordering::Acquire) {
                READY => return self.try_recv(),
                EMPTY => yield_now(),
                _ => return None,
            }
        }
    }
}
