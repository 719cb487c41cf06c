// Loom model for exercise `bounded_queue` (chapter 5, "Condition variables and spurious wake-ups").
// Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo workbook check
// bounded_queue` does that for you. Loom runs the threads under every
// interleaving of their lock, wait and notify calls, so a wake-up that is
// lost in one rare order fails every run. When a thread is never woken, loom
// stops with "deadlock": somebody sleeps on a condition variable and nobody
// is left to notify it.
//
// The queues are leaked and the threads not joined: when loom finds a
// sleeper that nobody will wake, no thread is left holding loom objects
// that would have to be dropped while the failure unwinds.

#[cfg(loom)]
mod model {
    use ch05_exercises::bounded_queue::BoundedQueue;
    use loom::thread;

    fn leaked(capacity: usize) -> &'static BoundedQueue<u32> {
        Box::leak(Box::new(BoundedQueue::new(capacity)))
    }

    /// Runs the queue on one thread first: if a method is still `todo!()`,
    /// the test fails here cleanly (a panic that unwinds through live loom
    /// threads aborts the whole process).
    fn single_threaded_first() {
        loom::model(|| {
            let queue = BoundedQueue::new(2);
            queue.push(1).unwrap();
            assert_eq!(queue.pop(), Some(1), "what goes in comes out");
            queue.close();
            assert_eq!(queue.pop(), None, "closed and drained");
        });
    }

    /// Three items through a queue of one: the producer must sleep while it
    /// is full and the consumer while it is empty, so every pop must wake
    /// the producer and every push the consumer. A "deadlock" here is a
    /// missed wake-up on one of the two condition variables.
    #[test]
    fn push_and_pop_wake_each_other() {
        single_threaded_first();
        loom::model(|| {
            let queue = leaked(1);
            thread::spawn(move || {
                for item in [1, 2, 3] {
                    queue.push(item).unwrap();
                }
            });
            thread::spawn(move || {
                let got: Vec<_> = (0..3).map(|_| queue.pop()).collect();
                assert_eq!(
                    got,
                    vec![Some(1), Some(2), Some(3)],
                    "three items pushed into an open queue come out in order"
                );
            });
        });
    }

    /// Two consumers, two items. In one of the orders loom tries, the first
    /// consumer is woken for item 1 but the second consumer, which was not
    /// asleep, takes it first: the woken consumer finds the queue empty and
    /// must wait again (`while`, not `if`), then gets item 2.
    #[test]
    fn a_consumer_robbed_of_its_item_waits_for_the_next() {
        single_threaded_first();
        loom::model(|| {
            let queue = leaked(2);
            for _ in 0..2 {
                thread::spawn(move || {
                    let got = queue.pop();
                    assert!(
                        got.is_some(),
                        "pop on an open queue returned None: it was woken, found the queue \
                         empty (another consumer took the item first) and gave up. Re-check \
                         in a `while` loop after every wake-up."
                    );
                });
            }
            queue.push(1).unwrap();
            queue.push(2).unwrap();
        });
    }

    /// A consumer waiting on an empty queue when it closes must be woken and
    /// get `None`.
    #[test]
    fn close_wakes_a_waiting_consumer() {
        single_threaded_first();
        loom::model(|| {
            let queue = leaked(1);
            thread::spawn(move || {
                assert_eq!(queue.pop(), None, "closed and empty: pop must return None");
            });
            queue.close();
        });
    }
}
