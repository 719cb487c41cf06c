// Tests for exercise `fair_merge` (chapter 8, "Merging streams fairly").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch08_exercises::fair_merge::{FairMerge, fair_merge};
use futures::channel::mpsc;
use futures::stream::{BoxStream, Stream, StreamExt};
use kit::poll::WakeCounter;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};

type Input = BoxStream<'static, String>;

/// One step of a scripted stream.
#[derive(Clone, Copy)]
enum Step {
    Item(&'static str),
    /// Returns Pending once, waking itself (like a stream waiting on a quick I/O).
    Busy,
}

/// A stream that plays its script, then ends, and panics if polled after the end.
struct Checked {
    name: &'static str,
    script: VecDeque<Step>,
    ended: bool,
}

impl Stream for Checked {
    type Item = String;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<String>> {
        assert!(
            !self.ended,
            "stream `{}` was polled again after it returned None: an ended stream must be marked \
             and skipped, never polled again",
            self.name
        );
        match self.script.pop_front() {
            Some(Step::Item(item)) => Poll::Ready(Some(item.to_string())),
            Some(Step::Busy) => {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
            None => {
                self.ended = true;
                Poll::Ready(None)
            }
        }
    }
}

fn scripted(name: &'static str, script: &[Step]) -> Input {
    Checked {
        name,
        script: script.iter().copied().collect(),
        ended: false,
    }
    .boxed()
}

fn items(name: &'static str, list: &[&'static str]) -> Input {
    let script: Vec<Step> = list.iter().map(|item| Step::Item(item)).collect();
    scripted(name, &script)
}

fn poll_once(merge: &mut FairMerge<Input>, counter: &Arc<WakeCounter>) -> Poll<Option<String>> {
    let waker = counter.waker();
    let mut cx = Context::from_waker(&waker);
    Pin::new(merge).poll_next(&mut cx)
}

/// Polls until the merge ends, returns Pending, or 100 polls went by.
fn drain(merge: &mut FairMerge<Input>) -> (Vec<String>, Poll<Option<String>>) {
    let counter = WakeCounter::new();
    let mut got = Vec::new();
    for _ in 0..100 {
        match poll_once(merge, &counter) {
            Poll::Ready(Some(item)) => got.push(item),
            other => return (got, other),
        }
    }
    panic!("the merge yielded 100 items from inputs that hold far fewer: {got:?}");
}

#[test]
fn always_ready_streams_take_turns() {
    let mut merge = fair_merge(vec![
        items("a", &["a1", "a2", "a3"]),
        items("b", &["b1", "b2"]),
        items("c", &["c1", "c2", "c3", "c4"]),
    ]);
    let (got, last) = drain(&mut merge);
    assert_eq!(
        got,
        ["a1", "b1", "c1", "a2", "b2", "c2", "a3", "c3", "c4"],
        "three streams that always have an item ready must take turns, a b c a b c ..., and the \
         longer ones go on after the shorter end. Starting every poll at stream 0 lets the first \
         stream starve the rest; ending at the first None loses items."
    );
    assert_eq!(
        last,
        Poll::Ready(None),
        "every input ended, so the merge ends"
    );
}

#[test]
fn the_turn_passes_to_the_stream_after_the_one_that_yielded() {
    use Step::{Busy, Item};
    let mut merge = fair_merge(vec![
        scripted("a", &[Item("a1"), Item("a2"), Item("a3")]),
        scripted("b", &[Busy, Busy, Item("b1")]),
        scripted("c", &[Item("c1"), Item("c2"), Item("c3")]),
    ]);
    let (got, last) = drain(&mut merge);
    assert_eq!(
        got,
        ["a1", "c1", "a2", "c2", "a3", "b1", "c3"],
        "b is busy on its first two turns. After c yields, the next turn is a's (the stream after \
         the winner), not c's again: moving the start one step per poll, whoever yielded, gives \
         c two turns in a row."
    );
    assert_eq!(
        last,
        Poll::Ready(None),
        "every input ended, so the merge ends"
    );
}

#[test]
fn a_stream_that_ends_first_does_not_end_the_merge() {
    let mut merge = fair_merge(vec![
        items("empty", &[]),
        items("b", &["b1", "b2"]),
        items("c", &["c1"]),
    ]);
    let (got, last) = drain(&mut merge);
    assert_eq!(
        got,
        ["b1", "c1", "b2"],
        "the first input is empty and ends at once; the merge must go on with the others"
    );
    assert_eq!(
        last,
        Poll::Ready(None),
        "then every input ended: the merge ends"
    );
    assert_eq!(
        poll_once(&mut merge, &WakeCounter::new()),
        Poll::Ready(None),
        "a merge that ended stays ended (and polls none of its inputs again)"
    );
}

#[test]
fn no_streams_means_the_merge_ends_at_once() {
    let mut merge = fair_merge(Vec::<Input>::new());
    assert_eq!(
        poll_once(&mut merge, &WakeCounter::new()),
        Poll::Ready(None),
        "merging no streams at all: the first poll must return Ready(None) (not Pending, which \
         nothing would ever wake, and not a division by zero)"
    );
}

#[test]
fn one_stream_passes_through() {
    let mut merge = fair_merge(vec![items("only", &["x", "y", "z"])]);
    let (got, last) = drain(&mut merge);
    assert_eq!(got, ["x", "y", "z"], "a single input comes out unchanged");
    assert_eq!(last, Poll::Ready(None), "and ends when it ends");
}

#[test]
fn a_pending_stream_does_not_block_the_others() {
    let (_quiet_sender, quiet) = mpsc::unbounded::<String>();
    let mut merge = fair_merge(vec![quiet.boxed(), items("b", &["b1", "b2"])]);
    let (got, last) = drain(&mut merge);
    assert_eq!(
        got,
        ["b1", "b2"],
        "the first input has nothing yet; the second has two items ready. Returning Pending as \
         soon as one input is Pending blocks the rest: go on to the next stream."
    );
    assert_eq!(
        last,
        Poll::Pending,
        "after b ended, the first input is still open with nothing in it: Pending, not the end"
    );
}

#[test]
fn every_waiting_stream_can_wake_the_merge() {
    for which in 0..3 {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..3).map(|_| mpsc::unbounded::<String>()).unzip();
        let mut merge = fair_merge(receivers.into_iter().map(StreamExt::boxed).collect());
        let counter = WakeCounter::new();
        assert_eq!(
            poll_once(&mut merge, &counter),
            Poll::Pending,
            "three empty open inputs: Pending"
        );
        senders[which]
            .unbounded_send(format!("from-{which}"))
            .unwrap();
        assert!(
            counter.wakes() >= 1,
            "the merge returned Pending, then input #{which} got an item, and nobody woke the \
             merge: every live input must be polled (and so hold the waker) before returning \
             Pending"
        );
        assert_eq!(
            poll_once(&mut merge, &counter),
            Poll::Ready(Some(format!("from-{which}"))),
            "the woken merge yields input #{which}'s item"
        );
    }
}

#[test]
fn ties_alternate_over_many_rounds() {
    let (senders, receivers): (Vec<_>, Vec<_>) =
        (0..2).map(|_| mpsc::unbounded::<String>()).unzip();
    let mut merge = fair_merge(receivers.into_iter().map(StreamExt::boxed).collect());
    let counter = WakeCounter::new();
    // The left input gets a backlog; the right gets one item per round.
    for n in 0..12 {
        senders[0].unbounded_send(format!("left{n}")).unwrap();
    }
    let mut got = Vec::new();
    for round in 0..4 {
        senders[1].unbounded_send(format!("right{round}")).unwrap();
        for _ in 0..2 {
            match poll_once(&mut merge, &counter) {
                Poll::Ready(Some(item)) => got.push(item),
                other => panic!(
                    "round {round}: both inputs have items, but the merge returned {other:?}"
                ),
            }
        }
    }
    let expected: Vec<String> = (0..4)
        .flat_map(|n| [format!("left{n}"), format!("right{n}")])
        .collect();
    assert_eq!(
        got, expected,
        "both inputs have an item ready at every poll (a tie): they must alternate, so the right \
         input's item comes out within two polls although the left has a backlog"
    );
}

#[test]
fn spurious_polls_and_wake_ups_lose_nothing() {
    for seed in 0..50u64 {
        let (senders, receivers): (Vec<_>, Vec<_>) =
            (0..3).map(|_| mpsc::unbounded::<String>()).unzip();
        let producers: Vec<_> = senders
            .into_iter()
            .enumerate()
            .map(|(source, sender)| {
                std::thread::spawn(move || {
                    for n in 0..15 {
                        sender.unbounded_send(format!("{source}:{n}")).unwrap();
                    }
                })
            })
            .collect();
        let merge = fair_merge(receivers.into_iter().map(StreamExt::boxed).collect());
        // A fresh waker per poll, plus seeded spurious polls and wake-ups.
        let got: Vec<String> = kit::spurious::run_with_noise(merge.collect(), seed);
        for producer in producers {
            producer.join().unwrap();
        }
        for source in 0..3 {
            let from_source: Vec<&String> = got
                .iter()
                .filter(|item| item.starts_with(&format!("{source}:")))
                .collect();
            let expected: Vec<String> = (0..15).map(|n| format!("{source}:{n}")).collect();
            assert_eq!(
                from_source,
                expected.iter().collect::<Vec<_>>(),
                "seed {seed}: input #{source}'s 15 items must all come out, in their order, and \
                 the merge must end once all three inputs end; got {got:?}"
            );
        }
    }
}
