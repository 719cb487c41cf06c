//! The one copy of `paused`, shared by chapter 6's test files.
//!
//! Each test file takes it with
//! `#[path = "support/paused.rs"] mod paused;`; the solution crate's tests
//! `include!` those files, and the path still resolves next to the exercise's
//! file, because `include!` makes the included file's folder the place where
//! its `mod` declarations are looked up. Cargo does not build this file as a
//! test of its own: only `tests/*.rs` and `tests/*/main.rs` are test targets.
//!
//! It is not in `kit` on purpose: `start_paused` needs tokio's `test-util`
//! feature, and a `kit` that switched it on would switch it on for every crate
//! that depends on `kit`, hiding a crate that forgot to declare it in its own
//! dev-dependencies.

use kit::watchdog::{GENEROUS, within};

/// Runs `test` on a one-thread runtime with tokio's paused clock, under the
/// watchdog. `what` names the test in the watchdog's report; `hang_hint` says
/// which mistake most likely blocked the runtime's only thread, since nothing
/// on a paused clock should ever need real time.
pub fn paused<F: Future>(
    what: &str,
    hang_hint: &str,
    test: impl FnOnce() -> F + Send + 'static,
) -> F::Output
where
    F::Output: Send + 'static,
{
    within(GENEROUS, what, hang_hint, move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .start_paused(true)
            .build()
            .expect("build a runtime")
            .block_on(test())
    })
}
