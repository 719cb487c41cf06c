// wrong: after the first lookup is Ready it returns Pending (waking itself) instead of going on to the second lookup in the same poll, so it needs one poll more than the async fn.
//! # Exercise `hand_state_machine`: an `async fn` rewritten as an enum
//!
//! The compiler turns `two_hops` below into an enum with one variant per
//! `.await` and a `poll` that moves between them. Write that enum's `poll`
//! yourself, so that `TwoHops` behaves exactly like the `async fn`: lazy,
//! one lookup after the other, the same number of polls.
//!
//! Book: chapter 2, "async fn is a state machine".
//! Check: `cargo workbook check hand_state_machine`.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};

/// A tiny key-value store whose lookups are futures. It records every call
/// to [`Db::get`] so tests can see when each lookup was started.
#[derive(Debug, Clone, Default)]
pub struct Db {
    table: Arc<HashMap<u32, u32>>,
    calls: Arc<Mutex<Vec<String>>>,
}

impl Db {
    pub fn new(pairs: &[(u32, u32)]) -> Db {
        Db {
            table: Arc::new(pairs.iter().copied().collect()),
            calls: Arc::default(),
        }
    }

    /// Starts a lookup; a missing key reads as 0. The call is recorded now,
    /// the value arrives after one `Pending`.
    pub fn get(&self, key: u32) -> Lookup {
        self.calls.lock().unwrap().push(format!("get({key})"));
        let value = self.table.get(&key).copied().unwrap_or(0);
        Lookup {
            value,
            waited: false,
            finished: false,
        }
    }

    /// The lookups started so far, in order: `["get(1)", "get(10)"]`.
    pub fn calls(&self) -> Vec<String> {
        self.calls.lock().unwrap().clone()
    }
}

/// A pending lookup: `Pending` once (waking itself), then `Ready(value)`.
/// Polling it again after `Ready` panics.
#[derive(Debug)]
pub struct Lookup {
    value: u32,
    waited: bool,
    finished: bool,
}

impl Future for Lookup {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        assert!(
            !self.finished,
            "a Lookup was polled again after it returned Ready: once a step's future is \
             finished, the state machine must move on and drop it"
        );
        if !self.waited {
            self.waited = true;
            cx.waker().wake_by_ref();
            return Poll::Pending;
        }
        self.finished = true;
        Poll::Ready(self.value)
    }
}

// ANCHOR: two_hops
/// The code to translate: look a key up, then look up the value found.
pub async fn two_hops(db: Db, start: u32) -> u32 {
    let middle = db.get(start).await;
    let end = db.get(middle).await;
    middle + end
}
// ANCHOR_END: two_hops

// ANCHOR: enum
/// `two_hops` as the compiler sees it: one variant per place the function
/// can be, holding exactly what is still needed from there on.
#[derive(Debug)]
pub enum TwoHops {
    /// Created, not yet polled: only the arguments exist.
    Start { db: Db, start: u32 },
    /// Suspended at the first `.await`.
    First { db: Db, lookup: Lookup },
    /// Suspended at the second `.await`; `middle` lives across it.
    Second { middle: u32, lookup: Lookup },
    /// Returned; polling again is a bug.
    Done,
}

/// Like calling `two_hops(db, start)`: builds the future, runs nothing.
pub fn two_hops_by_hand(db: Db, start: u32) -> TwoHops {
    TwoHops::Start { db, start }
}
// ANCHOR_END: enum

impl Future for TwoHops {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        loop {
            match std::mem::replace(&mut *self, TwoHops::Done) {
                TwoHops::Start { db, start } => {
                    let lookup = db.get(start);
                    *self = TwoHops::First { db, lookup };
                }
                TwoHops::First { db, mut lookup } => match Pin::new(&mut lookup).poll(cx) {
                    Poll::Pending => {
                        *self = TwoHops::First { db, lookup };
                        return Poll::Pending;
                    }
                    Poll::Ready(middle) => {
                        let lookup = db.get(middle);
                        *self = TwoHops::Second { middle, lookup };
                        // One state per poll: come back for the next one.
                        cx.waker().wake_by_ref();
                        return Poll::Pending;
                    }
                },
                TwoHops::Second { middle, mut lookup } => match Pin::new(&mut lookup).poll(cx) {
                    Poll::Pending => {
                        *self = TwoHops::Second { middle, lookup };
                        return Poll::Pending;
                    }
                    // `Done` is already in place: a later poll panics below.
                    Poll::Ready(end) => return Poll::Ready(middle + end),
                },
                TwoHops::Done => panic!("`TwoHops` polled after completion"),
            }
        }
    }
}
