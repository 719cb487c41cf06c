// Tests for exercise `expiry` (chapter 7, "Step 4: expiry without a polling loop").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Everything runs on tokio's paused clock: virtual time jumps straight to
// the next timer, so "removed at its deadline" and "never woke up in an hour"
// are exact. The purge task is wrapped in `kit::poll::PollCount` to count
// how often it runs. Keys are checked with `stored_entries`, which does not
// expire anything itself (a GET would, lazily).

use bytes::Bytes;
use ch07_exercises::expiry::{Expirations, ExpireCondition, Ttl, expire, persist, run_purger, ttl};
use ch07_exercises::store::{SetCondition, SetExpiry, SetOptions, Store};
use kit::poll::PollCount;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

fn b(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

fn secs(n: u64) -> Duration {
    Duration::from_secs(n)
}

fn put(store: &Store, key: &str, now: Instant) {
    store.db(0).set(b(key), b("v"), SetOptions::default(), now);
}

fn put_expiring(store: &Store, exps: &Expirations, key: &str, at: Instant, now: Instant) {
    let options = SetOptions {
        condition: SetCondition::Always,
        expiry: SetExpiry::At(at),
    };
    store.db(0).set(b(key), b("v"), options, now);
    exps.schedule(0, b(key), at);
}

#[test]
fn ttl_reports_missing_persistent_and_the_time_left() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    let db = store.db(0);
    assert_eq!(ttl(db, b"nope", now), Ttl::Missing, "TTL of a missing key");
    assert_eq!(ttl(db, b"nope", now).seconds(), -2, "is -2");
    put(&store, "p", now);
    assert_eq!(
        ttl(db, b"p", now).seconds(),
        -1,
        "TTL of a key without expiry is -1"
    );
    put_expiring(&store, &exps, "e", now + Duration::from_millis(9_500), now);
    assert_eq!(
        ttl(db, b"e", now),
        Ttl::Expires(Duration::from_millis(9_500)),
        "the exact time left"
    );
    assert_eq!(
        ttl(db, b"e", now).seconds(),
        10,
        "9.5 s left rounds to 10 (Redis adds 500 ms)"
    );
    assert_eq!(
        ttl(db, b"e", now + Duration::from_millis(101)).seconds(),
        9,
        "9.399 s rounds to 9"
    );
    assert_eq!(
        ttl(db, b"e", now).millis(),
        9_500,
        "PTTL is in milliseconds"
    );
    assert_eq!(
        ttl(db, b"e", now + secs(10)),
        Ttl::Missing,
        "past its deadline the key is missing"
    );
}

#[test]
fn expire_sets_a_deadline_and_a_past_one_deletes_the_key() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    assert!(
        !expire(
            &store,
            &exps,
            0,
            b"nope",
            now + secs(5),
            ExpireCondition::Always,
            now
        ),
        "EXPIRE of a missing key is 0"
    );
    put(&store, "k", now);
    assert!(
        expire(
            &store,
            &exps,
            0,
            b"k",
            now + secs(5),
            ExpireCondition::Always,
            now
        ),
        "EXPIRE of a key is 1"
    );
    assert_eq!(
        ttl(store.db(0), b"k", now).seconds(),
        5,
        "and gives it the deadline"
    );
    assert_eq!(
        exps.next_deadline(),
        Some(now + secs(5)),
        "EXPIRE schedules the deadline for the purge task"
    );
    put(&store, "gone", now);
    assert!(
        expire(&store, &exps, 0, b"gone", now, ExpireCondition::Always, now),
        "EXPIRE k 0 returns 1"
    );
    assert_eq!(
        store.db(0).stored_entries(),
        1,
        "a deadline that is not in the future deletes the key at once (EXPIRE k 0, EXPIRE k -1)"
    );
}

#[test]
fn expire_conditions_follow_redis() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    let (soon, later) = (now + secs(10), now + secs(20));
    put(&store, "k", now);
    let run = |at, condition| expire(&store, &exps, 0, b"k", at, condition, now);
    assert!(
        !run(soon, ExpireCondition::IfSome),
        "XX on a key without TTL does nothing"
    );
    assert!(
        !run(soon, ExpireCondition::IfLater),
        "GT on a key without TTL does nothing (no TTL = forever)"
    );
    assert!(
        run(later, ExpireCondition::IfEarlier),
        "LT on a key without TTL applies (anything is earlier than forever)"
    );
    assert!(
        !run(soon, ExpireCondition::IfNone),
        "NX on a key with a TTL does nothing"
    );
    assert!(
        !run(soon, ExpireCondition::IfLater),
        "GT with an earlier deadline does nothing"
    );
    assert!(
        run(now + secs(30), ExpireCondition::IfLater),
        "GT with a later deadline applies"
    );
    assert!(
        !run(now + secs(40), ExpireCondition::IfEarlier),
        "LT with a later deadline does nothing"
    );
    assert!(
        run(soon, ExpireCondition::IfSome),
        "XX on a key with a TTL applies"
    );
    assert_eq!(
        ttl(store.db(0), b"k", now).seconds(),
        10,
        "the last applied deadline holds"
    );
}

#[test]
fn persist_removes_the_deadline() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    put_expiring(&store, &exps, "k", now + secs(10), now);
    assert!(
        persist(store.db(0), b"k", now),
        "PERSIST of a key with a TTL returns 1"
    );
    assert_eq!(
        ttl(store.db(0), b"k", now),
        Ttl::Persistent,
        "and the key no longer expires"
    );
    assert!(
        !persist(store.db(0), b"k", now),
        "PERSIST of a key without TTL returns 0"
    );
    assert!(
        !persist(store.db(0), b"nope", now),
        "PERSIST of a missing key returns 0"
    );
}

#[test]
fn purge_due_removes_only_keys_that_really_expired() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    put_expiring(&store, &exps, "due", now + secs(1), now);
    put_expiring(&store, &exps, "reset", now + secs(1), now);
    put_expiring(&store, &exps, "moved", now + secs(1), now);
    put_expiring(&store, &exps, "later", now + secs(60), now);
    // Since they were scheduled: one key lost its TTL, one got a later one.
    put(&store, "reset", now);
    assert!(expire(
        &store,
        &exps,
        0,
        b"moved",
        now + secs(30),
        ExpireCondition::Always,
        now
    ));
    let removed = exps.purge_due(&store, now + secs(2));
    assert_eq!(
        removed, 1,
        "at +2 s only `due` has really expired; `reset` was SET again without TTL and `moved` got a later \
         deadline: check the entry itself (remove_if_expired) before deleting, the index is only a reminder"
    );
    assert_eq!(
        store.db(0).stored_entries(),
        3,
        "reset, moved and later remain"
    );
    assert_eq!(
        exps.next_deadline(),
        Some(now + secs(30)),
        "due deadlines leave the index, later ones stay"
    );
    assert_eq!(
        exps.len(),
        2,
        "the deadlines of moved (+30 s) and later (+60 s) remain"
    );
}

fn spawn_purger(
    store: &Arc<Store>,
    exps: &Arc<Expirations>,
) -> (
    tokio::task::JoinHandle<()>,
    Arc<AtomicUsize>,
    CancellationToken,
) {
    let stop = CancellationToken::new();
    let (store, exps, token) = (Arc::clone(store), Arc::clone(exps), stop.clone());
    let (task, polls) = PollCount::new(async move { run_purger(&store, &exps, token).await });
    (tokio::spawn(task), polls, stop)
}

#[tokio::test(start_paused = true)]
async fn the_purger_removes_keys_at_their_deadline() {
    let store = Arc::new(Store::new(1, 4));
    let exps = Arc::new(Expirations::new());
    let now = Instant::now();
    put_expiring(&store, &exps, "a", now + secs(5), now);
    put_expiring(&store, &exps, "b", now + secs(8), now);
    let (task, _polls, stop) = spawn_purger(&store, &exps);
    tokio::time::sleep(Duration::from_millis(4_999)).await;
    assert_eq!(
        store.db(0).stored_entries(),
        2,
        "before +5 s nothing has expired"
    );
    tokio::time::sleep(Duration::from_millis(2)).await;
    assert_eq!(
        store.db(0).stored_entries(),
        1,
        "at +5 s the purge task should have removed `a` without anyone reading it: does it sleep until \
         the earliest deadline and purge then?"
    );
    tokio::time::sleep(secs(3)).await;
    assert_eq!(
        store.db(0).stored_entries(),
        0,
        "and `b` at +8 s: after a purge, sleep until the next deadline"
    );
    stop.cancel();
    tokio::time::timeout(secs(1), task)
        .await
        .expect("the purge task must return once stop is cancelled")
        .unwrap();
}

#[tokio::test(start_paused = true)]
async fn an_earlier_deadline_wakes_the_sleeping_purger() {
    let store = Arc::new(Store::new(1, 4));
    let exps = Arc::new(Expirations::new());
    let now = Instant::now();
    put_expiring(&store, &exps, "far", now + secs(100), now);
    let (_task, _polls, stop) = spawn_purger(&store, &exps);
    tokio::time::sleep(secs(1)).await;
    let now = Instant::now();
    put_expiring(&store, &exps, "near", now + secs(1), now);
    tokio::time::sleep(Duration::from_millis(1_001)).await;
    assert_eq!(
        store.db(0).stored_entries(),
        1,
        "`near` (due at +2 s) was scheduled while the purger slept until +100 s; it should be gone by +2 s: \
         does `schedule` wake the purger (Notify) when the new deadline is the earliest?"
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn the_purger_sleeps_instead_of_polling() {
    let store = Arc::new(Store::new(1, 4));
    let exps = Arc::new(Expirations::new());
    let now = Instant::now();
    put_expiring(&store, &exps, "k", now + secs(1800), now);
    let (_task, polls, stop) = spawn_purger(&store, &exps);
    tokio::time::sleep(secs(3600)).await;
    let polled = polls.load(Ordering::SeqCst);
    assert_eq!(
        store.db(0).stored_entries(),
        0,
        "the key expired at +30 min"
    );
    assert!(
        polled <= 6,
        "in an hour with one deadline the purge task was polled {polled} times: it should wake only for \
         the deadline (and Notify), not on a fixed interval. Nothing to expire means nothing to do."
    );
    stop.cancel();
}

#[tokio::test(start_paused = true)]
async fn an_idle_purger_with_no_keys_never_wakes() {
    let store = Arc::new(Store::new(1, 4));
    let exps = Arc::new(Expirations::new());
    let (task, polls, stop) = spawn_purger(&store, &exps);
    tokio::time::sleep(secs(3600)).await;
    let polled = polls.load(Ordering::SeqCst);
    assert!(
        polled <= 2,
        "with no deadline at all, the purge task was polled {polled} times in an hour: without a \
         deadline, wait only for Notify or stop"
    );
    stop.cancel();
    tokio::time::timeout(secs(1), task)
        .await
        .expect("the purge task must return once stop is cancelled")
        .unwrap();
}

#[test]
fn a_deadline_equal_to_now_is_due() {
    let store = Store::new(1, 4);
    let exps = Expirations::new();
    let now = Instant::now();
    put_expiring(&store, &exps, "k", now + secs(1), now);
    let removed = exps.purge_due(&store, now + secs(1));
    assert_eq!(
        removed, 1,
        "purge_due at exactly the key's deadline removed {removed} keys, expected 1: a key is live while \
         deadline > now, so one whose deadline is now has expired (and a purge task that leaves it waits \
         for a deadline that is already past, again and again)"
    );
    assert_eq!(exps.next_deadline(), None, "its deadline leaves the index");
}
