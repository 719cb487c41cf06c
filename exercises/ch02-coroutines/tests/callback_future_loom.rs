// Loom model for exercise `callback_future` (chapter 2, "From callbacks to
// futures"). Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo
// workbook check callback_future` does that for you. The callback fires on a
// second thread while the first one polls, and loom runs the two under every
// interleaving of their lock operations. A poll that checks for the value
// under one lock and stores its waker under another leaves a window where the
// callback finds no waker: in that interleaving the wake-up is lost and this
// model fails, on every run, not once in a thousand.

#[cfg(loom)]
mod model {
    use ch02_exercises::callback_future::{Callback, from_callback};
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::sync::{Arc, Mutex};
    use loom::thread;
    use std::pin::Pin;
    use std::task::{Context, Poll, Wake, Waker};

    /// Counts wake-ups in a loom atomic, so loom sees the wake as an event.
    struct CountingWaker(Arc<AtomicUsize>);

    impl Wake for CountingWaker {
        fn wake(self: std::sync::Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    fn counting_waker() -> (Waker, Arc<AtomicUsize>) {
        let wakes = Arc::new(AtomicUsize::new(0));
        let waker = Waker::from(std::sync::Arc::new(CountingWaker(Arc::clone(&wakes))));
        (waker, wakes)
    }

    /// A future whose callback the test holds, to call from any thread.
    fn future_and_callback() -> (
        ch02_exercises::callback_future::CallbackFuture<u32>,
        Callback<u32>,
    ) {
        let slot: Arc<Mutex<Option<Callback<u32>>>> = Arc::new(Mutex::new(None));
        let registered = Arc::clone(&slot);
        let future = from_callback(move |callback| *registered.lock().unwrap() = Some(callback));
        let callback = slot
            .lock()
            .unwrap()
            .take()
            .expect("from_callback must hand `register` its callback");
        (future, callback)
    }

    /// The whole exchange on one thread first, so that a `todo!()` panics
    /// here, cleanly, and not while a second loom thread is alive.
    fn single_threaded_first() {
        loom::model(|| {
            let (mut future, callback) = future_and_callback();
            let (waker, wakes) = counting_waker();
            let mut cx = Context::from_waker(&waker);
            assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Pending);
            callback(1);
            assert_eq!(
                wakes.load(Ordering::SeqCst),
                1,
                "the callback wakes the task"
            );
            assert_eq!(Pin::new(&mut future).poll(&mut cx), Poll::Ready(1));
        });
    }

    #[test]
    fn a_callback_racing_the_poll_is_never_lost() {
        single_threaded_first();
        loom::model(|| {
            let (mut future, callback) = future_and_callback();
            let (waker, wakes) = counting_waker();
            let mut cx = Context::from_waker(&waker);
            let api = thread::spawn(move || callback(42));
            let first = Pin::new(&mut future).poll(&mut cx);
            api.join().unwrap();
            match first {
                Poll::Ready(value) => assert_eq!(value, 42, "the value the callback got"),
                Poll::Pending => {
                    assert_eq!(
                        wakes.load(Ordering::SeqCst),
                        1,
                        "the poll returned Pending, the callback then delivered the value, and \
                         nobody woke the task: the wake-up was lost. In this interleaving the \
                         callback ran after poll looked for the value but before it stored its \
                         waker. Look for the value and store the waker under one lock guard"
                    );
                    assert_eq!(
                        Pin::new(&mut future).poll(&mut cx),
                        Poll::Ready(42),
                        "after the wake-up, the next poll returns the value"
                    );
                }
            }
        });
    }
}
