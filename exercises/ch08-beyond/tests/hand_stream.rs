// Tests for exercise `hand_stream` (chapter 8, "Writing a stream by hand").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch08_exercises::hand_stream::{Feed, feed};
use futures::{Stream, StreamExt};
use kit::poll::WakeCounter;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

/// Polls the stream once by hand with `counter`'s waker, as an executor would.
fn poll_with<T>(stream: &mut Feed<T>, counter: &Arc<WakeCounter>) -> Poll<Option<T>> {
    let waker = counter.waker();
    let mut cx = Context::from_waker(&waker);
    Pin::new(stream).poll_next(&mut cx)
}

#[test]
fn items_come_out_in_push_order() {
    let (feeder, mut stream) = feed();
    for item in [70, 31, 99] {
        feeder.push(item);
    }
    let counter = WakeCounter::new();
    let got: Vec<_> = (0..3).map(|_| poll_with(&mut stream, &counter)).collect();
    assert_eq!(
        got,
        vec![
            Poll::Ready(Some(70)),
            Poll::Ready(Some(31)),
            Poll::Ready(Some(99))
        ],
        "items pushed 70, 31, 99 must come out oldest first (a queue, not a stack)"
    );
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Pending,
        "the queue is empty but the feeder is alive: Pending, not the end"
    );
}

#[test]
fn an_empty_feed_is_pending_not_finished() {
    let (_feeder, mut stream) = feed::<u8>();
    let counter = WakeCounter::new();
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Pending,
        "nothing was pushed yet and the feeder still exists: the stream must be Pending. \
         Ready(None) would end it for good before anything was sent."
    );
}

#[test]
fn a_push_wakes_the_waiting_stream() {
    let (feeder, mut stream) = feed();
    let counter = WakeCounter::new();
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Pending,
        "empty queue: Pending"
    );
    feeder.push("job-7");
    assert!(
        counter.wakes() >= 1,
        "the stream returned Pending, then an item was pushed, but its waker was never called: \
         an executor would never poll it again. `poll_next` must store `cx.waker()` before \
         returning Pending."
    );
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Ready(Some("job-7")),
        "the woken stream yields the item"
    );
}

#[test]
fn no_wake_up_without_an_item() {
    let (feeder, mut stream) = feed::<u8>();
    let counter = WakeCounter::new();
    for spurious in 1..=3 {
        assert_eq!(
            poll_with(&mut stream, &counter),
            Poll::Pending,
            "poll #{spurious} of an empty feed: Pending"
        );
    }
    assert_eq!(
        counter.wakes(),
        0,
        "three polls of an empty feed woke the task {} times with nothing pushed: a stream that \
         wakes itself when it returns Pending turns its task into a busy loop. Store the waker \
         and let the feeder wake it.",
        counter.wakes()
    );
    feeder.push(1);
    assert!(
        counter.wakes() >= 1,
        "after the repeated (spurious) polls, a push must still wake the stream"
    );
}

#[test]
fn the_latest_waker_is_the_one_woken() {
    let (feeder, mut stream) = feed();
    let first_task = WakeCounter::new();
    let second_task = WakeCounter::new();
    assert_eq!(
        poll_with(&mut stream, &first_task),
        Poll::Pending,
        "empty queue: Pending"
    );
    // The stream moved to another task (or the executor changed its waker).
    assert_eq!(
        poll_with(&mut stream, &second_task),
        Poll::Pending,
        "still empty: Pending"
    );
    feeder.push(5);
    assert!(
        second_task.wakes() >= 1,
        "the stream was polled first with waker A, then with waker B; the push woke A {} times \
         and B {} times. Only the latest waker is sure to reach the task: replace the stored \
         waker unless `will_wake` says it is the same one.",
        first_task.wakes(),
        second_task.wakes()
    );
}

#[test]
fn several_rounds_of_waiting_each_end_in_a_wake() {
    let (feeder, mut stream) = feed();
    let counter = WakeCounter::new();
    for round in 1..=4 {
        let before = counter.wakes();
        assert_eq!(
            poll_with(&mut stream, &counter),
            Poll::Pending,
            "round {round}: empty queue, Pending"
        );
        feeder.push(round * 11);
        assert!(
            counter.wakes() > before,
            "round {round}: the push did not wake the waiting stream (wakes stayed at {before}): \
             the waker must be stored on every Pending, not only the first time"
        );
        assert_eq!(
            poll_with(&mut stream, &counter),
            Poll::Ready(Some(round * 11)),
            "round {round}: the item"
        );
    }
}

#[test]
fn items_pushed_before_the_drop_are_still_delivered() {
    let (feeder, mut stream) = feed();
    feeder.push('a');
    feeder.push('b');
    drop(feeder);
    let counter = WakeCounter::new();
    let got: Vec<_> = (0..4).map(|_| poll_with(&mut stream, &counter)).collect();
    assert_eq!(
        got,
        vec![
            Poll::Ready(Some('a')),
            Poll::Ready(Some('b')),
            Poll::Ready(None),
            Poll::Ready(None)
        ],
        "the feeder pushed 'a' and 'b' and was then dropped: both items first, then the end, and \
         the end stays the end. Checking `closed` before the queue loses the last items."
    );
}

#[test]
fn dropping_the_feeder_wakes_and_ends_a_waiting_stream() {
    let (feeder, mut stream) = feed::<u8>();
    let counter = WakeCounter::new();
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Pending,
        "empty queue: Pending"
    );
    drop(feeder);
    assert!(
        counter.wakes() >= 1,
        "the feeder was dropped while the stream waited, and nobody woke it: the task would wait \
         forever for an end it never sees"
    );
    assert_eq!(
        poll_with(&mut stream, &counter),
        Poll::Ready(None),
        "no feeder, no items: the stream has ended"
    );
}

#[test]
fn a_thread_feeds_a_task_without_losing_items() {
    let collected = kit::watchdog::within(
        kit::watchdog::GENEROUS,
        "collecting 2000 items pushed from another thread",
        "a push that lands between the empty check and storing the waker is a lost wake-up: \
         check the queue and store the waker under one lock",
        || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .build()
                .unwrap();
            let (feeder, stream) = feed();
            let producer = std::thread::spawn(move || {
                for item in 0..2000u32 {
                    feeder.push(item);
                }
            });
            let got: Vec<u32> = runtime.block_on(stream.collect());
            producer.join().unwrap();
            got
        },
    );
    assert_eq!(
        collected,
        (0..2000).collect::<Vec<_>>(),
        "a task collecting the feed must see all 2000 items in order and then the end"
    );
}

#[test]
fn spurious_polls_and_wake_ups_lose_nothing() {
    for seed in 0..50u64 {
        let (feeder, stream) = feed();
        let producer = std::thread::spawn(move || {
            for item in 0..40u32 {
                feeder.push(item);
            }
        });
        // Every poll gets a fresh waker, extra polls and wakes come from the
        // seed, and only a wake of the latest waker counts as real.
        let got: Vec<u32> = kit::spurious::run_with_noise(stream.collect(), seed);
        producer.join().unwrap();
        assert_eq!(
            got,
            (0..40).collect::<Vec<_>>(),
            "seed {seed}: with spurious polls and wake-ups, and a new waker on every poll, the \
             stream must still deliver 0..40 in order and end"
        );
    }
}

/// Spins until `condition` holds, yielding now and then so that a busy,
/// shared machine still runs the other thread.
fn spin_until(condition: impl Fn() -> bool) {
    let mut spins = 0u32;
    while !condition() {
        spins += 1;
        if spins.is_multiple_of(256) {
            std::thread::yield_now();
        } else {
            std::hint::spin_loop();
        }
    }
}

#[test]
fn a_push_racing_the_empty_check_still_wakes_the_stream() {
    use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
    // A race between this thread (the stream's "executor") and a producer
    // thread, 50 000 rounds of it. Each round both threads meet at a start
    // line; then the producer pushes item `round` and this thread polls, one
    // of them after some idle steps: `offset` > 0 holds the poll back, < 0 the
    // push. When the first poll of a round finds the item, it started too
    // late to race the push: `offset` goes down; when it says Pending, it
    // started too early: `offset` goes up. So the poll keeps starting right
    // where the push lands, on any machine.
    // Whenever a poll says Pending, the test waits for that round's push to
    // return and checks the rule executors rely on: Pending, then an item
    // pushed, means that poll's waker was woken. Nothing depends on how long
    // anything takes: a schedule that never hits a gap simply passes.
    const ROUNDS: usize = 50_000;
    // Far enough for any machine's gap; a thread kept off the CPU for a
    // while must not send `offset` so far that it takes ages to come back.
    const MAX_OFFSET: isize = 1_000;
    let (feeder, mut stream) = feed::<usize>();
    let at_the_start_line = Arc::new(AtomicUsize::new(0));
    let pushes_returned = Arc::new(AtomicUsize::new(0));
    let offset = Arc::new(AtomicIsize::new(0));
    let idle = |steps: isize| {
        for _ in 0..steps.max(0) {
            std::hint::black_box(());
        }
    };
    let both_started = |line: &AtomicUsize, round: usize| {
        line.fetch_add(1, Ordering::AcqRel);
        spin_until(|| line.load(Ordering::Acquire) >= 2 * (round + 1));
    };
    let producer = {
        let at_the_start_line = Arc::clone(&at_the_start_line);
        let pushes_returned = Arc::clone(&pushes_returned);
        let offset = Arc::clone(&offset);
        std::thread::spawn(move || {
            for round in 0..ROUNDS {
                both_started(&at_the_start_line, round);
                idle(-offset.load(Ordering::Relaxed));
                feeder.push(round);
                pushes_returned.store(round + 1, Ordering::Release);
            }
        })
    };
    for round in 0..ROUNDS {
        // The producer reads `offset` after the start line; it may see this
        // round's update already (one step off), which only shifts the race.
        let this_offset = offset.load(Ordering::Relaxed);
        both_started(&at_the_start_line, round);
        idle(this_offset);
        let mut first_poll = true;
        loop {
            // A fresh waker per poll: only this poll's waker may count.
            let counter = WakeCounter::new();
            match poll_with(&mut stream, &counter) {
                Poll::Ready(Some(item)) => {
                    assert_eq!(
                        item, round,
                        "round {round}: items must come out in push order"
                    );
                    if first_poll {
                        offset.store((this_offset - 1).max(-MAX_OFFSET), Ordering::Relaxed);
                    }
                    break;
                }
                Poll::Ready(None) => {
                    panic!("round {round}: the feeder is alive, but the stream ended")
                }
                Poll::Pending => {
                    if first_poll {
                        offset.store((this_offset + 1).min(MAX_OFFSET), Ordering::Relaxed);
                        first_poll = false;
                    }
                    spin_until(|| pushes_returned.load(Ordering::Acquire) > round);
                    assert!(
                        counter.wakes() > 0,
                        "round {round}: `poll_next` returned Pending, then the feeder pushed an \
                         item, and the waker of that poll was never woken: a lost wake-up, the \
                         task would sleep forever. The push landed between the check that found \
                         the queue empty and the store of the waker. Check the queue and store \
                         the waker under one lock, without unlocking in between."
                    );
                }
            }
        }
    }
    producer.join().unwrap();
}
