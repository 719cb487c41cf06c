// Tests for exercise `store` (chapter 7, "Step 3: a shared keyspace").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Time is passed in (`now`), so expiry is checked at exact instants. A
// `Db::with_probe` records every shard lock taken, which shows whether an
// operation does its work under one lock and in which order it locks.

use bytes::Bytes;
use ch07_exercises::store::{Db, IncrError, SetCondition, SetExpiry, SetOptions, Store};
use std::collections::{BTreeSet, HashSet};
use std::sync::{Arc, Barrier};
use std::time::Duration;
use tokio::time::Instant;

fn b(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

fn plain() -> SetOptions {
    SetOptions::default()
}

fn with(condition: SetCondition, expiry: SetExpiry) -> SetOptions {
    SetOptions { condition, expiry }
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

#[test]
fn set_get_del_and_exists() {
    let db = Db::new(4);
    let now = Instant::now();
    assert_eq!(db.get(b"k", now), None, "a missing key has no value");
    let outcome = db.set(b("k"), b("v"), plain(), now);
    assert!(
        outcome.written && outcome.previous.is_none(),
        "a first SET writes, with no previous value: {outcome:?}"
    );
    assert_eq!(
        db.get(b"k", now),
        Some(b("v")),
        "GET returns what SET stored"
    );
    assert!(db.exists(b"k", now), "EXISTS sees it");
    let outcome = db.set(b("k"), b("w"), plain(), now);
    assert_eq!(
        outcome.previous,
        Some(b("v")),
        "SET reports the value it replaced (for SET ... GET)"
    );
    assert!(db.del(b"k", now), "DEL of an existing key returns true");
    assert!(!db.del(b"k", now), "DEL of a missing key returns false");
    assert!(
        !db.exists(b"k", now) && db.get(b"k", now).is_none(),
        "after DEL the key is gone"
    );
}

#[test]
fn nx_and_xx_decide_under_the_same_lock() {
    let db = Db::new(4);
    let now = Instant::now();
    let outcome = db.set(
        b("k"),
        b("1"),
        with(SetCondition::IfExists, SetExpiry::Clear),
        now,
    );
    assert!(!outcome.written, "XX on a missing key must not write");
    assert_eq!(db.get(b"k", now), None, "and the key stays missing");
    let outcome = db.set(
        b("k"),
        b("1"),
        with(SetCondition::IfMissing, SetExpiry::Clear),
        now,
    );
    assert!(outcome.written, "NX on a missing key writes");
    let outcome = db.set(
        b("k"),
        b("2"),
        with(SetCondition::IfMissing, SetExpiry::Clear),
        now,
    );
    assert!(!outcome.written, "NX on an existing key must not write");
    assert_eq!(
        outcome.previous,
        Some(b("1")),
        "but still reports the current value"
    );
    assert_eq!(db.get(b"k", now), Some(b("1")), "the value is unchanged");
    let outcome = db.set(
        b("k"),
        b("3"),
        with(SetCondition::IfExists, SetExpiry::Clear),
        now,
    );
    assert!(
        outcome.written && db.get(b"k", now) == Some(b("3")),
        "XX on an existing key writes"
    );
}

#[test]
fn a_plain_set_clears_the_ttl_and_keepttl_keeps_it() {
    let db = Db::new(4);
    let now = Instant::now();
    let deadline = now + secs(10);
    db.set(
        b("k"),
        b("v"),
        with(SetCondition::Always, SetExpiry::At(deadline)),
        now,
    );
    assert_eq!(
        db.with_entry(b"k", now, |e| e.expires_at),
        Some(Some(deadline)),
        "SET EX stores the deadline"
    );
    db.set(
        b("k"),
        b("w"),
        with(SetCondition::Always, SetExpiry::Keep),
        now,
    );
    assert_eq!(
        db.with_entry(b"k", now, |e| e.expires_at),
        Some(Some(deadline)),
        "SET KEEPTTL keeps the old deadline"
    );
    db.set(b("k"), b("x"), plain(), now);
    assert_eq!(
        db.with_entry(b"k", now, |e| e.expires_at),
        Some(None),
        "a plain SET removes the key's time to live, as in Redis"
    );
}

#[test]
fn an_expired_key_is_missing_and_removed_on_access() {
    let db = Db::new(4);
    let now = Instant::now();
    db.set(
        b("k"),
        b("v"),
        with(SetCondition::Always, SetExpiry::At(now + secs(10))),
        now,
    );
    assert_eq!(
        db.get(b"k", now + secs(9)),
        Some(b("v")),
        "alive one second before its deadline"
    );
    assert_eq!(
        db.get(b"k", now + secs(10)),
        None,
        "gone at its deadline: an entry is live while deadline > now"
    );
    assert_eq!(
        db.stored_entries(),
        0,
        "the GET that found the entry expired must also remove it (lazy expiry), or expired keys pile up"
    );
    db.set(
        b("e"),
        b("v"),
        with(SetCondition::Always, SetExpiry::At(now + secs(1))),
        now,
    );
    let later = now + secs(5);
    assert!(
        !db.exists(b"e", later),
        "EXISTS does not see an expired key"
    );
    assert_eq!(db.strlen(b"e", later), 0, "STRLEN of an expired key is 0");
    let outcome = db.set(
        b("e"),
        b("new"),
        with(SetCondition::IfMissing, SetExpiry::Clear),
        later,
    );
    assert!(
        outcome.written && outcome.previous.is_none(),
        "NX treats an expired key as missing: {outcome:?}"
    );
}

#[test]
fn incr_by_adds_to_the_stored_integer() {
    let db = Db::new(4);
    let now = Instant::now();
    assert_eq!(db.incr_by(b"n", 5, now), Ok(5), "a missing key counts as 0");
    assert_eq!(
        db.incr_by(b"n", -7, now),
        Ok(-2),
        "a negative delta decrements"
    );
    assert_eq!(
        db.get(b"n", now),
        Some(b("-2")),
        "the value is stored as decimal text"
    );
    db.set(b("s"), b("abc"), plain(), now);
    assert_eq!(
        db.incr_by(b"s", 1, now),
        Err(IncrError::NotInteger),
        "a non-integer value cannot be incremented"
    );
    db.set(b("s"), b(" 1"), plain(), now);
    assert_eq!(
        db.incr_by(b"s", 1, now),
        Err(IncrError::NotInteger),
        "Redis is strict: no spaces"
    );
    db.set(b("max"), b(&i64::MAX.to_string()), plain(), now);
    assert_eq!(
        db.incr_by(b"max", 1, now),
        Err(IncrError::Overflow),
        "i64::MAX + 1 overflows: use checked_add"
    );
    assert_eq!(
        db.get(b"max", now),
        Some(b(&i64::MAX.to_string())),
        "a failed INCR leaves the value alone"
    );
    db.set(
        b("t"),
        b("1"),
        with(SetCondition::Always, SetExpiry::At(now + secs(10))),
        now,
    );
    db.incr_by(b"t", 1, now).unwrap();
    assert_eq!(
        db.with_entry(b"t", now, |e| e.expires_at),
        Some(Some(now + secs(10))),
        "INCR keeps the key's time to live"
    );
}

#[test]
fn incr_reads_and_writes_under_one_lock() {
    let db = Db::with_probe(8);
    let now = Instant::now();
    db.incr_by(b"n", 1, now).unwrap();
    let _ = db.locks_taken();
    db.incr_by(b"n", 1, now).unwrap();
    let locks = db.locks_taken();
    assert_eq!(
        locks.len(),
        1,
        "INCR took the shard lock {} times ({locks:?}): read, add and write must happen under one lock, \
         or two clients can both read 1 and both write 2 (a lost update)",
        locks.len()
    );
}

#[test]
fn concurrent_increments_are_never_lost() {
    let db = Arc::new(Db::new(4));
    let threads = 8;
    let each = 2_000;
    let start = Arc::new(Barrier::new(threads));
    let handles: Vec<_> = (0..threads)
        .map(|_| {
            let db = Arc::clone(&db);
            let start = Arc::clone(&start);
            std::thread::spawn(move || {
                start.wait();
                for _ in 0..each {
                    db.incr_by(b"counter", 1, Instant::now()).unwrap();
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
    let total = db.get(b"counter", Instant::now());
    assert_eq!(
        total,
        Some(b(&(threads * each).to_string())),
        "{threads} threads each incremented {each} times: is INCR one critical section?"
    );
}

#[test]
fn mset_and_mget_lock_each_shard_once_in_index_order() {
    let db = Db::with_probe(8);
    let now = Instant::now();
    let keys: Vec<Bytes> = (0..40).map(|i| b(&format!("key{i}"))).collect();
    let pairs: Vec<(Bytes, Bytes)> = keys.iter().map(|k| (k.clone(), b("v"))).collect();
    let shards: BTreeSet<usize> = keys.iter().map(|k| db.shard_of(k)).collect();
    let expected: Vec<usize> = shards.into_iter().collect();
    let _ = db.locks_taken();
    db.mset(pairs);
    let locks = db.locks_taken();
    assert_eq!(
        locks,
        expected,
        "MSET of 40 keys over {} shards should lock each shard once, in increasing order (all held \
         together, so no client sees half the MSET; always in the same order, so two MSETs cannot \
         deadlock); it locked {locks:?}",
        expected.len()
    );
    let mut reversed = keys.clone();
    reversed.reverse();
    let values = db.mget(&reversed, now);
    let locks = db.locks_taken();
    assert_eq!(
        locks, expected,
        "MGET locks the same way, whatever the order of its keys: got {locks:?}"
    );
    assert!(
        values.iter().all(|v| v == &Some(b("v"))),
        "and reads every value"
    );
}

#[test]
fn mset_takes_the_last_value_of_a_repeated_key_and_mget_reports_missing_ones() {
    let db = Db::new(4);
    let now = Instant::now();
    db.set(
        b("a"),
        b("old"),
        with(SetCondition::Always, SetExpiry::At(now + secs(5))),
        now,
    );
    db.mset(vec![(b("a"), b("1")), (b("b"), b("2")), (b("a"), b("3"))]);
    assert_eq!(
        db.mget(&[b("a"), b("nope"), b("b")], now),
        vec![Some(b("3")), None, Some(b("2"))],
        "MSET a 1 b 2 a 3 leaves a = 3; MGET gives None for a missing key, in the order asked"
    );
    assert_eq!(
        db.with_entry(b"a", now, |e| e.expires_at),
        Some(None),
        "MSET clears a key's TTL like SET"
    );
}

#[test]
fn append_and_strlen() {
    let db = Db::new(4);
    let now = Instant::now();
    assert_eq!(
        db.append(b"k", b"hello", now),
        5,
        "APPEND to a missing key creates it"
    );
    assert_eq!(
        db.append(b"k", b" world", now),
        11,
        "APPEND returns the new length"
    );
    assert_eq!(db.get(b"k", now), Some(b("hello world")));
    assert_eq!(db.strlen(b"k", now), 11);
    assert_eq!(
        db.strlen(b"missing", now),
        0,
        "STRLEN of a missing key is 0"
    );
}

#[test]
fn len_keys_and_clear() {
    let db = Db::new(4);
    let now = Instant::now();
    for key in ["news.a", "news.b", "sport", "nest"] {
        db.set(b(key), b("v"), plain(), now);
    }
    db.set(
        b("old"),
        b("v"),
        with(SetCondition::Always, SetExpiry::At(now + secs(1))),
        now,
    );
    let later = now + secs(2);
    assert_eq!(db.len(later), 4, "DBSIZE counts live keys only");
    let mut news = db.keys(b"news.*", later);
    news.sort();
    assert_eq!(
        news,
        vec![b("news.a"), b("news.b")],
        "KEYS news.* matches by glob"
    );
    let mut all = db.keys(b"*", later);
    all.sort();
    assert_eq!(
        all,
        vec![b("nest"), b("news.a"), b("news.b"), b("sport")],
        "KEYS * lists live keys only"
    );
    db.clear();
    assert_eq!(db.len(later), 0, "FLUSHDB empties the database");
    assert_eq!(db.stored_entries(), 0, "every shard");
}

/// Runs a whole SCAN and returns every key it reported, and the number of calls.
fn full_scan(
    db: &Db,
    count: usize,
    now: Instant,
    mut between_calls: impl FnMut(usize),
) -> (Vec<Bytes>, usize) {
    let mut cursor = 0;
    let mut seen = Vec::new();
    let mut calls = 0;
    loop {
        let (next, keys) = db.scan(cursor, None, count, now);
        calls += 1;
        seen.extend(keys);
        if next == 0 {
            return (seen, calls);
        }
        assert!(calls < 1000, "SCAN never returned cursor 0");
        between_calls(calls);
        cursor = next;
    }
}

#[test]
fn scan_returns_every_key_exactly_once_in_several_calls() {
    let db = Db::new(8);
    let now = Instant::now();
    for i in 0..100 {
        db.set(b(&format!("k{i}")), b("v"), plain(), now);
    }
    let (seen, calls) = full_scan(&db, 5, now, |_| {});
    let distinct: HashSet<&Bytes> = seen.iter().collect();
    assert_eq!(
        seen.len(),
        100,
        "a full SCAN of 100 keys reported {} keys (duplicates?)",
        seen.len()
    );
    assert_eq!(distinct.len(), 100, "every key exactly once");
    assert!(
        calls > 1,
        "with COUNT 5, 100 keys take more than one call (got {calls}): return part of them and a cursor"
    );
}

#[test]
fn keys_present_during_the_whole_scan_are_returned_once_despite_changes() {
    let db = Db::new(8);
    let now = Instant::now();
    for i in 0..50 {
        db.set(b(&format!("stay{i}")), b("v"), plain(), now);
    }
    for i in 0..50 {
        db.set(b(&format!("go{i}")), b("v"), plain(), now);
    }
    let (seen, _) = full_scan(&db, 3, now, |call| {
        // Between calls, delete some keys and add new ones.
        for i in 0..5 {
            db.del(&b(&format!("go{}", call * 5 + i)), now);
            db.set(b(&format!("new{call}-{i}")), b("v"), plain(), now);
        }
    });
    for i in 0..50 {
        let key = b(&format!("stay{i}"));
        let times = seen.iter().filter(|k| **k == key).count();
        assert_eq!(
            times, 1,
            "stay{i} existed during the whole scan but was returned {times} times while other keys came and \
             went: a cursor that is a position in a changing list skips or repeats keys; a shard index does not"
        );
    }
}

#[test]
fn the_store_holds_separate_databases() {
    let store = Store::new(16, 4);
    let now = Instant::now();
    store.db(0).set(b("k"), b("zero"), plain(), now);
    store.db(3).set(b("k"), b("three"), plain(), now);
    assert_eq!(
        store.db(0).get(b"k", now),
        Some(b("zero")),
        "SELECT 0 and SELECT 3 are different keyspaces"
    );
    assert_eq!(store.db(3).get(b"k", now), Some(b("three")));
    store.clear_all();
    assert_eq!(store.db(3).len(now), 0, "FLUSHALL empties every database");
}

#[test]
fn del_of_an_expired_key_reports_nothing_deleted() {
    let db = Db::new(4);
    let now = Instant::now();
    db.set(
        b("old"),
        b("v"),
        with(SetCondition::Always, SetExpiry::At(now + secs(1))),
        now,
    );
    assert!(
        !db.del(b"old", now + secs(1)),
        "DEL at the key's deadline returned true: an expired key no longer exists, so DEL of it deletes \
         nothing (Redis replies 0); check the entry is live, not only that it is in the map"
    );
    assert_eq!(
        db.stored_entries(),
        0,
        "the expired entry is still removed from the map"
    );
}

#[test]
fn mset_and_mget_never_lock_a_shard_twice() {
    kit::watchdog::within(
        kit::watchdog::GENEROUS,
        "MSET and MGET of keys whose shards repeat, not side by side",
        "a shard locked a second time by the same call waits for itself (std's Mutex is not \
         reentrant): sort the shard indices and then remove repeats, so each is locked once",
        || {
            let db = Db::with_probe(4);
            let now = Instant::now();
            // 20 keys over 4 shards: every shard comes back, mostly not next to itself.
            let pairs: Vec<(Bytes, Bytes)> =
                (0..20).map(|i| (b(&format!("k{i}")), b("v"))).collect();
            let keys: Vec<Bytes> = pairs.iter().rev().map(|(k, _)| k.clone()).collect();
            db.mset(pairs);
            let values = db.mget(&keys, now);
            assert!(
                values.iter().all(|v| v == &Some(b("v"))),
                "every key MSET wrote is read back by MGET: {values:?}"
            );
        },
    );
}
