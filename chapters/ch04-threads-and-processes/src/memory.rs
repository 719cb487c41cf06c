//! Resident memory added by parked threads and by pending tokio tasks.
//!
//! A thread reserves a whole stack (2 MiB of address space by default in
//! Rust) but the kernel backs only the pages it touches; a task is one
//! heap allocation holding its future's state. The demo parks many of
//! each and reads the process's resident memory before and after.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::thread;

use kit::measure::resident_bytes;

/// Resident bytes added per unit, and how many units were measured.
#[derive(Debug, Clone, Copy)]
pub struct PerUnit {
    pub units: usize,
    pub bytes_per_unit: f64,
}

fn resident() -> f64 {
    resident_bytes().unwrap_or(0) as f64
}

// ANCHOR: threads
/// Starts `count` threads that all wait at one barrier, measures the
/// resident memory they added, then releases and joins them.
pub fn per_thread(count: usize) -> PerUnit {
    let before = resident();
    let all_parked = Arc::new(Barrier::new(count + 1));
    let release = Arc::new(Barrier::new(count + 1));
    let handles: Vec<_> = (0..count)
        .map(|_| {
            let (all_parked, release) = (Arc::clone(&all_parked), Arc::clone(&release));
            thread::spawn(move || {
                all_parked.wait();
                release.wait();
            })
        })
        .collect();
    all_parked.wait(); // every thread exists and is blocked
    let during = resident();
    release.wait();
    for handle in handles {
        handle.join().unwrap();
    }
    PerUnit {
        units: count,
        bytes_per_unit: (during - before) / count as f64,
    }
}
// ANCHOR_END: threads

// ANCHOR: tasks
/// Spawns `count` tasks that each wait on a `Notify`, measures the
/// resident memory they added, then wakes them all and lets them finish.
pub fn per_task(count: usize) -> PerUnit {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("tokio runtime");
    let before = resident();
    let wake_up = Arc::new(tokio::sync::Notify::new());
    let parked = Arc::new(AtomicUsize::new(0));
    let handles: Vec<_> = (0..count)
        .map(|_| {
            let (wake_up, parked) = (Arc::clone(&wake_up), Arc::clone(&parked));
            runtime.spawn(async move {
                let notified = wake_up.notified();
                parked.fetch_add(1, Ordering::SeqCst);
                notified.await
            })
        })
        .collect();
    // Let the runtime give every task its first poll, which parks it on
    // the Notify.
    runtime.block_on(async {
        while parked.load(Ordering::SeqCst) < count {
            tokio::task::yield_now().await;
        }
    });
    let during = resident();
    wake_up.notify_waiters();
    runtime.block_on(async {
        for handle in handles {
            handle.await.unwrap();
        }
    });
    PerUnit {
        units: count,
        bytes_per_unit: (during - before) / count as f64,
    }
}
// ANCHOR_END: tasks

/// The model for a parked thread: the kernel backs the pages the thread
/// touched, about two 4 KiB pages (the top of its stack and its
/// thread-local area and guard bookkeeping).
pub fn predicted_per_thread() -> f64 {
    8.0 * 1024.0
}

/// The model for a pending task: the future's state, the `Notify`
/// waiter inside it, the `Arc` clone, and a task header of about 100 bytes
/// plus the `JoinHandle` kept by the demo. About 256 bytes.
pub fn predicted_per_task() -> f64 {
    256.0
}
