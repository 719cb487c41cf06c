//! # Exercise `expiry`: time to live, lazy and active
//!
//! Keys with a deadline disappear in two ways: lazily, when an access finds
//! them expired (the store does that), and actively, by a purge task that
//! sleeps until the earliest deadline and is woken by a `Notify` when an
//! earlier one is scheduled, so it never polls. Write the deadline index,
//! the purge task, and `EXPIRE`, `TTL` and `PERSIST`.
//!
//! Book: chapter 7, "Step 4: expiry without a polling loop". Check: `cargo workbook check expiry`.

use crate::store::{Db, Store};
use bytes::Bytes;
use std::collections::BTreeSet;
use std::sync::Mutex;
use std::time::Duration;
use tokio::sync::Notify;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

// ANCHOR: ttl
/// What `TTL` / `PTTL` report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ttl {
    /// No such key: `-2`.
    Missing,
    /// The key exists and never expires: `-1`.
    Persistent,
    /// The time left (never negative).
    Expires(Duration),
}

impl Ttl {
    /// The reply to `TTL`: seconds, rounded to the nearest (Redis adds 500 ms).
    pub fn seconds(self) -> i64 {
        // TODO: -2, -1, or the seconds left rounded to the nearest (add 500 ms, divide by 1000).
        todo!()
    }

    /// The reply to `PTTL`: milliseconds.
    pub fn millis(self) -> i64 {
        // TODO: -2, -1, or the milliseconds left.
        todo!()
    }
}

/// `EXPIRE`'s options (Redis 7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ExpireCondition {
    #[default]
    Always,
    /// `NX`: only if the key has no expiry.
    IfNone,
    /// `XX`: only if the key has an expiry.
    IfSome,
    /// `GT`: only if the new deadline is later (no expiry counts as never).
    IfLater,
    /// `LT`: only if the new deadline is earlier (no expiry counts as never).
    IfEarlier,
}
// ANCHOR_END: ttl

// ANCHOR: expirations
/// The deadlines of keys with a time to live, earliest first, and a
/// `Notify` that wakes the purge task when an earlier deadline arrives.
///
/// An entry here is a reminder, not the truth: the key may have been
/// deleted, overwritten or given another deadline since. The purge task
/// checks the entry itself (`Db::remove_if_expired`) before deleting.
#[derive(Default)]
pub struct Expirations {
    deadlines: Mutex<BTreeSet<(Instant, usize, Bytes)>>,
    changed: Notify,
}
// ANCHOR_END: expirations

impl Expirations {
    pub fn new() -> Expirations {
        Expirations::default()
    }

    // ANCHOR: schedule
    /// Remembers that `key` in database `db` expires `at`, and wakes the
    /// purge task if that is now the earliest deadline.
    pub fn schedule(&self, db: usize, key: Bytes, at: Instant) {
        // ANCHOR_END: schedule
        // TODO: insert `(at, db, key)`; if it is earlier than every deadline before it (or the
        // first), wake the purge task with `self.changed.notify_one()` (it keeps a permit if the
        // task is not waiting right now).
        todo!()
    }

    /// The earliest deadline remembered.
    pub fn next_deadline(&self) -> Option<Instant> {
        // TODO: the earliest deadline in the set.
        todo!()
    }

    /// How many deadlines are remembered.
    pub fn len(&self) -> usize {
        // TODO: how many deadlines are in the set.
        todo!()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: purge_due
    /// Forgets every deadline up to `now` and removes those keys that really
    /// have expired; returns how many keys it removed.
    pub fn purge_due(&self, store: &Store, now: Instant) -> usize {
        // ANCHOR_END: purge_due
        // TODO: take every deadline `<= now` out of the set (release its lock), then for each
        // call `store.db(db).remove_if_expired(key, now)`: the key may have a new deadline, or
        // none, since it was scheduled. Count the keys really removed.
        todo!()
    }
}

// ANCHOR: run_purger
/// The active expiry task: purges what is due, then sleeps until the next
/// deadline or until `schedule` reports an earlier one; returns when `stop`
/// is cancelled. With nothing to expire it sleeps without waking at all.
pub async fn run_purger(store: &Store, expirations: &Expirations, stop: CancellationToken) {
    // ANCHOR_END: run_purger
    // TODO: loop: purge what is due at `Instant::now()`, then wait for the first of: `stop`
    // cancelled (return), `self.changed.notified()` (an earlier deadline), or a sleep until
    // `next_deadline()` (no deadline: no sleep at all, wait only for the other two).
    todo!()
}

// ANCHOR: expire
/// `EXPIRE`/`PEXPIRE`/`EXPIREAT`/`PEXPIREAT`: gives `key` the deadline
/// `at` if `condition` allows; a deadline not after `now` deletes the key
/// at once. Returns whether it did anything (the reply's 1 or 0).
pub fn expire(
    store: &Store,
    expirations: &Expirations,
    db: usize,
    key: &[u8],
    at: Instant,
    condition: ExpireCondition,
    now: Instant,
) -> bool {
    // ANCHOR_END: expire
    // TODO: under the key's lock (`with_entry`), check `condition` against the current
    // deadline (no deadline counts as "never" for GT/LT) and set `expires_at = Some(at)`.
    // If it applied: a deadline not after `now` deletes the key at once, a later one is
    // scheduled. Return whether it applied (false for a missing key).
    todo!()
}

/// `TTL` / `PTTL`.
pub fn ttl(db: &Db, key: &[u8], now: Instant) -> Ttl {
    // TODO: Missing, Persistent, or Expires(time left from `now`).
    todo!()
}

/// `PERSIST`: removes the expiry; whether the key had one.
pub fn persist(db: &Db, key: &[u8], now: Instant) -> bool {
    // TODO: remove the live entry's deadline; true if it had one.
    todo!()
}
