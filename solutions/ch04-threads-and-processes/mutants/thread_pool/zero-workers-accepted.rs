// wrong: a pool of zero workers must panic: accepting it gives a pool whose jobs are queued forever and never run.
//! # Exercise `thread_pool`: a fixed set of worker threads fed by a queue
//!
//! Build a `ThreadPool` whose workers take jobs from one shared channel.
//! `execute` queues a job; dropping the pool closes the queue, lets the
//! workers finish every job already queued, and joins them. A job that
//! panics must not take its worker (or the pool) down.
//!
//! Book: chapter 4, "Thread pools". Check: `cargo workbook check thread_pool`.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle};

/// A job for the pool.
pub type Job = Box<dyn FnOnce() + Send + 'static>;

// ANCHOR: pool_struct
/// A pool of worker threads.
pub struct ThreadPool {
    /// The sending side of the job queue; `None` once the pool shuts down.
    queue: Option<Sender<Job>>,
    /// The worker threads, joined on drop.
    workers: Vec<JoinHandle<()>>,
}
// ANCHOR_END: pool_struct

impl ThreadPool {
    // ANCHOR: new
    /// Starts `size` worker threads that wait for jobs.
    ///
    /// # Panics
    /// If `size` is 0: "needs at least one worker".
    pub fn new(size: usize) -> ThreadPool {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        let workers = (0..size)
            .map(|_| {
                let receiver = Arc::clone(&receiver);
                thread::spawn(move || worker_loop(&receiver))
            })
            .collect();
        ThreadPool {
            queue: Some(sender),
            workers,
        }
    }
    // ANCHOR_END: new

    // ANCHOR: execute
    /// Queues `job`; an idle worker runs it.
    pub fn execute(&self, job: impl FnOnce() + Send + 'static) {
        self.queue
            .as_ref()
            .expect("the queue is open while the pool lives")
            .send(Box::new(job))
            .expect("the workers are alive while the pool lives");
    }
    // ANCHOR_END: execute
}

// ANCHOR: worker_loop
/// What each worker thread runs: take a job, run it, repeat until the
/// queue is closed *and* empty.
fn worker_loop(receiver: &Mutex<Receiver<Job>>) {
    loop {
        let next = receiver.lock().unwrap().recv();
        let Ok(job) = next else { break };
        let _ = catch_unwind(AssertUnwindSafe(job));
    }
}
// ANCHOR_END: worker_loop

// ANCHOR: drop
impl Drop for ThreadPool {
    /// Graceful shutdown: close the queue, then wait for every worker. The
    /// workers still drain the jobs that were queued before the close.
    fn drop(&mut self) {
        drop(self.queue.take());
        for worker in self.workers.drain(..) {
            let _ = worker.join();
        }
    }
}
// ANCHOR_END: drop
