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
    // TODO: at or below SEQUENTIAL_CUTOFF items, use the stable `sort` and
    // return. Otherwise split at the middle (`split_at_mut`), sort the two
    // halves with `rayon::join`, `merge` them and copy the result back
    // (`clone_from_slice`).
    todo!()
}
// ANCHOR_END: par_merge_sort

// ANCHOR: merge
/// Merges two sorted slices into one sorted `Vec`. On a tie the item from
/// `left` comes first, which keeps the sort stable.
pub fn merge<T: Ord + Clone>(left: &[T], right: &[T]) -> Vec<T> {
    // TODO: walk both slices with two indices, always taking the smaller
    // head (the left one on a tie), then append what is left of each.
    todo!()
}
// ANCHOR_END: merge
