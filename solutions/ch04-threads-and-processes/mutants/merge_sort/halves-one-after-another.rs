// wrong: the two halves go through `rayon::join` so an idle worker can steal one: sorting them one after the other keeps the whole sort on a single thread.
//! # Exercise `merge_sort`: a parallel merge sort with `rayon::join`
//!
//! Sort a slice by splitting it in two, sorting both halves *potentially in
//! parallel* with `rayon::join`, and merging them. Rayon decides whether
//! the second half really runs on another thread: an idle worker steals it.
//! The sort must be stable (equal items keep their order).
//!
//! Book: chapter 4, "Rayon and work stealing". Check: `cargo workbook check merge_sort`.

/// Below this length a slice is sorted on the current thread: splitting
/// tiny slices costs more than it saves.
pub const SEQUENTIAL_CUTOFF: usize = 64;

// ANCHOR: par_merge_sort
/// Sorts `items` in place, stably, with the two halves of every split
/// sorted through `rayon::join`.
pub fn par_merge_sort<T: Ord + Send + Clone>(items: &mut [T]) {
    if items.len() <= SEQUENTIAL_CUTOFF {
        items.sort();
        return;
    }
    let middle = items.len() / 2;
    let (left, right) = items.split_at_mut(middle);
    par_merge_sort(left);
    par_merge_sort(right);
    let merged = merge(left, right);
    items.clone_from_slice(&merged);
}
// ANCHOR_END: par_merge_sort

// ANCHOR: merge
/// Merges two sorted slices into one sorted `Vec`. On a tie the item from
/// `left` comes first, which keeps the sort stable.
pub fn merge<T: Ord + Clone>(left: &[T], right: &[T]) -> Vec<T> {
    let mut merged = Vec::with_capacity(left.len() + right.len());
    let (mut i, mut j) = (0, 0);
    while i < left.len() && j < right.len() {
        if right[j] < left[i] {
            merged.push(right[j].clone());
            j += 1;
        } else {
            merged.push(left[i].clone());
            i += 1;
        }
    }
    merged.extend_from_slice(&left[i..]);
    merged.extend_from_slice(&right[j..]);
    merged
}
// ANCHOR_END: merge
