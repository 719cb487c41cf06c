// wrong: DEL reports a key as deleted whenever an entry was in the map, even one whose deadline had already passed
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
    let expired = map.get(key).is_some_and(|entry| !entry.is_live(now));
    if expired {
        map.remove(key);
    }
    map.get_mut(key)
}

// ANCHOR: db_ops
impl Db {
    /// `GET`: the value, if the key exists and has not expired. An expired
    /// entry found here is removed (lazy expiry).
    pub fn get(&self, key: &[u8], now: Instant) -> Option<Bytes> {
        let mut map = self.lock_key(key);
        live(&mut map, key, now).map(|entry| entry.value.clone())
    }
    // ANCHOR_END: db_ops

    /// `SET` with its options, checked and applied under one lock.
    pub fn set(&self, key: Bytes, value: Bytes, options: SetOptions, now: Instant) -> SetOutcome {
        let mut map = self.lock_key(&key);
        let current = live(&mut map, &key, now);
        let previous = current.as_ref().map(|entry| entry.value.clone());
        let old_expiry = current.and_then(|entry| entry.expires_at);
        let allowed = match options.condition {
            SetCondition::Always => true,
            SetCondition::IfMissing => previous.is_none(),
            SetCondition::IfExists => previous.is_some(),
        };
        if allowed {
            let expires_at = match options.expiry {
                SetExpiry::Clear => None,
                SetExpiry::Keep => old_expiry,
                SetExpiry::At(at) => Some(at),
            };
            map.insert(key, Entry { value, expires_at });
        }
        SetOutcome {
            written: allowed,
            previous,
        }
    }

    /// `DEL` of one key: whether it existed.
    pub fn del(&self, key: &[u8], now: Instant) -> bool {
        let mut map = self.lock_key(key);
        map.remove(key).is_some()
    }

    /// `EXISTS` of one key.
    pub fn exists(&self, key: &[u8], now: Instant) -> bool {
        let mut map = self.lock_key(key);
        live(&mut map, key, now).is_some()
    }

    // ANCHOR: incr_by
    /// `INCRBY`: adds `delta` to the integer stored at `key` (a missing key
    /// counts as 0) and returns the new value. Read, add and write happen
    /// under one lock, so concurrent clients never lose an increment. The
    /// key keeps its expiry.
    pub fn incr_by(&self, key: &[u8], delta: i64, now: Instant) -> Result<i64, IncrError> {
        // ANCHOR_END: incr_by
        let mut map = self.lock_key(key);
        let (current, expires_at) = match live(&mut map, key, now) {
            Some(entry) => (
                num::parse_i64(&entry.value).ok_or(IncrError::NotInteger)?,
                entry.expires_at,
            ),
            None => (0, None),
        };
        let next = current.checked_add(delta).ok_or(IncrError::Overflow)?;
        map.insert(
            Bytes::copy_from_slice(key),
            Entry {
                value: Bytes::from(next.to_string()),
                expires_at,
            },
        );
        Ok(next)
    }

    /// `APPEND`: the value's length afterwards. Keeps the expiry.
    pub fn append(&self, key: &[u8], suffix: &[u8], now: Instant) -> usize {
        let mut map = self.lock_key(key);
        match live(&mut map, key, now) {
            Some(entry) => {
                let mut value = BytesMut::from(&entry.value[..]);
                value.extend_from_slice(suffix);
                entry.value = value.freeze();
                entry.value.len()
            }
            None => {
                map.insert(
                    Bytes::copy_from_slice(key),
                    Entry {
                        value: Bytes::copy_from_slice(suffix),
                        expires_at: None,
                    },
                );
                suffix.len()
            }
        }
    }

    /// `STRLEN`: 0 for a missing key.
    pub fn strlen(&self, key: &[u8], now: Instant) -> usize {
        let mut map = self.lock_key(key);
        live(&mut map, key, now).map_or(0, |entry| entry.value.len())
    }

    // ANCHOR: lock_in_order
    /// Locks the shards of all `keys`, each once, in increasing index
    /// order: two clients doing `MSET a b` and `MSET b a` then never hold one
    /// shard each while waiting for the other's (a deadlock).
    fn lock_all(
        &self,
        keys: impl Iterator<Item = usize>,
    ) -> HashMap<usize, MutexGuard<'_, HashMap<Bytes, Entry>>> {
        let mut indices: Vec<usize> = keys.collect();
        indices.sort_unstable();
        indices.dedup();
        indices
            .into_iter()
            .map(|index| (index, self.lock_shard(index)))
            .collect()
    }
    // ANCHOR_END: lock_in_order

    /// `MSET`: all pairs become visible at once (no client sees half of
    /// them) and each key loses its expiry. A key given twice takes its last
    /// value.
    pub fn mset(&self, pairs: Vec<(Bytes, Bytes)>) {
        let mut guards = self.lock_all(pairs.iter().map(|(key, _)| self.shard_of(key)));
        for (key, value) in pairs {
            let shard = self.shard_of(&key);
            let map = guards.get_mut(&shard).expect("locked above");
            map.insert(
                key,
                Entry {
                    value,
                    expires_at: None,
                },
            );
        }
    }

    /// `MGET`: the values at one moment, `None` for missing keys.
    pub fn mget(&self, keys: &[Bytes], now: Instant) -> Vec<Option<Bytes>> {
        let mut guards = self.lock_all(keys.iter().map(|key| self.shard_of(key)));
        keys.iter()
            .map(|key| {
                let map = guards.get_mut(&self.shard_of(key)).expect("locked above");
                live(map, key, now).map(|entry| entry.value.clone())
            })
            .collect()
    }

    /// `DBSIZE`: the live keys.
    pub fn len(&self, now: Instant) -> usize {
        (0..self.shards.len())
            .map(|index| {
                let map = self.lock_shard(index);
                map.values().filter(|entry| entry.is_live(now)).count()
            })
            .sum()
    }

    pub fn is_empty(&self, now: Instant) -> bool {
        self.len(now) == 0
    }

    /// `FLUSHDB`.
    pub fn clear(&self) {
        for index in 0..self.shards.len() {
            self.lock_shard(index).clear();
        }
    }

    /// `KEYS pattern`: the live keys matching a glob pattern, in no order.
    pub fn keys(&self, pattern: &[u8], now: Instant) -> Vec<Bytes> {
        (0..self.shards.len())
            .flat_map(|index| self.shard_keys(index, Some(pattern), now))
            .collect()
    }

    fn shard_keys(&self, index: usize, pattern: Option<&[u8]>, now: Instant) -> Vec<Bytes> {
        let map = self.lock_shard(index);
        map.iter()
            .filter(|(key, entry)| {
                entry.is_live(now) && pattern.is_none_or(|pattern| glob::matches(pattern, key))
            })
            .map(|(key, _)| key.clone())
            .collect()
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
        let mut index = cursor as usize;
        let mut found = Vec::new();
        let want = count.max(1);
        while index < self.shards.len() && found.len() < want {
            found.extend(self.shard_keys(index, pattern, now));
            index += 1;
        }
        let next = if index >= self.shards.len() {
            0
        } else {
            index as u64
        };
        (next, found)
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
        let mut map = self.lock_key(key);
        live(&mut map, key, now).map(change)
    }

    /// Removes `key` if its entry has expired by `now`; whether it did.
    /// The active expiry task uses this: an entry that got a later deadline
    /// (or none) since it was scheduled stays.
    pub fn remove_if_expired(&self, key: &[u8], now: Instant) -> bool {
        let mut map = self.lock_key(key);
        let expired = map.get(key).is_some_and(|entry| !entry.is_live(now));
        if expired {
            map.remove(key);
        }
        expired
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
