// Tests for exercise `word_count` (chapter 4, "Rayon and work stealing").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch04_exercises::word_count::{Counts, count_line, merge_counts, word_frequencies};

fn counts(pairs: &[(&str, usize)]) -> Counts {
    pairs.iter().map(|&(w, n)| (w.to_string(), n)).collect()
}

#[test]
fn a_line_is_split_on_anything_but_letters_and_digits() {
    let got = count_line(Counts::new(), "Rust, rust! RUST? threads--and processes 42");
    assert_eq!(
        got,
        counts(&[
            ("rust", 3),
            ("threads", 1),
            ("and", 1),
            ("processes", 1),
            ("42", 1)
        ]),
        "\"Rust, rust! RUST?\" is the word \"rust\" three times: split on every \
         non-alphanumeric character (not only spaces), drop empty pieces, and lowercase"
    );
}

#[test]
fn counting_a_line_adds_to_the_counts_given() {
    let got = count_line(counts(&[("rust", 2), ("go", 1)]), "rust");
    assert_eq!(
        got,
        counts(&[("rust", 3), ("go", 1)]),
        "count_line is a fold step: it adds to the map it is given instead of starting afresh"
    );
}

#[test]
fn merging_adds_counts_of_the_same_word() {
    let merged = merge_counts(
        counts(&[("rust", 2), ("threads", 1)]),
        counts(&[("rust", 3), ("processes", 4)]),
    );
    assert_eq!(
        merged,
        counts(&[("rust", 5), ("threads", 1), ("processes", 4)]),
        "\"rust\" was counted 2 times by one worker and 3 by another: the merged count is 5. \
         `extend` or `insert` would keep one side's count and lose the other"
    );
}

#[test]
fn many_lines_counted_in_parallel_match_the_sequential_count() {
    let line = "the pool runs the jobs and the workers steal the work";
    let lines: Vec<&str> = std::iter::repeat_n(line, 2_000).collect();
    // A pool of 4 threads splits the lines into several pieces, each folded
    // into its own map, so the merge step really runs.
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(4)
        .build()
        .unwrap();
    let got = pool.install(|| word_frequencies(&lines));
    assert_eq!(
        got.get("the"),
        Some(&8_000),
        "\"the\" appears 4 times in each of 2 000 lines: expected 8 000. A smaller count \
         means some workers' maps were lost when they were merged"
    );
    assert_eq!(got.get("steal"), Some(&2_000));
    assert_eq!(got.len(), 8, "the line has 8 different words");
    assert!(word_frequencies(&[]).is_empty(), "no lines, no words");
}
