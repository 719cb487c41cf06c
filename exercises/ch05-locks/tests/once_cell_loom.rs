// Loom model for exercise `once_cell` (chapter 5, "`OnceLock`: initialise once, read forever").
// Runs only when built with `RUSTFLAGS="--cfg loom"`; `cargo workbook check
// once_cell` does that for you. Loom runs the two threads under every
// interleaving and fails ("causality violation") if a reader touches the
// value without being ordered after its write.

#[cfg(loom)]
mod model {
    use ch05_exercises::once_cell::OnceCell;
    use loom::sync::Arc;
    use loom::sync::atomic::{AtomicUsize, Ordering};
    use loom::thread;

    /// Runs the cell on one thread first: if a method is still `todo!()`,
    /// the test fails here cleanly (a panic that unwinds through live loom
    /// threads aborts the whole process).
    fn single_threaded_first() {
        loom::model(|| {
            let cell = OnceCell::new();
            assert!(cell.get().is_none(), "nothing stored yet");
            assert_eq!(*cell.get_or_init(|| 5), 5);
            assert_eq!(cell.get(), Some(&5));
        });
    }

    /// Two threads race to initialise. Whatever the interleaving, `init`
    /// runs once and both return the same, fully written value.
    #[test]
    fn two_racers_run_init_once() {
        single_threaded_first();
        loom::model(|| {
            let cell = Arc::new(OnceCell::new());
            let calls = Arc::new(AtomicUsize::new(0));
            let racer = |name: &'static str| {
                let (cell, calls) = (Arc::clone(&cell), Arc::clone(&calls));
                move || {
                    cell.get_or_init(|| {
                        calls.fetch_add(1, Ordering::Relaxed);
                        String::from(name)
                    })
                    .clone()
                }
            };
            let other = thread::spawn(racer("other"));
            let mine = racer("main")();
            let theirs = other.join().unwrap();
            assert_eq!(
                calls.load(Ordering::Relaxed),
                1,
                "init ran twice: claiming the right to initialise must be one \
                 compare_exchange, and a thread that lost must wait, not initialise"
            );
            assert_eq!(
                mine, theirs,
                "both threads must return the one value stored"
            );
        });
    }

    /// One thread initialises; the other only polls `get`. `get`'s own load
    /// must order the read after the write.
    #[test]
    fn get_sees_the_whole_value_once_it_is_there() {
        single_threaded_first();
        loom::model(|| {
            let cell = Arc::new(OnceCell::new());
            let writer = {
                let cell = Arc::clone(&cell);
                thread::spawn(move || {
                    cell.get_or_init(|| vec![1, 2, 3]);
                })
            };
            let seen = loop {
                if let Some(value) = cell.get() {
                    break value.clone();
                }
                thread::yield_now();
            };
            writer.join().unwrap();
            assert_eq!(
                seen,
                vec![1, 2, 3],
                "get must return exactly the value stored"
            );
        });
    }
}
