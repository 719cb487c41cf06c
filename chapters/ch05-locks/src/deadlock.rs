//! Two accounts, two locks, two threads moving money in opposite directions.
//!
//! Taking the locks in opposite orders deadlocks as soon as each thread
//! holds its first lock; a barrier makes that happen every time instead of
//! once in a blue moon. A timeout notices it (as a watchdog would). Two
//! fixes follow: one lock order for everybody, or `try_lock` and back off.

use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Arc, Barrier, Mutex, TryLockError};
use std::thread;
use std::time::{Duration, Instant};

/// An account: its id fixes its place in the lock order.
#[derive(Debug)]
pub struct Account {
    pub id: u32,
    pub balance: Mutex<i64>,
}

impl Account {
    pub fn new(id: u32, balance: i64) -> Arc<Self> {
        Arc::new(Account {
            id,
            balance: Mutex::new(balance),
        })
    }
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every transfer was done, in this time, after this many back-offs.
    Finished { took: Duration, retries: u64 },
    /// Nothing moved before the deadline: the threads are stuck for good.
    Deadlocked { waited: Duration },
}

// ANCHOR: opposite_orders
/// Locks `from` then `to`. Two threads calling it with the accounts swapped
/// can each hold one lock and wait for the other's: a deadlock.
fn transfer_in_argument_order(from: &Account, to: &Account, amount: i64, pause: &Barrier) {
    let mut from_balance = from.balance.lock().unwrap();
    pause.wait(); // both threads now hold their first lock
    let mut to_balance = to.balance.lock().unwrap(); // ...and wait forever here
    *from_balance -= amount;
    *to_balance += amount;
}
// ANCHOR_END: opposite_orders

// ANCHOR: lock_order
/// Locks the account with the smaller id first, whatever the direction:
/// with one global order, a cycle of waiting cannot form.
pub fn transfer_in_id_order(from: &Account, to: &Account, amount: i64) {
    let (first, second) = if from.id < to.id {
        (from, to)
    } else {
        (to, from)
    };
    let mut first_balance = first.balance.lock().unwrap();
    let mut second_balance = second.balance.lock().unwrap();
    let (from_balance, to_balance) = if from.id < to.id {
        (&mut *first_balance, &mut *second_balance)
    } else {
        (&mut *second_balance, &mut *first_balance)
    };
    *from_balance -= amount;
    *to_balance += amount;
}
// ANCHOR_END: lock_order

// ANCHOR: try_lock
/// Takes `from`, then only *tries* `to`; if it is busy, lets go of `from`
/// and starts again. Returns how many times it had to back off.
pub fn transfer_with_try_lock(from: &Account, to: &Account, amount: i64) -> u64 {
    let mut retries = 0;
    loop {
        let mut from_balance = from.balance.lock().unwrap();
        match to.balance.try_lock() {
            Ok(mut to_balance) => {
                *from_balance -= amount;
                *to_balance += amount;
                return retries;
            }
            Err(TryLockError::WouldBlock) => {
                drop(from_balance); // break "hold and wait"
                retries += 1;
                thread::yield_now();
            }
            Err(TryLockError::Poisoned(error)) => panic!("{error}"),
        }
    }
}
// ANCHOR_END: try_lock

// ANCHOR: detect
/// Runs two opposite transfers with the locks taken in argument order and
/// waits at most `deadline` for them. The stuck threads are left behind:
/// there is no way to "unstick" a thread blocked on a mutex.
pub fn run_opposite_orders(deadline: Duration) -> Outcome {
    let (a, b) = (Account::new(1, 100), Account::new(2, 100));
    let pause = Arc::new(Barrier::new(2));
    let (done_tx, done_rx) = mpsc::channel();
    let start = Instant::now();
    for (from, to) in [(a.clone(), b.clone()), (b, a)] {
        let (pause, done_tx) = (Arc::clone(&pause), done_tx.clone());
        thread::spawn(move || {
            transfer_in_argument_order(&from, &to, 10, &pause);
            let _ = done_tx.send(());
        });
    }
    for _ in 0..2 {
        match done_rx.recv_timeout(deadline) {
            Ok(()) => {}
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => {
                return Outcome::Deadlocked {
                    waited: start.elapsed(),
                };
            }
        }
    }
    Outcome::Finished {
        took: start.elapsed(),
        retries: 0,
    }
}
// ANCHOR_END: detect

/// The two threads of the fixed versions: `rounds` transfers each way.
pub fn run_fixed(rounds: u32, use_try_lock: bool) -> (Outcome, i64) {
    let (a, b) = (Account::new(1, 1_000), Account::new(2, 1_000));
    let start = Instant::now();
    let retries: u64 = thread::scope(|scope| {
        let workers: Vec<_> = [(&a, &b), (&b, &a)]
            .map(|(from, to)| {
                scope.spawn(move || {
                    let mut retries = 0;
                    for _ in 0..rounds {
                        if use_try_lock {
                            retries += transfer_with_try_lock(from, to, 1);
                        } else {
                            transfer_in_id_order(from, to, 1);
                        }
                    }
                    retries
                })
            })
            .into_iter()
            .collect();
        workers.into_iter().map(|w| w.join().unwrap()).sum()
    });
    let took = start.elapsed();
    let total = *a.balance.lock().unwrap() + *b.balance.lock().unwrap();
    (Outcome::Finished { took, retries }, total)
}

/// The same `2 * rounds` transfers on one thread: the best two threads can
/// do, since every transfer needs both locks and so they never overlap.
pub fn run_single_thread(rounds: u32) -> Duration {
    let (a, b) = (Account::new(1, 1_000), Account::new(2, 1_000));
    let start = Instant::now();
    for _ in 0..rounds {
        transfer_in_id_order(&a, &b, 1);
        transfer_in_id_order(&b, &a, 1);
    }
    start.elapsed()
}
