//! # Exercise `store`: the shared keyspace behind sharded locks
//!
//! Write the operations of `Db`, one database of keys spread over shards,
//! each a `HashMap` behind a `std::sync::Mutex`. Each operation takes its
//! shard's lock once and does all its work under it (so `INCR` from many
//! clients loses nothing), `MSET`/`MGET` lock their shards in index order,
//! and an entry whose deadline has passed counts as missing and is removed.
//!
//! Book: chapter 7, "Step 3: a shared keyspace". Check: `cargo workbook check store`.

use crate::glob;
use crate::num;
use bytes::{Bytes, BytesMut};
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::{Mutex, MutexGuard};
use tokio::time::Instant;

// ANCHOR: entry
/// A value and the instant it expires at, if any.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    pub value: Bytes,
    pub expires_at: Option<Instant>,
}

impl Entry {
    /// Whether the entry still exists at `now`: an entry whose deadline has
    /// passed is gone, even if nothing has removed it from the map yet.
    pub fn is_live(&self, now: Instant) -> bool {
        self.expires_at.is_none_or(|deadline| deadline > now)
    }
}
// ANCHOR_END: entry

// ANCHOR: set_options
/// `SET`'s `NX` / `XX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SetCondition {
    #[default]
    Always,
    /// `NX`: only if the key does not exist.
    IfMissing,
    /// `XX`: only if the key exists.
    IfExists,
}

/// What `SET` does to the key's time to live.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SetExpiry {
    /// No option: a plain `SET` removes any earlier expiry.
    #[default]
    Clear,
    /// `KEEPTTL`: keep the key's current expiry.
    Keep,
    /// `EX`, `PX`, `EXAT`, `PXAT`, already turned into an instant.
    At(Instant),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct SetOptions {
    pub condition: SetCondition,
    pub expiry: SetExpiry,
}

/// What `set` did: whether it wrote, and the value the key had before (for
/// `SET ... GET`; `None` if the key did not exist).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetOutcome {
    pub written: bool,
    pub previous: Option<Bytes>,
}

/// Why `INCR` failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncrError {
    /// The value is not a 64-bit integer (`-ERR value is not an integer or out of range`).
    NotInteger,
    /// The result would not fit (`-ERR increment or decrement would overflow`).
    Overflow,
}
// ANCHOR_END: set_options

// ANCHOR: db
/// One database (Redis has 16, chosen with `SELECT`): the keys are spread
/// over `shards` maps by hash, each behind its own `std::sync::Mutex`.
///
/// A plain `Mutex`, not tokio's: no method here awaits, so a guard is never
/// held across an `.await`, and an uncontended std lock is a couple of
/// atomic operations. Shards let clients working on different keys run on
/// different cores without waiting for each other.
pub struct Db {
    shards: Box<[Mutex<HashMap<Bytes, Entry>>]>,
    hasher: RandomState,
    /// When set, every shard lock taken is recorded here (tests use it).
    probe: Option<Mutex<Vec<usize>>>,
}

impl Db {
    /// A database with `shards` maps (at least one).
    pub fn new(shards: usize) -> Db {
        let shards = (0..shards.max(1))
            .map(|_| Mutex::new(HashMap::new()))
            .collect();
        Db {
            shards,
            hasher: RandomState::new(),
            probe: None,
        }
    }

    /// The same, recording each shard lock taken (see `locks_taken`).
    pub fn with_probe(shards: usize) -> Db {
        Db {
            probe: Some(Mutex::new(Vec::new())),
            ..Db::new(shards)
        }
    }

    pub fn shard_count(&self) -> usize {
        self.shards.len()
    }

    /// The shard that holds `key`.
    pub fn shard_of(&self, key: &[u8]) -> usize {
        (self.hasher.hash_one(key) % self.shards.len() as u64) as usize
    }

    /// Locks shard `index`. Every method must take its locks through here.
    pub fn lock_shard(&self, index: usize) -> MutexGuard<'_, HashMap<Bytes, Entry>> {
        if let Some(probe) = &self.probe {
            probe.lock().unwrap().push(index);
        }
        // A panic while holding a shard poisons it; the map itself is still
        // consistent (every change is a single insert/remove), so go on.
        self.shards[index]
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Locks the shard that holds `key`.
    pub fn lock_key(&self, key: &[u8]) -> MutexGuard<'_, HashMap<Bytes, Entry>> {
        self.lock_shard(self.shard_of(key))
    }

    /// The shard indices locked so far (and forgets them). Empty without a probe.
    pub fn locks_taken(&self) -> Vec<usize> {
        self.probe
            .as_ref()
            .map(|p| std::mem::take(&mut *p.lock().unwrap()))
            .unwrap_or_default()
    }

    /// Entries in the maps, expired ones not yet removed included.
    pub fn stored_entries(&self) -> usize {
        (0..self.shards.len())
            .map(|i| self.shards[i].lock().unwrap().len())
            .sum()
    }
}
// ANCHOR_END: db

/// Removes `key` from `map` if it has expired; returns the live entry.
fn live<'m>(map: &'m mut HashMap<Bytes, Entry>, key: &[u8], now: Instant) -> Option<&'m mut Entry> {
    // TODO: if `key`'s entry has expired at `now`, remove it; return the live entry, if any.
    todo!()
}

// ANCHOR: db_ops
impl Db {
    /// `GET`: the value, if the key exists and has not expired. An expired
    /// entry found here is removed (lazy expiry).
    pub fn get(&self, key: &[u8], now: Instant) -> Option<Bytes> {
        // TODO: lock `key`'s shard (`self.lock_key`) once and read the live entry (`live`).
        todo!()
    }
    // ANCHOR_END: db_ops

    /// `SET` with its options, checked and applied under one lock.
    pub fn set(&self, key: Bytes, value: Bytes, options: SetOptions, now: Instant) -> SetOutcome {
        // TODO: under one lock: look up the live entry (its value is `previous`), check the
        // condition (NX: only if missing, XX: only if present), and if allowed insert the new
        // entry with its expiry: `Clear` none, `Keep` the old entry's, `At(t)` t.
        todo!()
    }

    /// `DEL` of one key: whether it existed.
    pub fn del(&self, key: &[u8], now: Instant) -> bool {
        // TODO: remove the entry; true only if it was there and live.
        todo!()
    }

    /// `EXISTS` of one key.
    pub fn exists(&self, key: &[u8], now: Instant) -> bool {
        // TODO: whether a live entry exists.
        todo!()
    }

    // ANCHOR: incr_by
    /// `INCRBY`: adds `delta` to the integer stored at `key` (a missing key
    /// counts as 0) and returns the new value. Read, add and write happen
    /// under one lock, so concurrent clients never lose an increment. The
    /// key keeps its expiry.
    pub fn incr_by(&self, key: &[u8], delta: i64, now: Instant) -> Result<i64, IncrError> {
        // ANCHOR_END: incr_by
        // TODO: one lock for the read, the add and the write. Parse the value with
        // `num::parse_i64` (else `IncrError::NotInteger`), add with `checked_add` (else
        // `IncrError::Overflow`), store the decimal text, keep the entry's `expires_at`.
        todo!()
    }

    /// `APPEND`: the value's length afterwards. Keeps the expiry.
    pub fn append(&self, key: &[u8], suffix: &[u8], now: Instant) -> usize {
        // TODO: append to the live value (or create it, without expiry); return the new length.
        todo!()
    }

    /// `STRLEN`: 0 for a missing key.
    pub fn strlen(&self, key: &[u8], now: Instant) -> usize {
        // TODO: the live value's length, 0 if missing.
        todo!()
    }

    // ANCHOR: lock_in_order
    /// Locks the shards of all `keys`, each once, in increasing index
    /// order: two clients doing `MSET a b` and `MSET b a` then never hold one
    /// shard each while waiting for the other's (a deadlock).
    fn lock_all(
        &self,
        keys: impl Iterator<Item = usize>,
    ) -> HashMap<usize, MutexGuard<'_, HashMap<Bytes, Entry>>> {
        // TODO: sort and dedup the shard indices, then lock each through `lock_shard`, in that order.
        todo!()
    }
    // ANCHOR_END: lock_in_order

    /// `MSET`: all pairs become visible at once (no client sees half of
    /// them) and each key loses its expiry. A key given twice takes its last
    /// value.
    pub fn mset(&self, pairs: Vec<(Bytes, Bytes)>) {
        // TODO: lock every shard involved at once (`lock_all`), then insert all pairs without expiry.
        todo!()
    }

    /// `MGET`: the values at one moment, `None` for missing keys.
    pub fn mget(&self, keys: &[Bytes], now: Instant) -> Vec<Option<Bytes>> {
        // TODO: lock every shard involved (`lock_all`), then read each key's live value.
        todo!()
    }

    /// `DBSIZE`: the live keys.
    pub fn len(&self, now: Instant) -> usize {
        // TODO: count live entries, one shard at a time.
        todo!()
    }

    pub fn is_empty(&self, now: Instant) -> bool {
        self.len(now) == 0
    }

    /// `FLUSHDB`.
    pub fn clear(&self) {
        // TODO: empty every shard.
        todo!()
    }

    /// `KEYS pattern`: the live keys matching a glob pattern, in no order.
    pub fn keys(&self, pattern: &[u8], now: Instant) -> Vec<Bytes> {
        // TODO: the live keys of every shard for which `glob::matches(pattern, key)`.
        todo!()
    }

    fn shard_keys(&self, index: usize, pattern: Option<&[u8]>, now: Instant) -> Vec<Bytes> {
        // TODO: the live keys of shard `index` matching `pattern` (all if `None`).
        todo!()
    }

    // ANCHOR: scan
    /// `SCAN cursor [MATCH pattern] [COUNT count]`: the cursor is the index
    /// of the next shard to visit. Each call returns whole shards until it has
    /// at least `count` keys (or none are left) and the cursor to continue
    /// from, 0 when the scan is complete. A key that exists during the whole
    /// scan is returned exactly once, whatever changes in between.
    pub fn scan(
        &self,
        cursor: u64,
        pattern: Option<&[u8]>,
        count: usize,
        now: Instant,
    ) -> (u64, Vec<Bytes>) {
        // ANCHOR_END: scan
        // TODO: starting at shard `cursor`, collect whole shards' matching live keys until you
        // have at least `count` (at least 1) or run out of shards; return the next shard index,
        // or 0 when every shard was visited. A cursor past the last shard ends the scan.
        todo!()
    }

    // ANCHOR: entry_access
    /// Runs `change` on the live entry of `key` under its shard's lock and
    /// returns what it returns; `None` if there is no live entry (an expired
    /// one is removed). `EXPIRE`, `TTL` and `PERSIST` are built on this.
    pub fn with_entry<R>(
        &self,
        key: &[u8],
        now: Instant,
        change: impl FnOnce(&mut Entry) -> R,
    ) -> Option<R> {
        // ANCHOR_END: entry_access
        // TODO: lock the key's shard and call `change` on the live entry, if any.
        todo!()
    }

    /// Removes `key` if its entry has expired by `now`; whether it did.
    /// The active expiry task uses this: an entry that got a later deadline
    /// (or none) since it was scheduled stays.
    pub fn remove_if_expired(&self, key: &[u8], now: Instant) -> bool {
        // TODO: remove the entry only if it exists and is not live at `now`.
        todo!()
    }
}

// ANCHOR: store
/// Every database of the server.
pub struct Store {
    dbs: Vec<Db>,
}

impl Store {
    pub fn new(databases: usize, shards: usize) -> Store {
        Store {
            dbs: (0..databases.max(1)).map(|_| Db::new(shards)).collect(),
        }
    }

    /// Database `index`; panics if out of range (`SELECT` checks it first).
    pub fn db(&self, index: usize) -> &Db {
        &self.dbs[index]
    }

    pub fn databases(&self) -> usize {
        self.dbs.len()
    }

    /// `FLUSHALL`.
    pub fn clear_all(&self) {
        self.dbs.iter().for_each(Db::clear);
    }
}
// ANCHOR_END: store
