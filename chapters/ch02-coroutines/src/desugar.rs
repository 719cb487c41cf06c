//! An `async fn` and, next to it, the state machine the compiler turns it
//! into, written out by hand.

use crate::trace::{Sleep, sleep};
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

// ANCHOR: async_version
/// Doubles `x`, waits a little, adds one.
pub async fn slow_double(x: u32, delay: Duration) -> u32 {
    let doubled = x * 2;
    sleep(delay, false).await;
    doubled + 1
}
// ANCHOR_END: async_version

// ANCHOR: states
/// `slow_double` by hand. Each variant is a place the function can be
/// suspended, holding the variables still alive there.
pub enum SlowDouble {
    /// Called but not yet polled: only the arguments exist.
    Start { x: u32, delay: Duration },
    /// Suspended at the `.await`: `doubled` is alive across it, and so is
    /// the future being awaited.
    Sleeping { doubled: u32, sleep: Sleep },
    /// Returned. Polling again is a bug.
    Done,
}

/// What calling `slow_double(x, delay)` does: build the state, run nothing.
pub fn slow_double_by_hand(x: u32, delay: Duration) -> SlowDouble {
    SlowDouble::Start { x, delay }
}
// ANCHOR_END: states

// ANCHOR: same_type
/// `slow_double` spelled as what it is: an ordinary function that returns a
/// future. Callers cannot tell the two apart. (Clippy would rewrite it as
/// the `async fn` it is; here the long spelling is the point.)
#[allow(clippy::manual_async_fn)]
pub fn slow_double_spelled_out(x: u32, delay: Duration) -> impl Future<Output = u32> {
    async move {
        let doubled = x * 2;
        sleep(delay, false).await;
        doubled + 1
    }
}

/// Where Python asks `inspect.iscoroutinefunction(f)` at run time, Rust
/// states "`make` returns something to await" as a bound, checked when the
/// program compiles. `slow_double`, `slow_double_spelled_out` and
/// `slow_double_by_hand` all fit; a function returning a plain `u32` does not.
pub fn start_with<Make, Fut>(make: Make, x: u32) -> Fut
where
    Make: Fn(u32, Duration) -> Fut,
    Fut: Future<Output = u32>,
{
    make(x, Duration::from_millis(1))
}
// ANCHOR_END: same_type

// ANCHOR: poll
impl Future for SlowDouble {
    type Output = u32;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
        // Each turn of the loop runs the code between two suspension points.
        loop {
            match &mut *self {
                SlowDouble::Start { x, delay } => {
                    // The code before the `.await`...
                    let doubled = *x * 2;
                    let sleep = sleep(*delay, false);
                    // ...then move to the await point and go on polling.
                    *self = SlowDouble::Sleeping { doubled, sleep };
                }
                SlowDouble::Sleeping { doubled, sleep } => {
                    // `.await` = poll the inner future; if it is not ready,
                    // we are not ready either: suspend, keeping our state.
                    match Pin::new(sleep).poll(cx) {
                        Poll::Pending => return Poll::Pending,
                        Poll::Ready(()) => {
                            // The code after the `.await`.
                            let result = *doubled + 1;
                            *self = SlowDouble::Done;
                            return Poll::Ready(result);
                        }
                    }
                }
                SlowDouble::Done => panic!("SlowDouble polled after completion"),
            }
        }
    }
}
// ANCHOR_END: poll
