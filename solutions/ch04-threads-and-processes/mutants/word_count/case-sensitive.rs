// wrong: words are compared in lowercase: without `to_lowercase`, "Rust" and "rust" are counted apart.
//! # Exercise `word_count`: a rayon pipeline that counts words
//!
//! Count how often each word appears in a list of lines with rayon: every
//! worker folds the lines it gets into a map of its own, and the maps are
//! then merged pairwise. No lock is shared; each map has one owner at a time.
//!
//! Book: chapter 4, "Rayon and work stealing". Check: `cargo workbook check word_count`.

use rayon::prelude::*;
use std::collections::HashMap;

/// Word -> how many times it appears.
pub type Counts = HashMap<String, usize>;

// ANCHOR: word_frequencies
/// Counts the words of all `lines` in parallel: `fold` each worker's lines
/// into a `Counts` with [`count_line`], then `reduce` the maps with
/// [`merge_counts`].
pub fn word_frequencies(lines: &[&str]) -> Counts {
    lines
        .par_iter()
        .fold(Counts::new, |counts, line| count_line(counts, line))
        .reduce(Counts::new, merge_counts)
}
// ANCHOR_END: word_frequencies

// ANCHOR: count_line
/// Adds the words of `line` to `counts`. A word is a run of alphanumeric
/// characters, compared in lowercase: "Rust, rust!" holds "rust" twice.
pub fn count_line(mut counts: Counts, line: &str) -> Counts {
    for word in line.split(|c: char| !c.is_alphanumeric()) {
        if word.is_empty() {
            continue;
        }
        *counts.entry(word.to_string()).or_insert(0) += 1;
    }
    counts
}
// ANCHOR_END: count_line

// ANCHOR: merge_counts
/// Merges two partial counts: a word counted in both maps adds up.
pub fn merge_counts(mut into: Counts, from: Counts) -> Counts {
    for (word, n) in from {
        *into.entry(word).or_insert(0) += n;
    }
    into
}
// ANCHOR_END: merge_counts
