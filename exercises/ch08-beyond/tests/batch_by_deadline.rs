// Tests for exercise `batch_by_deadline` (chapter 8, "Batching by size or deadline").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Everything runs on tokio's paused clock: items arrive at chosen virtual
// instants and each batch is stamped with the virtual time it came out.

use ch08_exercises::batch_by_deadline::batches;
use futures::StreamExt;
use futures::channel::mpsc;
use std::time::Duration;
use tokio::time::Instant;

/// Sends each `(at_ms, item)` at that virtual time, then closes the input at `close_ms`.
fn scheduled(plan: &[(u64, u32)], close_ms: u64, start: Instant) -> mpsc::UnboundedReceiver<u32> {
    let (sender, receiver) = mpsc::unbounded();
    let plan = plan.to_vec();
    tokio::spawn(async move {
        for (at_ms, item) in plan {
            tokio::time::sleep_until(start + Duration::from_millis(at_ms)).await;
            sender
                .unbounded_send(item)
                .expect("the batcher dropped its input early");
        }
        tokio::time::sleep_until(start + Duration::from_millis(close_ms)).await;
        drop(sender);
    });
    receiver
}

/// Runs `batches` over the plan and returns each batch with the virtual ms it came out at.
async fn timed_batches(
    plan: &[(u64, u32)],
    close_ms: u64,
    max: usize,
    wait_ms: u64,
) -> Vec<(u64, Vec<u32>)> {
    let start = Instant::now();
    let input = scheduled(plan, close_ms, start);
    let mut output = batches(input, max, Duration::from_millis(wait_ms));
    let mut stamped = Vec::new();
    let collect = async {
        while let Some(batch) = output.next().await {
            stamped.push((start.elapsed().as_millis() as u64, batch));
        }
    };
    if tokio::time::timeout(Duration::from_secs(3600), collect)
        .await
        .is_err()
    {
        panic!(
            "the stream of batches had not ended an hour (virtual) after its input closed at \
             {close_ms} ms; batches so far: {stamped:?}. When the input ends, send the open batch \
             and end the stream."
        );
    }
    stamped
}

#[tokio::test(start_paused = true)]
async fn a_full_batch_goes_out_at_once() {
    let plan = [(0, 41), (10, 7), (20, 93), (30, 5), (40, 62), (50, 18)];
    let got = timed_batches(&plan, 60, 3, 1000).await;
    assert_eq!(
        got,
        vec![(20, vec![41, 7, 93]), (50, vec![5, 62, 18])],
        "max 3, wait 1 s, an item every 10 ms: each batch must go out the moment its third item \
         arrives (20 ms and 50 ms), without waiting for the deadline. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn a_partial_batch_goes_out_at_its_deadline() {
    let plan = [(0, 8), (30, 3), (250, 77)];
    let got = timed_batches(&plan, 400, 10, 100).await;
    assert_eq!(
        got,
        vec![(100, vec![8, 3]), (350, vec![77])],
        "max 10, wait 100 ms: the first batch opens at 0 ms and must go out at 100 ms with the \
         two items it has; the item at 250 ms opens the next batch, which goes out at 350 ms. \
         (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn the_deadline_counts_from_the_first_item_not_the_latest() {
    let plan = [(0, 1), (60, 2), (120, 3), (180, 4)];
    let got = timed_batches(&plan, 1000, 10, 100).await;
    assert_eq!(
        got,
        vec![(100, vec![1, 2]), (220, vec![3, 4])],
        "items every 60 ms with wait 100 ms: a batch goes out 100 ms after its first item (100 ms, \
         then 220 ms). Restarting the clock on every item (a debounce) would hold everything back \
         while items keep trickling in. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn a_quiet_spell_runs_no_clock() {
    let plan = [(530, 12)];
    let got = timed_batches(&plan, 2000, 10, 100).await;
    assert_eq!(
        got,
        vec![(630, vec![12])],
        "the only item arrives at 530 ms, wait 100 ms: its batch must go out at 630 ms. A timer \
         started before the first item (or ticking on a fixed interval) fires at the wrong time. \
         (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn a_full_batch_leaves_no_clock_running() {
    let plan = [(0, 4), (10, 5), (20, 6), (500, 9), (540, 2)];
    let got = timed_batches(&plan, 2000, 3, 100).await;
    assert_eq!(
        got,
        vec![(20, vec![4, 5, 6]), (600, vec![9, 2])],
        "the first batch fills at 20 ms; the next opens with the item at 500 ms and goes out at \
         600 ms. No empty batch may go out in between, and the first batch's deadline must not \
         carry over. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn the_end_of_input_flushes_the_open_batch_at_once() {
    let plan = [(0, 31), (5, 32)];
    let got = timed_batches(&plan, 10, 10, 1000).await;
    assert_eq!(
        got,
        vec![(10, vec![31, 32])],
        "the input ends at 10 ms with two items in the open batch: send them then (not at the \
         1 s deadline, and not never), then end. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_input_gives_no_batches() {
    let got = timed_batches(&[], 50, 4, 100).await;
    assert_eq!(
        got,
        vec![],
        "no items at all: no batch, not even an empty one, and the stream ends when its input does"
    );
}

#[tokio::test(start_paused = true)]
async fn max_one_sends_each_item_alone() {
    let plan = [(0, 6), (0, 1), (0, 8), (10, 3)];
    let got = timed_batches(&plan, 20, 1, 100).await;
    assert_eq!(
        got,
        vec![(0, vec![6]), (0, vec![1]), (0, vec![8]), (10, vec![3])],
        "max 1: every item is a full batch the moment it arrives, three at 0 ms and one at 10 ms. \
         Batches of two mean an off-by-one in the size check. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
async fn many_rounds_keep_every_item_in_order() {
    // 25 items, one every 7 ms; max 4 and wait 20 ms: three items fit in each
    // 20 ms window, so every batch times out, and the clock restarts at the
    // first item after each deadline (21, 42, ... ms), not at the deadline.
    let plan: Vec<(u64, u32)> = (0..25).map(|i| (i * 7, 100 + i as u32)).collect();
    let got = timed_batches(&plan, 400, 4, 20).await;
    let flattened: Vec<u32> = got.iter().flat_map(|(_, batch)| batch.clone()).collect();
    assert_eq!(
        flattened,
        (100..125).collect::<Vec<_>>(),
        "every item exactly once, in order, across all batches; got batches {got:?}"
    );
    for (at_ms, batch) in &got {
        assert!(
            !batch.is_empty() && batch.len() <= 4,
            "batch {batch:?} at {at_ms} ms: batches hold 1 to 4 items"
        );
    }
    let expected: Vec<(u64, Vec<u32>)> = vec![
        (20, vec![100, 101, 102]),
        (41, vec![103, 104, 105]),
        (62, vec![106, 107, 108]),
        (83, vec![109, 110, 111]),
        (104, vec![112, 113, 114]),
        (125, vec![115, 116, 117]),
        (146, vec![118, 119, 120]),
        (167, vec![121, 122, 123]),
        (188, vec![124]),
    ];
    assert_eq!(
        got, expected,
        "items every 7 ms, wait 20 ms: each batch times out 20 ms after its first item, having \
         collected three. (ms, batch) pairs shown."
    );
}

#[tokio::test(start_paused = true)]
#[should_panic(expected = "max must be at least 1")]
async fn max_zero_is_refused() {
    let (_sender, receiver) = mpsc::unbounded::<u32>();
    let _never = batches(receiver, 0, Duration::from_millis(10));
}
