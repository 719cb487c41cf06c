//! The asyncio toolbox in tokio: one small function per idiom.
//!
//! Each function runs its idiom with waits measured in `unit`s of real time
//! and returns a [`Row`]: what asyncio calls it, the tokio form, the time it
//! took, the time the model predicts, and a note on what it printed. The
//! `toolbox` demo runs them all on a current-thread runtime, one thread like
//! asyncio's event loop.

use futures::StreamExt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Mutex as AsyncMutex, Notify, Semaphore, mpsc};
use tokio::task::JoinSet;
use tokio::time::{Instant, sleep};

/// One line of the demo's table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The asyncio idiom.
    pub asyncio: &'static str,
    /// Its tokio counterpart.
    pub tokio: &'static str,
    /// Wall time the run took.
    pub measured: Duration,
    /// What the time model predicts.
    pub predicted: Duration,
    /// What the run printed or observed.
    pub note: String,
}

/// Runs `work` and fills in a row with the time it took.
async fn row<F: Future<Output = String>>(
    asyncio: &'static str,
    tokio: &'static str,
    predicted: Duration,
    work: F,
) -> Row {
    let start = Instant::now();
    let note = work.await;
    Row {
        asyncio,
        tokio,
        measured: start.elapsed(),
        predicted,
        note,
    }
}

// ANCHOR: spawn_vs_future
/// `create_task` runs at once; a plain future runs only when awaited.
pub async fn spawn_is_eager(unit: Duration) -> Row {
    row("create_task(coro)", "tokio::spawn(fut)", unit, async move {
        let task = tokio::spawn(sleep(unit)); // starts running now
        sleep(unit).await; // ...while we wait here
        task.await.expect("the task does not panic");
        "the task slept while main slept: 1 unit in all".to_string()
    })
    .await
}

/// A future that is created but not awaited does nothing yet.
pub async fn future_is_lazy(unit: Duration) -> Row {
    row(
        "coro() without await",
        "let f = async {..}",
        unit * 2,
        async move {
            let lazy = async move { sleep(unit).await }; // nothing runs yet
            sleep(unit).await;
            lazy.await; // its body starts only now
            "the async block started when awaited: 2 units".to_string()
        },
    )
    .await
}
// ANCHOR_END: spawn_vs_future

// ANCHOR: gather
/// `asyncio.gather(a, b, c)`: all at once, results in order.
pub async fn gather(unit: Duration) -> Row {
    row(
        "gather(a, b, c)",
        "tokio::join!(a, b, c)",
        unit * 3,
        async move {
            let wait = |n: u32| async move {
                sleep(unit * n).await;
                n
            };
            let (a, b, c) = tokio::join!(wait(3), wait(1), wait(2));
            format!("results in argument order: {a}, {b}, {c}")
        },
    )
    .await
}

/// `gather` that stops at the first error: `try_join!`.
pub async fn try_gather(unit: Duration) -> Row {
    row(
        "gather, first error",
        "tokio::try_join!",
        unit,
        async move {
            let ok_later = async {
                sleep(unit * 3).await;
                Ok::<u32, String>(3)
            };
            let fails_soon = async {
                sleep(unit).await;
                Err::<u32, String>("boom".to_string())
            };
            let outcome = tokio::try_join!(ok_later, fails_soon);
            format!("{outcome:?} after 1 unit; the slow branch was dropped")
        },
    )
    .await
}
// ANCHOR_END: gather

// ANCHOR: joinset
/// `asyncio.wait` over tasks: spawned tasks, collected as they finish. (Not
/// a `TaskGroup`: a failure here would cancel nothing; see `task_group`.)
pub async fn task_group(unit: Duration) -> Row {
    row("wait(tasks)", "JoinSet", unit * 3, async move {
        let mut group = JoinSet::new();
        for n in [3u32, 1, 2] {
            group.spawn(async move {
                sleep(unit * n).await;
                n
            });
        }
        let mut finished = Vec::new();
        while let Some(done) = group.join_next().await {
            finished.push(done.expect("no task panics"));
        }
        format!("finishing order {finished:?}")
    })
    .await
}
// ANCHOR_END: joinset

// ANCHOR: select
/// `asyncio.wait(..., return_when=FIRST_COMPLETED)`: `select!`.
pub async fn first_completed(unit: Duration) -> Row {
    row(
        "wait(FIRST_COMPLETED)",
        "tokio::select!",
        unit,
        async move {
            let winner = tokio::select! {
                _ = sleep(unit * 3) => "slow",
                _ = sleep(unit) => "fast",
            };
            format!("{winner} won; the other branch was dropped")
        },
    )
    .await
}

/// `asyncio.wait_for(aw, timeout)`: `tokio::time::timeout`.
pub async fn wait_for(unit: Duration) -> Row {
    row(
        "wait_for(aw, t)",
        "time::timeout(t, fut)",
        unit,
        async move {
            let outcome = tokio::time::timeout(unit, sleep(unit * 3)).await;
            format!("{outcome:?}")
        },
    )
    .await
}
// ANCHOR_END: select

// ANCHOR: cancel_safety
/// Cancellation safety: a `select!` in a loop drops the losing branch's
/// future every time round. `recv()` loses nothing when dropped; a block that
/// has already taken one message out of the channel loses that message.
pub async fn cancel_safety(unit: Duration, safe: bool) -> Row {
    let start = Instant::now();
    let (sender, mut receiver) = mpsc::channel(16);
    tokio::spawn(async move {
        for message in 0..6 {
            sleep(unit * 3 / 10).await;
            sender.send(message).await.expect("the loop is alive");
        }
    });
    let mut heartbeat = tokio::time::interval(unit / 2);
    let mut received = Vec::new();
    loop {
        if safe {
            tokio::select! {
                message = receiver.recv() => match message {
                    Some(message) => received.push(message),
                    None => break,
                },
                _ = heartbeat.tick() => {}
            }
        } else {
            // Not cancel-safe: if the tick wins after `first` was received,
            // the block is dropped and `first` with it.
            let pair = async {
                let first = receiver.recv().await?;
                let second = receiver.recv().await?;
                Some([first, second])
            };
            tokio::select! {
                pair = pair => match pair {
                    Some(pair) => received.extend(pair),
                    None => break,
                },
                _ = heartbeat.tick() => {}
            }
        }
    }
    let tokio_form = if safe {
        "select! { recv(), tick }"
    } else {
        "select! { recv x2, tick }"
    };
    Row {
        asyncio: "wait_for(read_two(), t) loop",
        tokio: tokio_form,
        measured: start.elapsed(),
        predicted: unit * 18 / 10, // the last message is sent at 6 x 0.3 unit
        note: format!("received {received:?}: {} of 6 lost", 6 - received.len()),
    }
}
// ANCHOR_END: cancel_safety

// ANCHOR: periodic
/// Periodic work: a `sleep` loop drifts, an `interval` does not.
pub async fn periodic(unit: Duration, use_interval: bool) -> Row {
    let job = unit * 3 / 10;
    let (asyncio, tokio_form, predicted) = if use_interval {
        // Jobs start at 0, 1, 2, 3, 4 units.
        ("periodic, fixed rate", "interval(period)", unit * 4 + job)
    } else {
        (
            "while True: job; sleep",
            "loop { job; sleep(period) }",
            (unit + job) * 5,
        )
    };
    row(asyncio, tokio_form, predicted, async move {
        let mut ticks = tokio::time::interval(unit);
        for _ in 0..5 {
            if use_interval {
                ticks.tick().await;
            }
            sleep(job).await; // the job itself
            if !use_interval {
                sleep(unit).await;
            }
        }
        format!("5 jobs of {:?} every {:?}", job, unit)
    })
    .await
}
// ANCHOR_END: periodic

// ANCHOR: queue
/// `asyncio.Queue(maxsize=2)`: a bounded `mpsc` pushes back on the producer.
pub async fn queue(unit: Duration) -> Row {
    let work = unit / 10;
    row(
        "Queue(maxsize=2)",
        "mpsc::channel(2)",
        work * 10,
        async move {
            let (sender, mut receiver) = mpsc::channel(2);
            let producer = tokio::spawn(async move {
                let mut waited = Duration::ZERO;
                for item in 0..10 {
                    let before = Instant::now();
                    sender.send(item).await.expect("the consumer is alive");
                    waited += before.elapsed();
                }
                waited
            });
            while let Some(_item) = receiver.recv().await {
                sleep(work).await; // the slow consumer
            }
            let waited = producer.await.expect("the producer does not panic");
            format!("the producer waited {waited:.0?} on a full queue")
        },
    )
    .await
}
// ANCHOR_END: queue

// ANCHOR: workers
/// asyncio's N workers on one `Queue`: `mpsc` has a single `Receiver`, so
/// the workers share it behind an async lock. Each worker holds the lock
/// only while it waits for the next item, never while it processes one.
/// Returns how many items each worker processed.
pub async fn worker_pool(items: u32, workers: usize, work: Duration) -> Vec<u32> {
    let (sender, receiver) = mpsc::channel::<u32>(4);
    let shared = Arc::new(AsyncMutex::new(receiver));
    let pool: Vec<_> = (0..workers)
        .map(|_| {
            let shared = Arc::clone(&shared);
            tokio::spawn(async move {
                let mut done = 0;
                loop {
                    // The guard is a temporary: released as soon as recv returns.
                    let next = shared.lock().await.recv().await;
                    let Some(_item) = next else { break }; // closed and drained
                    sleep(work).await;
                    done += 1;
                }
                done
            })
        })
        .collect();
    for item in 0..items {
        sender.send(item).await.expect("the workers are alive");
    }
    drop(sender); // what `Queue.shutdown()` (Python 3.13) does: no more items
    let mut per_worker = Vec::new();
    for worker in pool {
        per_worker.push(worker.await.expect("a worker does not panic"));
    }
    per_worker
}
// ANCHOR_END: workers

// ANCHOR: locks
/// `asyncio.Lock` held across an await serialises the tasks that share it.
pub async fn async_lock(unit: Duration) -> Row {
    row(
        "Lock held across await",
        "tokio::sync::Mutex",
        unit * 2,
        async move {
            let shared = Arc::new(AsyncMutex::new(0u32));
            let tasks = (0..4).map(|_| {
                let shared = Arc::clone(&shared);
                async move {
                    let mut guard = shared.lock().await;
                    sleep(unit / 2).await; // awaiting with the lock held
                    *guard += 1;
                }
            });
            futures::future::join_all(tasks).await;
            format!(
                "4 tasks x 0.5 unit, one at a time; count = {}",
                *shared.lock().await
            )
        },
    )
    .await
}

/// A short critical section with no await inside: `std::sync::Mutex` is fine.
pub async fn std_lock(unit: Duration) -> Row {
    row(
        "Lock, no await inside",
        "std::sync::Mutex",
        unit / 2,
        async move {
            let shared = Arc::new(std::sync::Mutex::new(0u32));
            let tasks = (0..4).map(|_| {
                let shared = Arc::clone(&shared);
                async move {
                    sleep(unit / 2).await; // the slow part, lock not held
                    *shared.lock().unwrap() += 1; // guard dropped at the `;`
                }
            });
            futures::future::join_all(tasks).await;
            format!("the waits overlap; count = {}", *shared.lock().unwrap())
        },
    )
    .await
}
// ANCHOR_END: locks

// ANCHOR: event
/// `asyncio.Event`: `Notify` wakes the waiters when the event is set.
pub async fn event(unit: Duration) -> Row {
    row(
        "Event().wait() / set()",
        "Notify / watch",
        unit,
        async move {
            let ready = Arc::new(Notify::new());
            let waiters: Vec<_> = (0..3)
                .map(|_| {
                    let ready = Arc::clone(&ready);
                    tokio::spawn(async move { ready.notified().await })
                })
                .collect();
            sleep(unit).await;
            ready.notify_waiters(); // wakes the three that are waiting now
            for waiter in waiters {
                waiter.await.expect("no waiter panics");
            }
            "3 waiters woke when the event was set".to_string()
        },
    )
    .await
}

/// `asyncio.Semaphore(2)`: at most two jobs at once.
pub async fn semaphore(unit: Duration) -> Row {
    row("Semaphore(2)", "Semaphore::new(2)", unit * 3, async move {
        let permits = Semaphore::new(2);
        let jobs = (0..6).map(|_| async {
            let _permit = permits.acquire().await.expect("never closed"); // `async with`
            sleep(unit).await;
        });
        futures::future::join_all(jobs).await;
        "6 jobs of 1 unit, 2 at a time: 3 rounds".to_string()
    })
    .await
}
// ANCHOR_END: event

// ANCHOR: shield
/// `asyncio.shield`: a spawned task survives the caller being cancelled.
pub async fn shield(unit: Duration) -> Row {
    row("shield(save())", "tokio::spawn + await", unit, async move {
        let saved = Arc::new(Notify::new());
        let signal = Arc::clone(&saved);
        let save = tokio::spawn(async move {
            sleep(unit).await;
            signal.notify_one(); // stores a permit if nobody waits yet
        });
        // The caller gives up after half a unit: only the JoinHandle is dropped.
        let caller = tokio::time::timeout(unit / 2, save).await;
        saved.notified().await; // the save still completes
        format!(
            "caller: {}; the save finished anyway",
            if caller.is_err() { "timed out" } else { "done" }
        )
    })
    .await
}
// ANCHOR_END: shield

// ANCHOR: blocking
/// `run_in_executor`: a blocking call inline stalls every timer on the loop;
/// `spawn_blocking` moves it to another thread. Measures a timer's lateness.
pub async fn blocking_call(unit: Duration, offload: bool) -> Row {
    let tokio_form = if offload {
        "spawn_blocking(f)"
    } else {
        "f() inline (wrong)"
    };
    let predicted = if offload {
        Duration::ZERO
    } else {
        unit - unit / 5
    };
    let start = Instant::now();
    let due = start + unit / 5;
    let timer = tokio::spawn(async move {
        tokio::time::sleep_until(due).await;
        Instant::now() - due // how late the timer fired
    });
    tokio::task::yield_now().await; // let the timer task register
    let blocking = move || std::thread::sleep(unit); // stands for CPU work
    if offload {
        tokio::task::spawn_blocking(blocking)
            .await
            .expect("no panic");
    } else {
        blocking();
    }
    let late = timer.await.expect("the timer task does not panic");
    Row {
        asyncio: "run_in_executor(None, f)",
        tokio: tokio_form,
        measured: late,
        predicted,
        note: format!("a timer due at 0.2 unit fired {late:.1?} late"),
    }
}
// ANCHOR_END: blocking

// ANCHOR: stream
/// `async for`: a `Stream`, consumed one item at a time or several at once.
pub async fn stream(unit: Duration, at_once: usize) -> Row {
    let slow_item = move |n: u32| async move {
        sleep(unit).await;
        n * 10
    };
    let numbers = futures::stream::iter(1..=3);
    if at_once == 1 {
        row(
            "async for x in agen()",
            "stream.then(f)",
            unit * 3,
            async move {
                let items: Vec<u32> = numbers.then(slow_item).collect().await;
                format!("items {items:?}, one at a time")
            },
        )
        .await
    } else {
        let rounds = 3u32.div_ceil(at_once as u32);
        row(
            "gather over an agen",
            "map(f).buffered(n)",
            unit * rounds,
            async move {
                let items: Vec<u32> = numbers.map(slow_item).buffered(at_once).collect().await;
                format!("items {items:?}, {at_once} at a time, in order")
            },
        )
        .await
    }
}
// ANCHOR_END: stream

/// Every idiom, in the order of the book's table.
pub async fn all_rows(unit: Duration) -> Vec<Row> {
    vec![
        spawn_is_eager(unit).await,
        future_is_lazy(unit).await,
        gather(unit).await,
        try_gather(unit).await,
        task_group(unit).await,
        first_completed(unit).await,
        wait_for(unit).await,
        cancel_safety(unit, true).await,
        cancel_safety(unit, false).await,
        periodic(unit, false).await,
        periodic(unit, true).await,
        queue(unit).await,
        async_lock(unit).await,
        std_lock(unit).await,
        event(unit).await,
        semaphore(unit).await,
        shield(unit).await,
        blocking_call(unit, false).await,
        blocking_call(unit, true).await,
        stream(unit, 1).await,
        stream(unit, 3).await,
    ]
}
