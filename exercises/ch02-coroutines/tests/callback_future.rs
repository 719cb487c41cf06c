// Tests for exercise `callback_future` (chapter 2, "From callbacks to
// futures"). The same file grades the stub and the reference solution; keep
// plain `//` comments at the top (the solution includes it with `include!`).

use ch02_exercises::callback_future::{Callback, from_callback};
use kit::poll::{Harness, WakeCounter};
use std::pin::Pin;
use std::sync::{Arc, Mutex, mpsc};
use std::task::{Context, Poll};
use std::thread;
use std::time::Duration;

// Only a safety net for a future that is never woken.
const PATIENCE: Duration = Duration::from_secs(5);

/// A fake callback-based API: it keeps the callbacks it is given, and the
/// test decides when the "operation" completes by calling `complete`.
#[derive(Clone, Default)]
struct FakeApi {
    callbacks: Arc<Mutex<Vec<Callback<u32>>>>,
}

impl FakeApi {
    fn register(&self) -> impl FnOnce(Callback<u32>) + use<> {
        let callbacks = Arc::clone(&self.callbacks);
        move |callback| callbacks.lock().unwrap().push(callback)
    }

    fn complete(&self, value: u32) {
        let callbacks: Vec<_> = self.callbacks.lock().unwrap().drain(..).collect();
        assert_eq!(
            callbacks.len(),
            1,
            "from_callback should register exactly one callback"
        );
        for callback in callbacks {
            callback(value);
        }
    }
}

#[test]
fn pending_until_the_callback_fires() {
    let api = FakeApi::default();
    let mut harness = Harness::new(from_callback(api.register()));
    assert_eq!(
        harness.poll(),
        Poll::Pending,
        "the API has not called back yet, so there is no value: the future must be Pending"
    );
    assert_eq!(
        harness.poll(),
        Poll::Pending,
        "still no value on the second poll"
    );
}

#[test]
fn the_callback_wakes_the_task_and_delivers_the_value() {
    let api = FakeApi::default();
    let mut harness = Harness::new(from_callback(api.register()));
    assert_eq!(harness.poll(), Poll::Pending);
    api.complete(42);
    assert_eq!(
        harness.wakes(),
        1,
        "the callback ran but the waker was called {} times, expected 1: without a wake-up \
         the executor never polls the future again and it hangs forever",
        harness.wakes()
    );
    assert_eq!(
        harness.poll(),
        Poll::Ready(42),
        "after the callback delivered 42, the next poll must return Ready(42)"
    );
}

#[test]
fn a_value_delivered_before_the_first_poll_is_kept() {
    // Some APIs call back at once, before anyone polled the future.
    let mut harness = Harness::new(from_callback(|callback: Callback<u32>| callback(7)));
    assert_eq!(
        harness.poll(),
        Poll::Ready(7),
        "the callback ran before the first poll, when no waker was stored yet; the value must \
         still be kept for the first poll (store the value always, wake only if a waker is there)"
    );
}

#[test]
fn wakes_the_waker_of_the_latest_poll() {
    let api = FakeApi::default();
    let mut future = from_callback(api.register());
    let first_task = WakeCounter::new();
    let second_task = WakeCounter::new();
    // The same future polled by two different tasks in turn, as happens when
    // it is moved into another task or a `select` re-polls it.
    for counter in [&first_task, &second_task] {
        let waker = counter.waker();
        let mut cx = Context::from_waker(&waker);
        assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
    }
    api.complete(1);
    assert_eq!(
        (first_task.wakes(), second_task.wakes()),
        (0, 1),
        "the callback should wake the waker of the *latest* poll, (first, second) got \
         {:?}: store `cx.waker()` on every poll, not just the first",
        (first_task.wakes(), second_task.wakes())
    );
}

#[test]
fn works_when_the_callback_comes_from_another_thread() {
    let (start_tx, start_rx) = mpsc::channel::<Callback<u32>>();
    let worker = thread::spawn(move || {
        let callback = start_rx.recv().expect("a callback");
        callback(99);
    });
    let future = from_callback(move |callback| start_tx.send(callback).unwrap());
    let mut harness = Harness::new(future);
    assert_eq!(harness.run_to_completion(PATIENCE), 99);
    worker.join().unwrap();
}

#[test]
fn spurious_polls_keep_the_latest_waker_and_lose_nothing() {
    use kit::spurious::Harness as Spurious;
    // A fresh waker on every poll, as when the future moves between tasks.
    let api = FakeApi::default();
    let mut harness = Spurious::new(from_callback(api.register()));
    assert!(harness.poll().is_pending(), "no value yet");
    assert!(
        harness.poll_extra(3).is_pending(),
        "polled again with no value: the future must stay Pending"
    );
    assert!(
        harness.wake_spuriously().is_pending(),
        "woken for no reason: re-check, find no value, stay Pending"
    );
    api.complete(5);
    harness.assert_woke_latest();
    assert_eq!(
        harness.poll(),
        Poll::Ready(5),
        "the callback delivered 5: the next poll returns it"
    );
}

#[test]
fn waiting_is_not_a_busy_loop() {
    let api = FakeApi::default();
    let mut harness = Harness::new(from_callback(api.register()));
    for _ in 0..3 {
        assert_eq!(harness.poll(), Poll::Pending);
    }
    assert_eq!(
        harness.wakes(),
        0,
        "the value has not arrived, yet the future woke its own task {} times: a Pending poll \
         that wakes itself makes the executor poll it again at once, forever (a busy loop that \
         burns a core). Store the waker and let the callback wake it",
        harness.wakes()
    );
    api.complete(3);
    assert_eq!(harness.wakes(), 1, "the callback wakes the task once");
}

#[test]
fn finishes_under_noise_when_the_callback_comes_from_another_thread() {
    for seed in 0..30 {
        let (start_tx, start_rx) = mpsc::channel::<Callback<u32>>();
        let worker = thread::spawn(move || {
            let callback = start_rx.recv().expect("a callback");
            callback(seed as u32);
        });
        let future = from_callback(move |callback| start_tx.send(callback).unwrap());
        let got = kit::spurious::run_with_noise(future, seed);
        assert_eq!(got, seed as u32, "seed {seed}: the value the callback got");
        worker.join().unwrap();
    }
}
