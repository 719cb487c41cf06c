// Tests for exercise `bounded_queue` (chapter 5, "Condition variables and spurious wake-ups").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// No test sleeps: they watch `waiting_producers()` / `waiting_consumers()`
// to know when a thread is really asleep; the watchdog turns a missed
// wake-up into a "deadlock suspected" failure instead of a hang.

use ch05_exercises::bounded_queue::{BoundedQueue, Closed};
use ch05_exercises::probe;
use kit::watchdog::{GENEROUS, wait_until, within};
use std::sync::{Arc, mpsc};
use std::thread;

/// Spawns a thread that pops once and sends what it got.
fn spawn_consumer(
    queue: &Arc<BoundedQueue<u32>>,
    got: &mpsc::Sender<Option<u32>>,
) -> thread::JoinHandle<()> {
    let (queue, got) = (Arc::clone(queue), got.clone());
    thread::spawn(move || got.send(queue.pop()).unwrap())
}

#[test]
fn items_come_out_in_the_order_they_went_in() {
    let queue = BoundedQueue::new(3);
    for item in [1, 2, 3] {
        queue
            .push(item)
            .expect("pushing into an open queue with room");
    }
    assert_eq!(queue.len(), 3);
    let out: Vec<_> = (0..3).map(|_| queue.pop()).collect();
    assert_eq!(
        out,
        vec![Some(1), Some(2), Some(3)],
        "a queue is first in, first out (push_back + pop_front)"
    );
}

#[test]
fn a_full_queue_blocks_push_until_a_pop_frees_a_slot() {
    within(
        GENEROUS,
        "a producer waiting for a free slot",
        "`pop` must wake a producer asleep on `not_full` after it frees a slot.",
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            queue.push(1).unwrap();
            let (pushed_tx, pushed) = mpsc::channel();
            let producer = {
                let queue = Arc::clone(&queue);
                thread::spawn(move || pushed_tx.send(queue.push(2)).unwrap())
            };
            // If `push` returns instead of waiting, the producer thread ends
            // and `wait_until` fails.
            wait_until(|| queue.waiting_producers() == 1, &[producer]);
            assert!(
                pushed.try_recv().is_err(),
                "push into a full queue (capacity 1, holding 1 item) returned instead of \
                 waiting for a free slot"
            );
            assert_eq!(
                queue.len(),
                1,
                "a full queue must not grow past its capacity"
            );
            assert_eq!(queue.pop(), Some(1));
            assert_eq!(pushed.recv().unwrap(), Ok(()));
            assert_eq!(queue.pop(), Some(2));
        },
    );
}

#[test]
fn an_empty_queue_blocks_pop_until_a_push() {
    within(
        GENEROUS,
        "a consumer waiting for an item",
        "`push` must wake a consumer asleep on `not_empty` after it adds an item.",
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            let (got_tx, got) = mpsc::channel();
            let consumer = spawn_consumer(&queue, &got_tx);
            wait_until(
                || queue.waiting_consumers() == 1 || got_has_value(&got),
                &[consumer],
            );
            assert_eq!(
                queue.waiting_consumers(),
                1,
                "pop on an empty, open queue returned instead of waiting for an item: \
                 `None` means \"closed and drained\", not \"empty right now\""
            );
            queue.push(7).unwrap();
            assert_eq!(got.recv().unwrap(), Some(7));
        },
    );
}

/// True if a consumer already reported (used to stop waiting early).
fn got_has_value(got: &mpsc::Receiver<Option<u32>>) -> bool {
    match got.try_recv() {
        Ok(value) => panic!(
            "pop on an empty, open queue returned {value:?} instead of waiting for an item: \
             `None` means \"closed and drained\", not \"empty right now\""
        ),
        Err(_) => false,
    }
}

#[test]
fn close_wakes_every_blocked_consumer() {
    within(
        GENEROUS,
        "three consumers waiting when the queue is closed",
        "`close` must wake *all* sleepers (notify_all): with notify_one, the other \
         consumers sleep forever on a queue that will never get another item.",
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            let (got_tx, got) = mpsc::channel();
            let consumers: Vec<_> = (0..3).map(|_| spawn_consumer(&queue, &got_tx)).collect();
            wait_until(|| queue.waiting_consumers() == 3, &consumers);
            queue.close();
            for _ in 0..3 {
                assert_eq!(
                    got.recv().unwrap(),
                    None,
                    "pop on a closed, empty queue must return None"
                );
            }
        },
    );
}

#[test]
fn close_hands_blocked_producers_their_items_back() {
    within(
        GENEROUS,
        "two producers waiting when the queue is closed",
        "`close` must wake the producers asleep on `not_full` too.",
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            queue.push(0).unwrap();
            let (result_tx, results) = mpsc::channel();
            let producers: Vec<_> = [1, 2]
                .map(|item| {
                    let (queue, result_tx) = (Arc::clone(&queue), result_tx.clone());
                    thread::spawn(move || result_tx.send(queue.push(item)).unwrap())
                })
                .into();
            wait_until(|| queue.waiting_producers() == 2, &producers);
            queue.close();
            let mut returned = vec![results.recv().unwrap(), results.recv().unwrap()];
            returned.sort_by_key(|result| format!("{result:?}"));
            assert_eq!(
                returned,
                vec![Err(Closed(1)), Err(Closed(2))],
                "a push that cannot happen because the queue closed gives its item back"
            );
            assert_eq!(
                queue.pop(),
                Some(0),
                "items pushed before `close` are still delivered"
            );
            assert_eq!(
                queue.pop(),
                None,
                "then a closed, drained queue yields None"
            );
            assert!(
                matches!(queue.push(9), Err(Closed(9))),
                "push after close must fail at once, not wait"
            );
        },
    );
}

#[test]
fn many_producers_and_consumers_deliver_every_item_once() {
    const PRODUCERS: u32 = 3;
    const ITEMS_EACH: u32 = 2_000;
    const CONSUMERS: usize = 3;
    let mut received = within(
        GENEROUS,
        "three producers and three consumers through a queue of 4",
        "With several threads on each side a missed wake-up strands someone; \
         check that push wakes consumers, pop wakes producers, close wakes all.",
        || {
            let queue = Arc::new(BoundedQueue::new(4));
            let producers: Vec<_> = (0..PRODUCERS)
                .map(|producer| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || {
                        for n in 0..ITEMS_EACH {
                            queue.push(producer * ITEMS_EACH + n).unwrap();
                        }
                    })
                })
                .collect();
            let consumers: Vec<_> = (0..CONSUMERS)
                .map(|_| {
                    let queue = Arc::clone(&queue);
                    thread::spawn(move || std::iter::from_fn(|| queue.pop()).collect::<Vec<_>>())
                })
                .collect();
            for producer in producers {
                producer.join().expect("a producer panicked");
            }
            queue.close();
            consumers
                .into_iter()
                .flat_map(|consumer| consumer.join().expect("a consumer panicked"))
                .collect::<Vec<u32>>()
        },
    );
    received.sort_unstable();
    let expected: Vec<u32> = (0..PRODUCERS * ITEMS_EACH).collect();
    assert!(
        received == expected,
        "expected each of the {} items exactly once, got {} items: items were lost or \
         duplicated",
        expected.len(),
        received.len()
    );
}

/// Runs `blocked` on a thread whose next three waits return spuriously, and
/// checks it is still waiting once those are used up and it really sleeps.
/// Returns the thread, still blocked, and what it reports when it ends.
fn still_waiting_after_spurious_wake_ups<T: Send + 'static>(
    queue: &Arc<BoundedQueue<u32>>,
    sleepers: fn(&BoundedQueue<u32>) -> usize,
    blocked: fn(&BoundedQueue<u32>) -> T,
    idea: &str,
) -> (thread::JoinHandle<()>, mpsc::Receiver<T>) {
    let (tid_tx, tid_rx) = mpsc::channel();
    let (done_tx, done) = mpsc::channel();
    let waiter = {
        let queue = Arc::clone(queue);
        thread::spawn(move || {
            tid_tx.send(kit::asleep::current_tid()).unwrap();
            // The next three waits return without a notification, as the
            // operating system is allowed to make them.
            probe::wake_spuriously_on_this_thread(3);
            done_tx.send(blocked(&queue)).unwrap();
        })
    };
    let tid = tid_rx.recv().unwrap();
    let asleep = || sleepers(queue) == 1 && tid.is_none_or(kit::asleep::is_asleep);
    while !asleep() {
        assert!(!waiter.is_finished(), "{idea}");
        thread::yield_now();
    }
    (waiter, done)
}

#[test]
fn a_consumer_woken_for_nothing_waits_again() {
    within(
        GENEROUS,
        "a consumer woken spuriously on an empty queue",
        "After the spurious wake-ups the consumer should sleep again until an item arrives.",
        || {
            let queue = Arc::new(BoundedQueue::new(2));
            let (consumer, got) = still_waiting_after_spurious_wake_ups(
                &queue,
                BoundedQueue::waiting_consumers,
                BoundedQueue::pop,
                "pop on an empty, open queue returned after a spurious wake-up instead of \
                 waiting again: a wake-up only means \"look again\". Re-check the queue in a \
                 loop (`while`, not `if`) before deciding what to return.",
            );
            queue.push(4).unwrap();
            assert_eq!(
                got.recv().unwrap(),
                Some(4),
                "the consumer that waited must get the item pushed afterwards"
            );
            consumer.join().unwrap();
        },
    );
}

#[test]
fn a_producer_woken_for_nothing_waits_again() {
    within(
        GENEROUS,
        "a producer woken spuriously on a full queue",
        "After the spurious wake-ups the producer should sleep again until a slot frees.",
        || {
            let queue = Arc::new(BoundedQueue::new(1));
            queue.push(1).unwrap();
            let (producer, pushed) = still_waiting_after_spurious_wake_ups(
                &queue,
                BoundedQueue::waiting_producers,
                |queue| queue.push(2),
                "push into a full queue returned after a spurious wake-up instead of waiting \
                 again: the queue is still full. Re-check in a `while` loop before pushing.",
            );
            assert_eq!(
                queue.len(),
                1,
                "a full queue of capacity 1 grew past its capacity after a spurious wake-up"
            );
            assert_eq!(queue.pop(), Some(1));
            assert_eq!(pushed.recv().unwrap(), Ok(()));
            assert_eq!(queue.pop(), Some(2));
            producer.join().unwrap();
        },
    );
}

#[test]
fn close_lets_consumers_drain_what_is_left_first() {
    let queue = BoundedQueue::new(3);
    for item in [7, 3, 9] {
        queue.push(item).unwrap();
    }
    queue.close();
    let out: Vec<_> = (0..4).map(|_| queue.pop()).collect();
    assert_eq!(
        out,
        vec![Some(7), Some(3), Some(9), None],
        "a closed queue still hands out the items pushed before `close`, oldest first, and \
         only then returns None: None means \"closed *and* drained\", not \"closed\""
    );
}
