// Tests for exercise `merge_sort` (chapter 4, "Rayon and work stealing").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

include!("support/rendezvous.rs");

use ch04_exercises::merge_sort::{merge, par_merge_sort};
use kit::watchdog::{GENEROUS, within};
use std::cmp::Ordering;
use std::sync::Arc;

/// A card with a rank that orders it and a serial number that does not: a
/// stable sort keeps cards of equal rank in serial order. A card can carry
/// a rendezvous that every comparison passes through.
#[derive(Clone)]
struct Card {
    rank: u32,
    serial: usize,
    probe: Option<Arc<Rendezvous>>,
}

impl PartialEq for Card {
    fn eq(&self, other: &Self) -> bool {
        self.rank == other.rank
    }
}
impl Eq for Card {}
impl PartialOrd for Card {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Card {
    fn cmp(&self, other: &Self) -> Ordering {
        if let Some(probe) = &self.probe {
            probe.arrive();
        }
        self.rank.cmp(&other.rank)
    }
}

/// `count` cards with pseudo-random ranks below `ranks` (a fixed sequence).
fn deal(count: usize, ranks: u32, probe: Option<Arc<Rendezvous>>) -> Vec<Card> {
    let mut state: u32 = 12_345;
    (0..count)
        .map(|serial| {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            Card {
                rank: (state >> 16) % ranks,
                serial,
                probe: probe.clone(),
            }
        })
        .collect()
}

fn is_sorted_and_stable(cards: &[Card]) -> bool {
    cards
        .windows(2)
        .all(|w| (w[0].rank, w[0].serial) < (w[1].rank, w[1].serial))
}

#[test]
fn merge_takes_the_smaller_head_each_time() {
    assert_eq!(
        merge(&[1, 4, 9], &[2, 3, 10, 11]),
        vec![1, 2, 3, 4, 9, 10, 11]
    );
    assert_eq!(
        merge::<u8>(&[], &[5]),
        vec![5],
        "merging with an empty side copies the other"
    );
    assert_eq!(merge(&[7], &[]), vec![7]);
}

#[test]
fn sorts_a_large_slice() {
    let mut numbers: Vec<u64> = (0..10_000).map(|n| (n * 7_919) % 10_007).collect();
    let mut expected = numbers.clone();
    expected.sort();
    par_merge_sort(&mut numbers);
    assert!(
        numbers == expected,
        "the slice is not sorted: check the merge and that the merged Vec is copied back"
    );
}

#[test]
fn equal_items_keep_their_order() {
    let mut cards = deal(5_000, 10, None);
    par_merge_sort(&mut cards);
    let first_bad = cards
        .windows(2)
        .position(|w| (w[0].rank, w[0].serial) > (w[1].rank, w[1].serial));
    assert!(
        is_sorted_and_stable(&cards),
        "cards of equal rank changed order (first at position {first_bad:?}): a merge sort \
         is stable only if a tie takes the item from the left half, and the small slices \
         are sorted with the stable `sort`, not `sort_unstable`"
    );
}

#[test]
fn both_halves_are_sorted_at_the_same_time() {
    let probe = Arc::new(Rendezvous::new(2));
    let mut cards = deal(2_000, 1_000, Some(Arc::clone(&probe)));
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .build()
        .unwrap();
    let cards = within(
        GENEROUS,
        "par_merge_sort on 2 rayon threads",
        "",
        move || {
            pool.install(|| par_merge_sort(&mut cards));
            cards
        },
    );
    assert!(is_sorted_and_stable(&cards), "the cards are not sorted");
    assert_eq!(
        probe.peak(),
        2,
        "on a pool of 2 threads, at most {} comparison ran at a time: the two halves must go \
         through `rayon::join(|| sort(left), || sort(right))` so that the idle worker can \
         steal one of them",
        probe.peak()
    );
}
