// wrong: `read_line` keeps the line's newline: returning the line as read gives answers like "49\n" instead of "49".
//! # Exercise `process_pool`: worker processes that may crash
//!
//! Write both sides of a process pool. The worker (`serve`) reads one job
//! per line on stdin and writes one answer per line on stdout. The pool
//! starts worker processes, hands out jobs, and when a worker dies mid-job
//! it reports that job as failed, reaps the dead process, starts a
//! replacement and goes on, so that every job gets an outcome.
//!
//! Book: chapter 4, "A pool of worker processes". Check: `cargo workbook check process_pool`.

use std::collections::VecDeque;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

/// What a worker does with one job.
#[derive(Debug, PartialEq, Eq)]
pub enum Answer {
    /// Write this line back.
    Line(String),
    /// Die on the spot, like a worker hitting a fatal bug.
    Crash,
}

/// The jobs a worker understands: a number `n` gives `n * n`, `pid` gives
/// the worker's process id, `crash` kills the worker, anything else gives
/// an `error: ...` line.
pub fn answer(job: &str) -> Answer {
    match job.trim() {
        "crash" => Answer::Crash,
        "pid" => Answer::Line(std::process::id().to_string()),
        text => match text.parse::<u64>() {
            Ok(n) => Answer::Line(n.wrapping_mul(n).to_string()),
            Err(_) => Answer::Line(format!("error: not a job: {text:?}")),
        },
    }
}

// ANCHOR: serve
/// The worker's main loop: answer each line of `input` with one line on
/// `output`, until `input` ends. Each answer is flushed at once: the pool
/// waits for it before sending the next job.
pub fn serve(input: impl BufRead, mut output: impl Write) -> io::Result<()> {
    for line in input.lines() {
        let line = line?;
        match answer(&line) {
            Answer::Line(text) => {
                writeln!(output, "{text}")?;
                output.flush()?;
            }
            Answer::Crash => std::process::abort(),
        }
    }
    Ok(())
}
// ANCHOR_END: serve

// ANCHOR: worker
/// One running worker process and the two pipes to talk to it.
struct Worker {
    child: Child,
    to_worker: ChildStdin,
    from_worker: BufReader<ChildStdout>,
}

impl Worker {
    fn start(program: &PathBuf) -> Worker {
        let mut child = Command::new(program)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start a worker process");
        let to_worker = child.stdin.take().expect("stdin was piped");
        let from_worker = BufReader::new(child.stdout.take().expect("stdout was piped"));
        Worker {
            child,
            to_worker,
            from_worker,
        }
    }

    /// Sends one job and reads its answer. `None` means the worker died:
    /// the write failed (broken pipe) or its stdout ended before a line came.
    fn ask(&mut self, job: &str) -> Option<String> {
        writeln!(self.to_worker, "{job}").ok()?;
        self.to_worker.flush().ok()?;
        let mut line = String::new();
        match self.from_worker.read_line(&mut line) {
            Ok(0) | Err(_) => None,
            Ok(_) => Some(line),
        }
    }

    /// Waits for the (dead or finishing) process, so that it does not stay
    /// a zombie, and says how it ended.
    fn reap(&mut self) -> String {
        match self.child.wait() {
            Ok(status) => status.to_string(),
            Err(error) => format!("unknown status ({error})"),
        }
    }

    fn pid(&self) -> u32 {
        self.child.id()
    }
}
// ANCHOR_END: worker

/// A pool of worker processes running the program at `program`.
pub struct ProcessPool {
    program: PathBuf,
    workers: Vec<Worker>,
    restarts: AtomicUsize,
}

impl ProcessPool {
    /// Starts `size` worker processes.
    ///
    /// # Panics
    /// If `size` is 0 ("needs at least one worker") or a worker cannot start.
    pub fn new(program: impl Into<PathBuf>, size: usize) -> ProcessPool {
        assert!(size > 0, "a process pool needs at least one worker");
        let program = program.into();
        let workers = (0..size).map(|_| Worker::start(&program)).collect();
        ProcessPool {
            program,
            workers,
            restarts: AtomicUsize::new(0),
        }
    }

    /// The process ids of the workers currently running.
    pub fn worker_pids(&self) -> Vec<u32> {
        self.workers.iter().map(Worker::pid).collect()
    }

    /// How many crashed workers were replaced so far.
    pub fn restarts(&self) -> usize {
        self.restarts.load(Ordering::SeqCst)
    }

    // ANCHOR: run
    /// Runs every job on the workers, several at a time, and returns the
    /// outcomes in job order: `Ok(answer)`, or `Err(description)` for a job
    /// whose worker crashed (the description contains "crashed").
    pub fn run(&mut self, jobs: &[&str]) -> Vec<Result<String, String>> {
        let queue: Mutex<VecDeque<(usize, &str)>> =
            Mutex::new(jobs.iter().copied().enumerate().collect());
        let outcomes: Mutex<Vec<Option<Result<String, String>>>> =
            Mutex::new(vec![None; jobs.len()]);
        let workers = std::mem::take(&mut self.workers);
        let pool = &*self;
        // One thread per worker process: each thread talks to its worker,
        // one job at a time, while the other threads talk to theirs.
        let workers = thread::scope(|scope| {
            let handles: Vec<_> = workers
                .into_iter()
                .map(|mut worker| {
                    let (queue, outcomes) = (&queue, &outcomes);
                    scope.spawn(move || {
                        loop {
                            let next = queue.lock().unwrap().pop_front();
                            let Some((index, job)) = next else { break };
                            let outcome = pool.run_one(&mut worker, job);
                            outcomes.lock().unwrap()[index] = Some(outcome);
                        }
                        worker
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| handle.join().expect("pool thread panicked"))
                .collect()
        });
        self.workers = workers;
        let outcomes = outcomes.into_inner().unwrap();
        outcomes
            .into_iter()
            .map(|outcome| outcome.expect("every job was taken by a worker thread"))
            .collect()
    }
    // ANCHOR_END: run

    // ANCHOR: run_one
    /// Runs one job on `worker`; if the worker dies, reaps it, puts a fresh
    /// worker in its place and reports the job as failed. The job is not
    /// retried: a job that kills its worker would kill the next one too.
    fn run_one(&self, worker: &mut Worker, job: &str) -> Result<String, String> {
        match worker.ask(job) {
            Some(answer) => Ok(answer),
            None => {
                let pid = worker.pid();
                let status = worker.reap();
                *worker = Worker::start(&self.program);
                self.restarts.fetch_add(1, Ordering::SeqCst);
                Err(format!("worker {pid} crashed on job {job:?} ({status})"))
            }
        }
    }
    // ANCHOR_END: run_one
}

// ANCHOR: drop
impl Drop for ProcessPool {
    /// Closes every worker's stdin (its `serve` loop ends), then waits for it.
    fn drop(&mut self) {
        for mut worker in self.workers.drain(..) {
            drop(worker.to_worker);
            let _ = worker.child.wait();
        }
    }
}
// ANCHOR_END: drop
