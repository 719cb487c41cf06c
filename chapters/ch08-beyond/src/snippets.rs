//! Small pieces of code the chapter's page shows, compiled and tested here.

use futures::stream::{self, Stream};
use std::time::Duration;

// ANCHOR: unfold
/// A countdown as `unfold`: the state goes in, `(item, next state)` comes out.
pub fn countdown_unfold(from: u32) -> impl Stream<Item = u32> {
    stream::unfold(from, |left| async move {
        if left == 0 {
            None
        } else {
            tokio::time::sleep(Duration::from_millis(1)).await;
            Some((left, left - 1))
        }
    })
}
// ANCHOR_END: unfold

// ANCHOR: stream_macro
/// The same countdown with `async_stream::stream!`: a loop with `yield`.
pub fn countdown_macro(from: u32) -> impl Stream<Item = u32> {
    async_stream::stream! {
        for left in (1..=from).rev() {
            tokio::time::sleep(Duration::from_millis(1)).await;
            yield left;
        }
    }
}
// ANCHOR_END: stream_macro

// ANCHOR: async_closure
/// Calls an async closure on every item, one after another. `AsyncFn` (Rust
/// 1.85) lets the closure's future borrow from the closure itself, which
/// `Fn() -> impl Future` cannot express.
pub async fn for_each_async(items: &[u32], visit: impl AsyncFn(u32) -> u32) -> u32 {
    let mut total = 0;
    for &item in items {
        total += visit(item).await;
    }
    total
}

pub async fn sum_of_doubles(items: &[u32]) -> u32 {
    let factor = 2;
    // An async closure: `async |x| ...`, capturing `factor` by reference.
    for_each_async(items, async |item| item * factor).await
}
// ANCHOR_END: async_closure

// ANCHOR: joinset
/// Runs every job in a `JoinSet`; at the first failure, aborts the rest
/// (what asyncio's `TaskGroup` and trio's nurseries do for you). Dropping
/// the set would abort them too; failing alone cancels nothing.
pub async fn all_or_nothing(jobs: Vec<(u64, bool)>) -> Result<usize, String> {
    let mut set = tokio::task::JoinSet::new();
    for (id, (millis, fails)) in jobs.into_iter().enumerate() {
        set.spawn(async move {
            tokio::time::sleep(Duration::from_millis(millis)).await;
            if fails {
                Err(format!("job {id} failed"))
            } else {
                Ok(id)
            }
        });
    }
    let mut done = 0;
    while let Some(joined) = set.join_next().await {
        match joined.expect("a job panicked") {
            Ok(_) => done += 1,
            Err(error) => {
                set.abort_all(); // the siblings stop at their next .await
                return Err(error);
            }
        }
    }
    Ok(done)
}
// ANCHOR_END: joinset

// ANCHOR: not_send_fixed
/// Holding a `std::sync::MutexGuard` across an `.await` makes the future
/// `!Send` (the guard must be released on the thread that took it), so
/// `tokio::spawn` refuses it. Ending the guard's scope before the `.await`
/// fixes it.
pub async fn bump_then_wait(counter: &std::sync::Mutex<u64>) -> u64 {
    let now = {
        let mut guard = counter.lock().unwrap();
        *guard += 1;
        *guard
    }; // guard dropped here, before the await
    tokio::time::sleep(Duration::from_millis(1)).await;
    now
}
// ANCHOR_END: not_send_fixed

// ANCHOR: box_pin
/// A future that keeps a 64 KiB buffer across an `.await` is at least 64 KiB
/// itself: every future that awaits it embeds it. `Box::pin` moves it to the
/// heap, leaving a 16-byte pointer behind.
pub async fn big_state() -> u8 {
    let buffer = [1u8; 64 * 1024];
    tokio::time::sleep(Duration::from_millis(1)).await;
    buffer[0]
}

pub fn sizes() -> (usize, usize) {
    let inline = std::mem::size_of_val(&big_state());
    let boxed: std::pin::Pin<Box<dyn Future<Output = u8> + Send>> = Box::pin(big_state());
    (inline, std::mem::size_of_val(&boxed))
}
// ANCHOR_END: box_pin

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[tokio::test(start_paused = true)]
    async fn both_countdowns_agree() {
        let by_unfold: Vec<u32> = countdown_unfold(3).collect().await;
        let by_macro: Vec<u32> = countdown_macro(3).collect().await;
        assert_eq!(by_unfold, vec![3, 2, 1]);
        assert_eq!(by_macro, by_unfold);
    }

    #[tokio::test(start_paused = true)]
    async fn async_closure_sums() {
        assert_eq!(sum_of_doubles(&[1, 2, 3]).await, 12);
    }

    #[tokio::test(start_paused = true)]
    async fn first_failure_aborts_the_rest() {
        let started = tokio::time::Instant::now();
        let outcome = all_or_nothing(vec![(10, false), (20, true), (5_000, false)]).await;
        assert_eq!(outcome, Err("job 1 failed".to_string()));
        assert_eq!(
            started.elapsed(),
            Duration::from_millis(20),
            "the 5 s job was aborted, not awaited"
        );
        assert_eq!(all_or_nothing(vec![(1, false), (2, false)]).await, Ok(2));
    }

    #[tokio::test(start_paused = true)]
    async fn the_fixed_future_is_send() {
        let counter = std::sync::Arc::new(std::sync::Mutex::new(0));
        let shared = counter.clone();
        let task = tokio::spawn(async move { bump_then_wait(&shared).await });
        assert_eq!(task.await.unwrap(), 1);
    }

    #[test]
    fn boxing_shrinks_the_future() {
        let (inline, boxed) = sizes();
        assert!(inline >= 64 * 1024, "inline future is {inline} bytes");
        assert_eq!(boxed, 16, "a boxed dyn future is a fat pointer");
    }
}
