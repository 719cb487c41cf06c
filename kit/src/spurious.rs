//! Spurious polls, spurious wake-ups and spurious unparks, on purpose.
//!
//! The contracts of `Future`, `Waker`, `thread::park` and `Condvar::wait` all
//! allow events that carry no news: a future may be polled when nothing
//! changed, a task may be woken for no reason, `park` may return without an
//! `unpark`. Code that is only correct when every event means progress passes
//! a friendly test and fails in production. This module makes those events
//! happen in tests, reproducibly (every random choice comes from a seed).
//!
//! # For a future under test: [`Harness`]
//!
//! ```
//! use kit::spurious::Harness;
//! use std::task::Poll;
//!
//! // A oneshot-like future: Pending until a value is sent.
//! let (tx, rx) = tokio::sync::oneshot::channel::<u8>();
//! let mut harness = Harness::new(rx);
//! assert!(harness.poll().is_pending());
//! assert!(harness.poll_extra(3).is_pending(), "nothing changed: still Pending");
//! tx.send(5).unwrap();
//! harness.assert_woke_latest(); // the send woke the waker of the 4th poll
//! assert_eq!(harness.poll(), Poll::Ready(Ok(5)));
//! ```
//!
//! - [`Harness::poll`] polls once. By default **every poll gets a new waker**
//!   (a new [`WakerId`]), as when a future moves to another task; a future
//!   that keeps the waker of an earlier poll is caught by
//!   [`Harness::assert_woke_latest`] and by the drivers below.
//! - [`Harness::poll_extra`] polls `n` more times with nothing changed: a
//!   correct future stays `Pending` (or finishes, if it was already able to)
//!   and loses nothing.
//! - [`Harness::wake_spuriously`] wakes the future's task for no reason and
//!   polls it, as an executor does after an unrelated wake-up.
//! - [`Harness::run_with_noise`] (and the free function [`run_with_noise`])
//!   drives a future to completion like an executor, but between real
//!   wake-ups it adds spurious polls and wakes chosen by a seed. It only
//!   counts a wake-up of the *latest* waker as real: a future woken through a
//!   stale waker hangs there, and the panic says so.
//! - Busy re-scheduling: a future that wakes itself on every poll and stays
//!   `Pending` never sleeps. After [`Harness::fail_after_self_wakes`] (default
//!   [`SELF_WAKE_LIMIT`]) such polls in a row, `poll` panics and says so.
//!
//! Typical test, with a channel whose `recv()` future is under test:
//!
//! ```ignore
//! for seed in 0..50 {
//!     let (tx, rx) = my_channel();
//!     let sender = std::thread::spawn(move || for i in 0..3 { tx.send(i) });
//!     let got = kit::spurious::run_with_noise(collect_three(rx), seed);
//!     assert_eq!(got, vec![0, 1, 2], "seed {seed}: ...");
//!     sender.join().unwrap();
//! }
//! ```
//!
//! # For an executor under test: [`Noisy`] and [`Watched`]
//!
//! - [`noisy`]`(future, seed)` wraps a future that an executor will run and
//!   makes it wake its task spuriously: before a poll, twice in a row, from
//!   another thread, and sometimes it yields (wakes itself and returns
//!   `Pending` once). A correct executor finishes it with the same result.
//! - [`Watched`] wraps a future and counts the polls it gets and the wakes it
//!   sends. It panics when the executor polls it [`Watched::max_polls_without_wake`]
//!   times with no wake-up in between (an executor that spins instead of
//!   sleeping), or when the inner future re-schedules itself forever.
//!
//! # For park loops: [`unpark_storm`] and [`Unparker`]
//!
//! `thread::park` may return spuriously, so every park sits in a loop that
//! re-checks its condition. [`unpark_storm`] unparks a thread a number of
//! times; [`Unparker::start`] keeps unparking it from a background thread
//! until [`Unparker::stop`]. Code that treats "park returned" as "the event
//! happened" then goes wrong at once, deterministically enough to fail every
//! run.
//!
//! # Randomness
//!
//! [`Noise`] is a tiny seeded generator (SplitMix64): the same seed gives the
//! same sequence of spurious events, so a failing seed can be replayed. Put
//! the seed in assertion messages.

use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, JoinHandle, Thread};
use std::time::Duration;

/// How many polls in a row may end with the future waking itself and staying
/// `Pending` before [`Harness`] calls it a busy loop. A future that yields
/// on purpose a few times (`ready_after(3, ..)`) stays far below it.
pub const SELF_WAKE_LIMIT: usize = 1_000;

/// How long the drivers wait for a real wake-up before declaring the future
/// stuck. A safety net only: a correct future is woken long before.
pub const PATIENCE: Duration = Duration::from_secs(10);

// ---------------------------------------------------------------------------
// Noise: the seeded generator
// ---------------------------------------------------------------------------

/// A small, seeded random generator (SplitMix64): reproducible noise without
/// a `rand` dependency.
#[derive(Debug, Clone)]
pub struct Noise {
    state: u64,
}

impl Noise {
    pub fn new(seed: u64) -> Noise {
        Noise { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n` > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    /// True with probability `1 / n`.
    pub fn one_in(&mut self, n: u64) -> bool {
        self.below(n) == 0
    }
}

// ---------------------------------------------------------------------------
// WakeLog: wakers with an identity
// ---------------------------------------------------------------------------

/// Which waker was woken: the `n`-th waker a [`WakeLog`] handed out (clones
/// of a waker keep its identity). [`Harness`] hands out waker `n` for its
/// poll number `n` (counting from 1) when it gives a new waker per poll.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct WakerId(pub usize);

/// Hands out wakers with identities and records every wake: how many, and
/// through which waker, so a test can tell a fresh waker from a stale one.
#[derive(Debug, Default)]
pub struct WakeLog {
    state: Mutex<LogState>,
    woken: Condvar,
}

#[derive(Debug, Default)]
struct LogState {
    issued: usize,
    /// Wakes per waker identity, indexed by `WakerId.0 - 1`.
    wakes_by_id: Vec<usize>,
    total: usize,
    last_woken: Option<WakerId>,
}

struct TaggedWaker {
    id: WakerId,
    log: Arc<WakeLog>,
}

impl Wake for TaggedWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        let mut state = self.log.state.lock().unwrap();
        state.total += 1;
        state.wakes_by_id[self.id.0 - 1] += 1;
        state.last_woken = Some(self.id);
        self.log.woken.notify_all();
    }
}

impl WakeLog {
    pub fn new() -> Arc<WakeLog> {
        Arc::new(WakeLog::default())
    }

    /// A new waker with the next identity (1, 2, 3, ...). Its clones share it.
    pub fn waker(self: &Arc<Self>) -> (Waker, WakerId) {
        let id = {
            let mut state = self.state.lock().unwrap();
            state.issued += 1;
            state.wakes_by_id.push(0);
            WakerId(state.issued)
        };
        let tagged = TaggedWaker {
            id,
            log: Arc::clone(self),
        };
        (Waker::from(Arc::new(tagged)), id)
    }

    /// Wakes through any waker so far.
    pub fn wakes(&self) -> usize {
        self.state.lock().unwrap().total
    }

    /// Wakes through waker `id` (or its clones).
    pub fn wakes_of(&self, id: WakerId) -> usize {
        let state = self.state.lock().unwrap();
        state.wakes_by_id.get(id.0 - 1).copied().unwrap_or(0)
    }

    /// The waker woken most recently, if any was.
    pub fn last_woken(&self) -> Option<WakerId> {
        self.state.lock().unwrap().last_woken
    }

    /// Blocks until waker `id` has more than `seen` wakes, or `patience`
    /// passes. Returns true if the wake came.
    pub fn wait_for_wake_of(&self, id: WakerId, seen: usize, patience: Duration) -> bool {
        let guard = self.state.lock().unwrap();
        let (guard, _) = self
            .woken
            .wait_timeout_while(guard, patience, |state| state.wakes_by_id[id.0 - 1] <= seen)
            .unwrap();
        guard.wakes_by_id[id.0 - 1] > seen
    }
}

// ---------------------------------------------------------------------------
// Harness: one future, polled by hand, with noise
// ---------------------------------------------------------------------------

/// Owns a future and polls it by hand, with spurious polls and wake-ups on
/// demand, and a fresh waker per poll unless told otherwise.
pub struct Harness<F: Future> {
    future: Option<Pin<Box<F>>>,
    log: Arc<WakeLog>,
    waker: Option<(Waker, WakerId)>,
    fresh_waker_per_poll: bool,
    polls: usize,
    spurious: usize,
    self_wake_limit: usize,
    self_wakes_in_a_row: usize,
    /// Wakes of the latest waker counted just before the latest poll, so a
    /// wake during or right after that poll is never missed.
    wakes_before_latest_poll: usize,
    patience: Duration,
}

impl<F: Future> Harness<F> {
    /// Wraps `future`; nothing runs until the first poll.
    pub fn new(future: F) -> Self {
        Harness {
            future: Some(Box::pin(future)),
            log: WakeLog::new(),
            waker: None,
            fresh_waker_per_poll: true,
            polls: 0,
            spurious: 0,
            self_wake_limit: SELF_WAKE_LIMIT,
            self_wakes_in_a_row: 0,
            wakes_before_latest_poll: 0,
            patience: PATIENCE,
        }
    }

    /// Poll with one waker every time (a task that never moves), instead of
    /// a new waker per poll.
    pub fn same_waker(mut self) -> Self {
        self.fresh_waker_per_poll = false;
        self
    }

    /// Panic after `limit` polls in a row that end with the future waking
    /// itself and returning `Pending` (default [`SELF_WAKE_LIMIT`]).
    pub fn fail_after_self_wakes(mut self, limit: usize) -> Self {
        self.self_wake_limit = limit;
        self
    }

    /// How long the drivers wait for a wake-up before failing (default
    /// [`PATIENCE`]).
    pub fn with_patience(mut self, patience: Duration) -> Self {
        self.patience = patience;
        self
    }

    /// Polls the future once.
    ///
    /// # Panics
    /// - if the future already returned `Ready`;
    /// - when the future has woken itself and stayed `Pending` on more polls
    ///   in a row than the self-wake limit (busy re-scheduling).
    pub fn poll(&mut self) -> Poll<F::Output> {
        let future = self
            .future
            .as_mut()
            .expect("spurious::Harness::poll called after the future returned Ready");
        if self.fresh_waker_per_poll || self.waker.is_none() {
            self.waker = Some(self.log.waker());
        }
        let (waker, id) = self.waker.as_ref().expect("set above");
        self.polls += 1;
        let own_wakes_before = self.log.wakes_of(*id);
        self.wakes_before_latest_poll = own_wakes_before;
        let result = future.as_mut().poll(&mut Context::from_waker(waker));
        if result.is_ready() {
            self.future = None;
            self.self_wakes_in_a_row = 0;
            return result;
        }
        if self.log.wakes_of(*id) > own_wakes_before {
            self.self_wakes_in_a_row += 1;
            assert!(
                self.self_wakes_in_a_row < self.self_wake_limit,
                "the future woke itself during each of its last {} polls and is still Pending: \
                 it re-schedules itself forever (a busy loop) instead of waiting for an event. \
                 Wake the waker only when something changed (store it and let the event wake it)",
                self.self_wakes_in_a_row
            );
        } else {
            self.self_wakes_in_a_row = 0;
        }
        result
    }

    /// Polls `n` more times with nothing changed. Stops early and returns
    /// `Ready` if the future finishes; otherwise returns `Pending`.
    pub fn poll_extra(&mut self, n: usize) -> Poll<F::Output> {
        for _ in 0..n {
            self.spurious += 1;
            if let Poll::Ready(value) = self.poll() {
                return Poll::Ready(value);
            }
        }
        Poll::Pending
    }

    /// Wakes the task for no reason (through the latest waker, counted as
    /// spurious rather than as the future's own wake) and polls the future,
    /// as an executor does after a wake-up that meant nothing for it.
    pub fn wake_spuriously(&mut self) -> Poll<F::Output> {
        self.spurious += 1;
        self.poll()
    }

    /// Drives the future to `Ready` like an executor, adding spurious polls
    /// and wake-ups chosen by `seed` between the real ones.
    ///
    /// Only a wake-up of the waker given at the latest poll counts as real.
    ///
    /// # Panics
    /// If no real wake-up comes within the patience (default [`PATIENCE`]):
    /// the message says whether the future was woken through a stale waker
    /// (the bug of storing the waker only on the first poll) or not at all.
    pub fn run_with_noise(&mut self, seed: u64) -> F::Output {
        let mut noise = Noise::new(seed);
        loop {
            if let Poll::Ready(value) = self.poll() {
                return value;
            }
            // Spurious polls, right away or after a wake that meant nothing.
            if noise.one_in(3) {
                let extra = 1 + noise.below(3) as usize;
                if let Poll::Ready(value) = self.poll_extra(extra) {
                    return value;
                }
            } else if noise.one_in(4)
                && let Poll::Ready(value) = self.wake_spuriously()
            {
                return value;
            }
            self.wait_for_wake();
        }
    }

    /// Like [`Harness::run_with_noise`] without the noise: polls only after a
    /// wake-up of the latest waker.
    pub fn run_to_completion(&mut self) -> F::Output {
        loop {
            if let Poll::Ready(value) = self.poll() {
                return value;
            }
            self.wait_for_wake();
        }
    }

    /// Blocks until the waker of the latest poll has been woken since that
    /// poll began (at once if it already was), as an executor waits before
    /// polling again. For tests that trigger the event from another thread.
    ///
    /// # Panics
    /// After the patience (default [`PATIENCE`]) with no such wake-up; the
    /// message says whether a stale waker was woken instead.
    pub fn wait_for_wake(&self) {
        let latest = self
            .latest_waker()
            .expect("wait_for_wake called before the first poll");
        if self
            .log
            .wait_for_wake_of(latest, self.wakes_before_latest_poll, self.patience)
        {
            return;
        }
        let stale_wakes = self.log.wakes() - self.log.wakes_of(latest);
        if let Some(stale) = self.log.last_woken().filter(|id| *id != latest) {
            panic!(
                "the future returned Pending on poll #{} and was then woken only through the waker \
                 of poll #{} ({stale_wakes} stale wake(s) in all), never through the waker of its \
                 latest poll: an executor would not poll it again, so it would hang. Store the \
                 waker of *every* poll (`cx.waker().clone()`, or `clone_from` when `!will_wake`), \
                 not only the first one",
                self.polls, stale.0
            );
        }
        panic!(
            "the future returned Pending on poll #{} and nobody called its waker within {:?}: \
             under a real executor it would hang forever. A future that returns Pending must \
             make sure `wake` is called later (store the waker where the event will find it, \
             then re-check the condition)",
            self.polls, self.patience
        );
    }

    /// Panics unless the most recent wake-up went through the waker of the
    /// latest poll. Call it right after triggering the event the future waits
    /// for, from the test thread, for a deterministic stale-waker check.
    pub fn assert_woke_latest(&self) {
        let latest = self.latest_waker();
        match self.log.last_woken() {
            Some(id) if Some(id) == latest => {}
            Some(id) => panic!(
                "the event woke the waker of poll #{} but the future was polled {} times: it kept \
                 a stale waker. Store the waker of every poll, not only the first one",
                id.0, self.polls
            ),
            None => panic!(
                "the event woke no waker at all after {} poll(s): the future returned Pending \
                 without storing its waker where the event can find it",
                self.polls
            ),
        }
    }

    /// The identity of the waker given at the latest poll.
    pub fn latest_waker(&self) -> Option<WakerId> {
        self.waker.as_ref().map(|(_, id)| *id)
    }

    /// The record of every wake-up, by waker.
    pub fn log(&self) -> &Arc<WakeLog> {
        &self.log
    }

    /// Polls so far, spurious ones included.
    pub fn polls(&self) -> usize {
        self.polls
    }

    /// Of those, the spurious ones (`poll_extra`, `wake_spuriously`).
    pub fn spurious_polls(&self) -> usize {
        self.spurious
    }

    /// Wake-ups the future sent, through any of its wakers.
    pub fn wakes(&self) -> usize {
        self.log.wakes()
    }

    /// True once the future returned `Ready`.
    pub fn is_done(&self) -> bool {
        self.future.is_none()
    }
}

/// Runs `future` to completion on this thread with spurious polls and
/// wake-ups chosen by `seed` (see [`Harness::run_with_noise`]).
pub fn run_with_noise<F: Future>(future: F, seed: u64) -> F::Output {
    Harness::new(future).run_with_noise(seed)
}

// ---------------------------------------------------------------------------
// Noisy: spurious wake-ups for an executor
// ---------------------------------------------------------------------------

/// Wraps `future` so that it wakes its task spuriously (see [`Noisy`]).
pub fn noisy<F: Future>(future: F, seed: u64) -> Noisy<F> {
    Noisy {
        future: Box::pin(future),
        noise: Noise::new(seed),
        spurious_wakes: 0,
    }
}

/// A future that adds spurious wake-ups around another: for testing an
/// executor. On each poll, chosen by the seed, it may wake its task before
/// polling the inner future, wake it twice, wake it from another thread
/// (possibly after the task finished), or yield once (wake, `Pending`) without
/// polling the inner future. None of these changes the result; an executor
/// that runs a task twice at once, loses a wake, or breaks on a wake after
/// completion fails.
pub struct Noisy<F> {
    future: Pin<Box<F>>,
    noise: Noise,
    spurious_wakes: usize,
}

impl<F> Noisy<F> {
    /// How many spurious wake-ups it sent so far.
    pub fn spurious_wakes(&self) -> usize {
        self.spurious_wakes
    }
}

impl<F: Future> Future for Noisy<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        match this.noise.below(8) {
            0 => {
                // Yield: a Pending that is not the inner future's.
                this.spurious_wakes += 1;
                cx.waker().wake_by_ref();
                return Poll::Pending;
            }
            1 => {
                this.spurious_wakes += 2;
                cx.waker().wake_by_ref();
                cx.waker().wake_by_ref();
            }
            2 => {
                this.spurious_wakes += 1;
                let waker = cx.waker().clone();
                // Detached on purpose: the wake may land at any point, even
                // after the task finished, which an executor must tolerate.
                thread::spawn(move || waker.wake());
            }
            3 => {
                this.spurious_wakes += 1;
                cx.waker().wake_by_ref();
            }
            _ => {}
        }
        this.future.as_mut().poll(cx)
    }
}

// ---------------------------------------------------------------------------
// Watched: polls vs wakes, for executors and busy loops
// ---------------------------------------------------------------------------

/// What a [`Watched`] future saw.
#[derive(Debug, Default)]
pub struct WatchStats {
    polls: AtomicUsize,
    wakes: AtomicUsize,
}

impl WatchStats {
    /// Polls the executor gave the future.
    pub fn polls(&self) -> usize {
        self.polls.load(Ordering::SeqCst)
    }

    /// Wake-ups the inner future sent.
    pub fn wakes(&self) -> usize {
        self.wakes.load(Ordering::SeqCst)
    }
}

/// Wraps a future run by an executor and checks the executor's side of the
/// contract: it polls only after wake-ups (a few spurious polls are fine, an
/// unbounded run of them is a spinning executor), and the inner future does
/// not re-schedule itself forever.
pub struct Watched<F> {
    future: Pin<Box<F>>,
    forward: Arc<Forward>,
    stats: Arc<WatchStats>,
    max_polls_without_wake: usize,
    max_self_wakes: usize,
    polls_since_wake: usize,
    self_wakes_in_a_row: usize,
    wakes_at_last_poll: usize,
}

/// The waker the inner future sees: counts, then passes the wake on.
struct Forward {
    outer: Mutex<Option<Waker>>,
    stats: Arc<WatchStats>,
}

impl Wake for Forward {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.stats.wakes.fetch_add(1, Ordering::SeqCst);
        if let Some(waker) = self.outer.lock().unwrap().as_ref() {
            waker.wake_by_ref();
        }
    }
}

impl<F: Future> Watched<F> {
    /// Wraps `future`; read what happened through the returned stats.
    /// Defaults: 100 polls without a wake, [`SELF_WAKE_LIMIT`] self-wakes.
    pub fn new(future: F) -> (Self, Arc<WatchStats>) {
        let stats = Arc::new(WatchStats::default());
        let watched = Watched {
            future: Box::pin(future),
            forward: Arc::new(Forward {
                outer: Mutex::new(None),
                stats: Arc::clone(&stats),
            }),
            stats: Arc::clone(&stats),
            max_polls_without_wake: 100,
            max_self_wakes: SELF_WAKE_LIMIT,
            polls_since_wake: 0,
            self_wakes_in_a_row: 0,
            wakes_at_last_poll: 0,
        };
        (watched, stats)
    }

    /// Panic when polled more than `limit` times in a row with no wake-up in
    /// between (the executor spins instead of sleeping).
    pub fn max_polls_without_wake(mut self, limit: usize) -> Self {
        self.max_polls_without_wake = limit;
        self
    }

    /// Panic after `limit` polls in a row where the inner future woke itself
    /// and stayed `Pending`.
    pub fn max_self_wakes(mut self, limit: usize) -> Self {
        self.max_self_wakes = limit;
        self
    }
}

impl<F: Future> Future for Watched<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let this = &mut *self;
        this.stats.polls.fetch_add(1, Ordering::SeqCst);
        let wakes_now = this.stats.wakes();
        if wakes_now > this.wakes_at_last_poll {
            this.polls_since_wake = 0;
        } else {
            this.polls_since_wake += 1;
            assert!(
                this.polls_since_wake <= this.max_polls_without_wake,
                "the executor polled this future {} times in a row without any wake-up in \
                 between: it spins instead of sleeping until a waker is called (is the \
                 'woken' flag read with `load` where it must be reset with `swap(false)`?)",
                this.polls_since_wake
            );
        }
        {
            let mut outer = this.forward.outer.lock().unwrap();
            match outer.as_mut() {
                Some(waker) => waker.clone_from(cx.waker()),
                None => *outer = Some(cx.waker().clone()),
            }
        }
        let waker = Waker::from(Arc::clone(&this.forward));
        let result = this.future.as_mut().poll(&mut Context::from_waker(&waker));
        let wakes_after = this.stats.wakes();
        this.wakes_at_last_poll = wakes_after;
        if result.is_pending() && wakes_after > wakes_now {
            this.self_wakes_in_a_row += 1;
            assert!(
                this.self_wakes_in_a_row < this.max_self_wakes,
                "the future woke itself during each of its last {} polls and is still Pending: \
                 it re-schedules itself forever (a busy loop) instead of waiting for an event",
                this.self_wakes_in_a_row
            );
            // The wake during this poll is what the next poll answers.
            this.wakes_at_last_poll = wakes_now;
        } else {
            this.self_wakes_in_a_row = 0;
        }
        result
    }
}

// ---------------------------------------------------------------------------
// Spurious unparks
// ---------------------------------------------------------------------------

/// Unparks `thread` `count` times, yielding in between, so that a `park` in
/// it returns with nothing changed. (Unpark tokens do not add up: several
/// unparks before a park make it return once.)
pub fn unpark_storm(thread: &Thread, count: usize) {
    for _ in 0..count {
        thread.unpark();
        thread::yield_now();
    }
}

/// A background thread that keeps unparking another thread until stopped:
/// every `park` there returns early, many times over.
pub struct Unparker {
    stop: Arc<AtomicBool>,
    worker: Option<JoinHandle<usize>>,
}

impl Unparker {
    /// Starts unparking `target` repeatedly.
    pub fn start(target: Thread) -> Unparker {
        let stop = Arc::new(AtomicBool::new(false));
        let stop_seen = Arc::clone(&stop);
        let worker = thread::Builder::new()
            .name("spurious unparker".into())
            .spawn(move || {
                let mut unparks = 0;
                while !stop_seen.load(Ordering::SeqCst) {
                    target.unpark();
                    unparks += 1;
                    // Pace the storm so it does not take a whole core from
                    // the code under test (this is not for ordering).
                    thread::sleep(Duration::from_micros(20));
                }
                unparks
            })
            .expect("spawn the unparker thread");
        Unparker {
            stop,
            worker: Some(worker),
        }
    }

    /// Stops the unparker and returns how many unparks it sent.
    pub fn stop(mut self) -> usize {
        self.finish()
    }

    fn finish(&mut self) -> usize {
        self.stop.store(true, Ordering::SeqCst);
        self.worker
            .take()
            .map_or(0, |worker| worker.join().unwrap_or(0))
    }
}

impl Drop for Unparker {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// A one-slot cell whose `get` future is correct: re-checks on every poll
    /// and stores the waker of every poll.
    #[derive(Default)]
    struct Slot {
        value: Mutex<(Option<u32>, Option<Waker>)>,
    }

    impl Slot {
        fn put(&self, v: u32) {
            let mut guard = self.value.lock().unwrap();
            guard.0 = Some(v);
            if let Some(waker) = guard.1.take() {
                waker.wake();
            }
        }
    }

    struct Get {
        slot: Arc<Slot>,
        /// The bug under test: store the waker only on the first poll.
        store_once: bool,
        stored: bool,
    }

    impl Future for Get {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            let slot = Arc::clone(&self.slot);
            let mut guard = slot.value.lock().unwrap();
            if let Some(v) = guard.0 {
                return Poll::Ready(v);
            }
            if !(self.store_once && self.stored) {
                guard.1 = Some(cx.waker().clone());
                self.stored = true;
            }
            Poll::Pending
        }
    }

    fn get(slot: &Arc<Slot>, store_once: bool) -> Get {
        Get {
            slot: Arc::clone(slot),
            store_once,
            stored: false,
        }
    }

    #[test]
    fn extra_polls_of_a_correct_future_change_nothing() {
        let slot = Arc::new(Slot::default());
        let mut harness = Harness::new(get(&slot, false));
        assert!(harness.poll().is_pending());
        assert!(harness.poll_extra(5).is_pending());
        assert!(harness.wake_spuriously().is_pending());
        slot.put(4);
        harness.assert_woke_latest();
        assert_eq!(harness.poll(), Poll::Ready(4));
        assert_eq!((harness.polls(), harness.spurious_polls()), (8, 6));
    }

    #[test]
    #[should_panic(expected = "kept a stale waker")]
    fn a_waker_stored_only_on_the_first_poll_is_stale() {
        let slot = Arc::new(Slot::default());
        let mut harness = Harness::new(get(&slot, true));
        assert!(harness.poll().is_pending());
        assert!(harness.poll_extra(1).is_pending());
        slot.put(4);
        harness.assert_woke_latest();
    }

    #[test]
    fn the_noisy_driver_finishes_a_correct_future_for_every_seed() {
        for seed in 0..50 {
            let slot = Arc::new(Slot::default());
            let (go_tx, go_rx) = mpsc::channel::<()>();
            let putter = {
                let slot = Arc::clone(&slot);
                thread::spawn(move || {
                    go_rx.recv().unwrap();
                    slot.put(seed as u32);
                })
            };
            let future = async {
                go_tx.send(()).unwrap();
                get(&slot, false).await
            };
            assert_eq!(run_with_noise(future, seed), seed as u32, "seed {seed}");
            putter.join().unwrap();
        }
    }

    #[test]
    #[should_panic(expected = "never through the waker of its latest poll")]
    fn the_noisy_driver_reports_a_stale_waker() {
        let slot = Arc::new(Slot::default());
        let mut harness = Harness::new(get(&slot, true)).with_patience(Duration::from_millis(200));
        assert!(harness.poll().is_pending());
        assert!(harness.poll_extra(1).is_pending());
        slot.put(1);
        harness.wait_for_wake();
    }

    #[test]
    #[should_panic(expected = "nobody called its waker")]
    fn a_future_never_woken_is_reported() {
        let mut harness =
            Harness::new(std::future::pending::<()>()).with_patience(Duration::from_millis(20));
        harness.run_to_completion();
    }

    /// Wakes itself and stays Pending forever.
    struct Spinner;
    impl Future for Spinner {
        type Output = ();
        fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }

    #[test]
    #[should_panic(expected = "re-schedules itself forever")]
    fn busy_rescheduling_is_reported() {
        Harness::new(Spinner)
            .fail_after_self_wakes(50)
            .run_to_completion();
    }

    #[test]
    fn a_future_that_yields_a_few_times_is_not_busy() {
        let mut harness = Harness::new(crate::poll::ready_after(5, 'x')).fail_after_self_wakes(10);
        assert_eq!(harness.run_to_completion(), 'x');
        assert_eq!(harness.polls(), 6);
    }

    /// A tiny executor: polls only after a wake (flag reset with swap), or
    /// spins when `spin` is set, the bug `Watched` exists to catch.
    fn block_on<F: Future>(future: F, spin: bool) -> F::Output {
        struct Flag(AtomicBool, Thread);
        impl Wake for Flag {
            fn wake(self: Arc<Self>) {
                self.0.store(true, Ordering::SeqCst);
                self.1.unpark();
            }
        }
        let flag = Arc::new(Flag(AtomicBool::new(true), thread::current()));
        let waker = Waker::from(Arc::clone(&flag));
        let mut future = std::pin::pin!(future);
        loop {
            let woken = if spin {
                flag.0.load(Ordering::SeqCst)
            } else {
                flag.0.swap(false, Ordering::SeqCst)
            };
            if woken {
                if let Poll::Ready(v) = future.as_mut().poll(&mut Context::from_waker(&waker)) {
                    return v;
                }
            } else {
                thread::park();
            }
        }
    }

    #[test]
    fn noisy_and_watched_pass_a_correct_executor() {
        for seed in 0..30 {
            let slot = Arc::new(Slot::default());
            let putter = {
                let slot = Arc::clone(&slot);
                let unparks = thread::current();
                thread::spawn(move || {
                    slot.put(9);
                    unparks.unpark();
                })
            };
            let (watched, stats) = Watched::new(noisy(get(&slot, false), seed));
            assert_eq!(block_on(watched, false), 9, "seed {seed}");
            assert!(stats.polls() >= 1);
            putter.join().unwrap();
        }
    }

    #[test]
    #[should_panic(expected = "without any wake-up in between")]
    fn watched_catches_a_spinning_executor() {
        let slot = Arc::new(Slot::default());
        // The value never comes; the spinning executor polls on and on.
        let (watched, _) = Watched::new(get(&slot, false));
        block_on(watched.max_polls_without_wake(20), true);
    }

    #[test]
    fn an_unparker_makes_park_return_without_an_event() {
        let unparker = Unparker::start(thread::current());
        // Each park returns early because of the unparker; nothing else
        // unparks this thread, so five returns prove five spurious ones.
        for _ in 0..5 {
            thread::park();
        }
        assert!(unparker.stop() >= 1);
    }

    #[test]
    fn an_unpark_storm_makes_the_next_park_return() {
        unpark_storm(&thread::current(), 3);
        thread::park(); // returns at once: a token is waiting
    }

    #[test]
    fn noise_is_reproducible() {
        let a: Vec<u64> = (0..5)
            .map({
                let mut n = Noise::new(7);
                move |_| n.below(100)
            })
            .collect();
        let b: Vec<u64> = (0..5)
            .map({
                let mut n = Noise::new(7);
                move |_| n.below(100)
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(Noise::new(1).next_u64(), Noise::new(2).next_u64());
    }
}
