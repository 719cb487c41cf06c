// wrong: the flag must be set before `unpark`: the loop can wake from `park`, find the flag still false, park again, and then the wake-up is lost.
//! # Exercise `s1_block_on`: run one future to completion without spinning
//!
//! Write `block_on`, the smallest event loop there is: poll the future, and
//! when it says `Pending`, put the thread to sleep until the future's waker
//! is called, from this thread or any other. Polling again without a wake-up
//! would burn a core for nothing.
//!
//! Book: chapter 3, "Step 1: block_on". Check: `cargo workbook check s1_block_on`.

use std::pin::pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

// ANCHOR: thread_waker
/// The waker `block_on` hands to its future: it remembers that a wake-up
/// happened and unparks the thread that runs the loop.
struct ThreadWaker {
    /// The thread blocked in `block_on`.
    loop_thread: Thread,
    /// Set by `wake`, cleared by the loop before it polls again. The flag
    /// tells a real wake-up apart from a spurious return of `park`.
    woken: AtomicBool,
}

impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        // Get the loop thread moving as early as possible, then leave the note.
        self.loop_thread.unpark();
        self.woken.store(true, Ordering::SeqCst);
    }
}

impl ThreadWaker {
    /// Blocks the calling thread until `wake` has been called at least once
    /// since the last call, and consumes that wake-up.
    fn wait_for_wake(&self) {
        while !self.woken.swap(false, Ordering::SeqCst) {
            thread::park();
        }
    }
}
// ANCHOR_END: thread_waker

// ANCHOR: block_on
/// Runs `future` on the current thread until it completes, and returns its
/// output. Between polls the thread sleeps; only the future's waker wakes it.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let thread_waker = Arc::new(ThreadWaker {
        loop_thread: thread::current(),
        woken: AtomicBool::new(false),
    });
    let waker = Waker::from(Arc::clone(&thread_waker));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut cx) {
            return output;
        }
        thread_waker.wait_for_wake();
    }
}
// ANCHOR_END: block_on
