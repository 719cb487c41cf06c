// Loom model for exercise `oneshot` (chapter 5, "Atomics and memory ordering").
// Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo workbook check
// oneshot` does that for you. Loom runs the two threads under every
// interleaving and every value the memory model allows a load to return,
// and fails ("causality violation") if the receiver reads the slot without
// being ordered after the sender's write: a `Relaxed` where `Release` (in
// `send`) or `Acquire` (in `try_recv`) is needed.

#[cfg(loom)]
mod model {
    use ch05_exercises::oneshot::channel;
    use loom::thread;
    use std::mem::ManuallyDrop;

    /// Runs the channel on one thread first. The halves are kept in
    /// `ManuallyDrop` so that if a method is still `todo!()`, the panic
    /// unwinds without dropping loom objects (which would abort the whole
    /// test process) and the test fails cleanly here.
    fn single_threaded_first() {
        loom::model(|| {
            let (sender, receiver) = channel::<u8>();
            let (mut sender, mut receiver) =
                (ManuallyDrop::new(sender), ManuallyDrop::new(receiver));
            assert_eq!(receiver.try_recv(), None, "nothing was sent yet");
            // Safety (of the test): each half is taken out exactly once.
            let sender = unsafe { ManuallyDrop::take(&mut sender) };
            sender.send(7);
            let receiver = unsafe { ManuallyDrop::take(&mut receiver) };
            assert_eq!(receiver.recv(), Some(7), "recv must return the value sent");
            let (sender, receiver) = channel::<u8>();
            drop(sender);
            assert_eq!(receiver.recv(), None, "a dropped sender must end the wait");
        });
    }

    #[test]
    fn the_value_sent_is_the_value_received() {
        single_threaded_first();
        loom::model(|| {
            let (sender, receiver) = channel();
            let sending = thread::spawn(move || sender.send(vec![1, 2, 3]));
            let got = receiver.recv();
            sending.join().unwrap();
            assert_eq!(
                got,
                Some(vec![1, 2, 3]),
                "the receiver must get exactly the value that was sent"
            );
        });
    }

    #[test]
    fn try_recv_sees_the_whole_value_once_it_is_ready() {
        single_threaded_first();
        loom::model(|| {
            let (sender, mut receiver) = channel();
            let sending = thread::spawn(move || sender.send(String::from("ready")));
            // Poll with `try_recv` only: its own load must order the read.
            let got = loop {
                if let Some(value) = receiver.try_recv() {
                    break value;
                }
                thread::yield_now();
            };
            sending.join().unwrap();
            assert_eq!(got, "ready", "try_recv must return exactly the value sent");
        });
    }

    #[test]
    fn a_dropped_sender_ends_the_wait() {
        single_threaded_first();
        loom::model(|| {
            let (sender, receiver) = channel::<u8>();
            let dropping = thread::spawn(move || drop(sender));
            assert_eq!(
                receiver.recv(),
                None,
                "a sender dropped without sending must make recv return None"
            );
            dropping.join().unwrap();
        });
    }
}
