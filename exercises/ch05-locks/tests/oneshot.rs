// Tests for exercise `oneshot` (chapter 5, "Atomics and memory ordering").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The memory orderings are checked by the loom model in oneshot_loom.rs.

use ch05_exercises::oneshot::channel;
use kit::watchdog::{GENEROUS, within};
use std::sync::Arc;
use std::thread;

#[test]
fn try_recv_is_empty_until_the_value_is_sent() {
    let (sender, mut receiver) = channel();
    assert_eq!(
        receiver.try_recv(),
        None,
        "nothing was sent yet: try_recv must return None (and not wait)"
    );
    sender.send(5);
    assert_eq!(
        receiver.try_recv(),
        Some(5),
        "after `send(5)`, try_recv must return the value"
    );
    assert_eq!(
        receiver.try_recv(),
        None,
        "a one-shot channel delivers its value once: take it out of the slot"
    );
}

#[test]
fn recv_waits_for_a_value_sent_from_another_thread() {
    let got = within(
        GENEROUS,
        "recv waiting for a value from another thread",
        "`recv` should loop until `try_recv` sees the value.",
        || {
            let (sender, receiver) = channel();
            let sending = thread::spawn(move || sender.send(String::from("hello")));
            let got = receiver.recv();
            sending.join().unwrap();
            got
        },
    );
    assert_eq!(got.as_deref(), Some("hello"));
}

#[test]
fn recv_returns_none_when_the_sender_is_dropped() {
    let got = within(
        GENEROUS,
        "recv on a channel whose sender was dropped",
        "When the sender is dropped without sending, `state` becomes ABANDONED; \
         `recv` must check for it, or it waits forever for a value that cannot come.",
        || {
            let (sender, receiver) = channel::<u32>();
            thread::spawn(move || drop(sender)).join().unwrap();
            receiver.recv()
        },
    );
    assert_eq!(got, None, "no value was sent, so recv must return None");
}

#[test]
fn a_value_nobody_received_is_dropped_with_the_channel() {
    let value = Arc::new("payload");
    let (sender, receiver) = channel();
    sender.send(Arc::clone(&value));
    drop(receiver);
    assert_eq!(
        Arc::strong_count(&value),
        1,
        "the value sent but never received was leaked: it must be dropped when both \
         halves are gone"
    );
}

#[test]
fn many_values_cross_between_threads() {
    const CHANNELS: usize = 200;
    within(
        GENEROUS,
        "200 one-shot channels between two threads",
        "Each `recv` should return once its sender has sent.",
        || {
            let (senders, receivers): (Vec<_>, Vec<_>) = (0..CHANNELS).map(|_| channel()).unzip();
            let sending = thread::spawn(move || {
                for (n, sender) in senders.into_iter().enumerate() {
                    sender.send(vec![n; 4]);
                }
            });
            for (n, receiver) in receivers.into_iter().enumerate() {
                assert_eq!(
                    receiver.recv(),
                    Some(vec![n; 4]),
                    "channel {n} delivered the wrong value"
                );
            }
            sending.join().unwrap();
        },
    );
}
