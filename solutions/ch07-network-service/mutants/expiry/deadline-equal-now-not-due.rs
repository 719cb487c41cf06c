// wrong: a deadline equal to now is not treated as due by the purge, although a key whose deadline is now has already expired
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
        match self {
            Ttl::Missing => -2,
            Ttl::Persistent => -1,
            Ttl::Expires(left) => ((left.as_millis() + 500) / 1000) as i64,
        }
    }

    /// The reply to `PTTL`: milliseconds.
    pub fn millis(self) -> i64 {
        match self {
            Ttl::Missing => -2,
            Ttl::Persistent => -1,
            Ttl::Expires(left) => left.as_millis() as i64,
        }
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
        let mut deadlines = self.deadlines.lock().unwrap();
        let earliest = deadlines.first().is_none_or(|(first, _, _)| at < *first);
        deadlines.insert((at, db, key));
        drop(deadlines);
        if earliest {
            self.changed.notify_one();
        }
    }

    /// The earliest deadline remembered.
    pub fn next_deadline(&self) -> Option<Instant> {
        self.deadlines.lock().unwrap().first().map(|(at, _, _)| *at)
    }

    /// How many deadlines are remembered.
    pub fn len(&self) -> usize {
        self.deadlines.lock().unwrap().len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: purge_due
    /// Forgets every deadline up to `now` and removes those keys that really
    /// have expired; returns how many keys it removed.
    pub fn purge_due(&self, store: &Store, now: Instant) -> usize {
        // ANCHOR_END: purge_due
        let due: Vec<(Instant, usize, Bytes)> = {
            let mut deadlines = self.deadlines.lock().unwrap();
            let mut due = Vec::new();
            while let Some(first) = deadlines.first() {
                if first.0 >= now {
                    break;
                }
                due.push(deadlines.pop_first().expect("just looked"));
            }
            due
        };
        due.into_iter()
            .filter(|(_, db, key)| store.db(*db).remove_if_expired(key, now))
            .count()
    }
}

// ANCHOR: run_purger
/// The active expiry task: purges what is due, then sleeps until the next
/// deadline or until `schedule` reports an earlier one; returns when `stop`
/// is cancelled. With nothing to expire it sleeps without waking at all.
pub async fn run_purger(store: &Store, expirations: &Expirations, stop: CancellationToken) {
    // ANCHOR_END: run_purger
    loop {
        expirations.purge_due(store, Instant::now());
        let next = expirations.next_deadline();
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = expirations.changed.notified() => {}
            _ = async {
                match next {
                    Some(at) => tokio::time::sleep_until(at).await,
                    None => std::future::pending().await,
                }
            } => {}
        }
    }
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
    let applied = store
        .db(db)
        .with_entry(key, now, |entry| {
            let allowed = match condition {
                ExpireCondition::Always => true,
                ExpireCondition::IfNone => entry.expires_at.is_none(),
                ExpireCondition::IfSome => entry.expires_at.is_some(),
                ExpireCondition::IfLater => entry.expires_at.is_some_and(|current| at > current),
                ExpireCondition::IfEarlier => entry.expires_at.is_none_or(|current| at < current),
            };
            if allowed {
                entry.expires_at = Some(at);
            }
            allowed
        })
        .unwrap_or(false);
    if applied {
        if at <= now {
            store.db(db).del(key, now);
        } else {
            expirations.schedule(db, Bytes::copy_from_slice(key), at);
        }
    }
    applied
}

/// `TTL` / `PTTL`.
pub fn ttl(db: &Db, key: &[u8], now: Instant) -> Ttl {
    match db.with_entry(key, now, |entry| entry.expires_at) {
        None => Ttl::Missing,
        Some(None) => Ttl::Persistent,
        Some(Some(at)) => Ttl::Expires(at.saturating_duration_since(now)),
    }
}

/// `PERSIST`: removes the expiry; whether the key had one.
pub fn persist(db: &Db, key: &[u8], now: Instant) -> bool {
    db.with_entry(key, now, |entry| entry.expires_at.take().is_some())
        .unwrap_or(false)
}
