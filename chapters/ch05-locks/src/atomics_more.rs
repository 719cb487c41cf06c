//! The listings of "Deeper atomics": a compare-exchange loop, fences, and
//! `OnceLock`.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering, fence};
use std::thread;

// ANCHOR: cas_loop
/// Doubles `value` atomically, however many threads do it at once, and
/// returns what it was. Read, compute, and publish only if nobody changed
/// the value in between; otherwise try again with what they wrote.
pub fn double(value: &AtomicU64) -> u64 {
    let mut seen = value.load(Ordering::Relaxed);
    loop {
        // `_weak` may fail even though `value == seen` (a "spurious"
        // failure, allowed so that it compiles to one LL/SC pair on ARM).
        // Inside a retry loop that costs one more turn and nothing else.
        match value.compare_exchange_weak(seen, seen * 2, Ordering::Relaxed, Ordering::Relaxed) {
            Ok(previous) => return previous,
            Err(current) => seen = current,
        }
    }
}
// ANCHOR_END: cas_loop

// ANCHOR: fences
/// Publishes `data` with a fence instead of a `Release` store: the fence
/// orders every write before it ahead of every store after it.
pub fn publish_with_fences() -> u64 {
    let data = AtomicU64::new(0);
    let ready = AtomicBool::new(false);
    thread::scope(|scope| {
        scope.spawn(|| {
            data.store(42, Ordering::Relaxed);
            fence(Ordering::Release);
            ready.store(true, Ordering::Relaxed);
        });
        let reader = scope.spawn(|| {
            while !ready.load(Ordering::Relaxed) {
                std::hint::spin_loop();
            }
            // Pairs with the writer's fence: the Relaxed load above saw a
            // store that came after that fence, so this fence makes the
            // writes before it visible.
            fence(Ordering::Acquire);
            data.load(Ordering::Relaxed)
        });
        reader.join().unwrap()
    })
}
// ANCHOR_END: fences

// ANCHOR: once_lock
/// A value computed once, on first use, by whichever thread gets there
/// first; every other caller waits for that one and then shares it.
pub fn settings() -> &'static Vec<String> {
    static SETTINGS: OnceLock<Vec<String>> = OnceLock::new();
    SETTINGS.get_or_init(|| {
        // Runs at most once per process, even with many threads racing here.
        vec!["workers=4".to_string(), "queue=64".to_string()]
    })
}
// ANCHOR_END: once_lock
