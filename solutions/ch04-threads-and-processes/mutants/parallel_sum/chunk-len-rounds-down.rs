// wrong: the chunk length rounds up (`div_ceil`): rounding it down splits the numbers into more chunks, and so more threads, than asked for (10 numbers on 4 threads give 5 chunks).
//! # Exercise `parallel_sum`: sum a slice on several threads at once
//!
//! Split the numbers into one chunk per thread, sum every chunk on a scoped
//! thread that borrows the slice (no copying, no `Arc`), and add up the
//! partial sums. The tests record which thread summed each chunk, so a
//! "parallel" sum that really runs on one thread does not pass.
//!
//! Book: chapter 4, "Scoped threads borrow". Check: `cargo workbook check parallel_sum`.

use std::thread;

// ANCHOR: parallel_sum
/// Sums `numbers` on `threads` threads; see [`parallel_sum_by`].
pub fn parallel_sum(numbers: &[u64], threads: usize) -> u64 {
    parallel_sum_by(numbers, threads, |chunk| chunk.iter().sum())
}
// ANCHOR_END: parallel_sum

// ANCHOR: parallel_sum_by
/// Splits `numbers` into chunks of `numbers.len().div_ceil(threads)`
/// numbers (the last one may be shorter), calls `sum_chunk` on each chunk
/// on a thread of its own, all at the same time, and returns the total.
/// An empty slice sums to 0 without starting any thread.
///
/// # Panics
/// If `threads` is 0: "needs at least one thread".
pub fn parallel_sum_by<F>(numbers: &[u64], threads: usize, sum_chunk: F) -> u64
where
    F: Fn(&[u64]) -> u64 + Sync,
{
    assert!(threads > 0, "needs at least one thread");
    if numbers.is_empty() {
        return 0;
    }
    let chunk_len = (numbers.len() / threads).max(1);
    let sum_chunk = &sum_chunk;
    thread::scope(|scope| {
        let handles: Vec<_> = numbers
            .chunks(chunk_len)
            .map(|chunk| scope.spawn(move || sum_chunk(chunk)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a chunk's thread panicked"))
            .sum()
    })
}
// ANCHOR_END: parallel_sum_by
