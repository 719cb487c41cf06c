//! A blocking call inside a task stalls every task on that loop.
//!
//! A "ticker" task sleeps for a short period again and again and records how
//! late each wake-up is. Meanwhile another task makes a blocking call (a
//! `std::thread::sleep` standing in for a synchronous database driver, a
//! big file read, a heavy computation). On a single-threaded loop the ticker
//! cannot run until the blocking call returns: its lateness is the length of
//! the call. Moving the call to another thread (`spawn_blocking`) fixes it.

use std::thread;
use std::time::{Duration, Instant};

use crate::s4_reactor as home;

/// Where the blocking call runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Placement {
    /// Called directly inside an async task: it blocks the loop's thread.
    InTask,
    /// Handed to another thread; the task awaits the result.
    OnAnotherThread,
}

/// The longest lateness the ticker saw.
#[derive(Debug, Clone, Copy)]
pub struct Stall {
    pub worst_lateness: Duration,
}

/// The blocking call itself: a thread sleep standing for any synchronous work.
fn blocking_call(length: Duration) {
    thread::sleep(length);
}

// ANCHOR: tokio_stall
/// On tokio's current-thread runtime: a ticker every `period`, and a task
/// that makes one blocking call of `length` a little after the start.
pub fn tokio_stall(placement: Placement, period: Duration, length: Duration) -> Stall {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("build a tokio runtime");
    runtime.block_on(async move {
        let ticks = ticks_covering(period, length);
        let ticker = tokio::spawn(async move {
            let mut worst = Duration::ZERO;
            for _ in 0..ticks {
                let asked_at = Instant::now();
                tokio::time::sleep(period).await;
                worst = worst.max(asked_at.elapsed().saturating_sub(period));
            }
            worst
        });
        let worker = tokio::spawn(async move {
            tokio::time::sleep(period * 2).await;
            match placement {
                Placement::InTask => blocking_call(length),
                Placement::OnAnotherThread => tokio::task::spawn_blocking(move || {
                    blocking_call(length);
                })
                .await
                .expect("blocking call panicked"),
            }
        });
        worker.await.expect("worker panicked");
        Stall {
            worst_lateness: ticker.await.expect("ticker panicked"),
        }
    })
}
// ANCHOR_END: tokio_stall

// ANCHOR: home_stall
/// The same experiment on the home-made runtime. It has no thread pool for
/// blocking calls, so "another thread" is a plain thread plus a oneshot
/// channel: all that `spawn_blocking` is, minus the pool.
pub fn home_stall(placement: Placement, period: Duration, length: Duration) -> Stall {
    home::block_on(async move {
        let ticks = ticks_covering(period, length);
        let ticker = home::spawn(async move {
            let mut worst = Duration::ZERO;
            for _ in 0..ticks {
                let asked_at = Instant::now();
                home::sleep(period).await;
                worst = worst.max(asked_at.elapsed().saturating_sub(period));
            }
            worst
        });
        let worker = home::spawn(async move {
            home::sleep(period * 2).await;
            match placement {
                Placement::InTask => blocking_call(length),
                Placement::OnAnotherThread => {
                    let (done_tx, done_rx) = futures::channel::oneshot::channel();
                    thread::spawn(move || {
                        blocking_call(length);
                        let _ = done_tx.send(());
                    });
                    done_rx.await.expect("blocking thread died");
                }
            }
        });
        worker.await.expect("worker panicked");
        Stall {
            worst_lateness: ticker.await.expect("ticker panicked"),
        }
    })
}
// ANCHOR_END: home_stall

/// Enough ticks to span the blocking call with some to spare.
fn ticks_covering(period: Duration, length: Duration) -> u32 {
    let per_call = (length.as_secs_f64() / period.as_secs_f64().max(1e-6)).ceil() as u32;
    per_call + 5
}
