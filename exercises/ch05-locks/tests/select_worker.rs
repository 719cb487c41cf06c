// Tests for exercise `select_worker` (chapter 5, "Channels instead of shared state").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The worker runs on its own thread under a watchdog: a worker that never
// notices a signal fails with "deadlock suspected" instead of hanging.

use ch05_exercises::select_worker::{Report, StopReason, run_worker};
use crossbeam_channel::{Receiver, Sender, unbounded};
use kit::watchdog::{GENEROUS, within};
use std::thread;

/// The three channels of a worker, seen from the outside.
struct Wiring {
    jobs: Sender<u64>,
    shutdown: Sender<()>,
    results: Receiver<u64>,
    worker: thread::JoinHandle<Report>,
}

fn start_worker() -> Wiring {
    let (jobs, jobs_rx) = unbounded();
    let (shutdown, shutdown_rx) = unbounded();
    let (results_tx, results) = unbounded();
    let worker = thread::spawn(move || run_worker(jobs_rx, shutdown_rx, results_tx));
    Wiring {
        jobs,
        shutdown,
        results,
        worker,
    }
}

#[test]
fn squares_every_job_until_the_jobs_run_out() {
    let (report, squares) = within(
        GENEROUS,
        "a worker whose job senders are all dropped",
        "When every job sender is gone, `recv(jobs)` yields `Err` at once, forever: \
         stop there with NoMoreJobs instead of looping.",
        || {
            let wiring = start_worker();
            for n in 1..=5 {
                wiring.jobs.send(n).unwrap();
            }
            drop(wiring.jobs);
            // `shutdown` stays alive: only the jobs channel closes.
            let report = wiring.worker.join().expect("the worker panicked");
            drop(wiring.shutdown);
            (report, wiring.results.iter().collect::<Vec<_>>())
        },
    );
    assert_eq!(
        squares,
        vec![1, 4, 9, 16, 25],
        "each job n must produce n * n, in order"
    );
    assert_eq!(
        report,
        Report {
            done: 5,
            reason: StopReason::NoMoreJobs
        },
        "five jobs done, then the jobs channel closed"
    );
}

#[test]
fn a_shutdown_message_stops_a_waiting_worker() {
    let report = within(
        GENEROUS,
        "a worker told to shut down while it waits for jobs",
        "A worker blocked in `jobs.recv()` cannot hear the shutdown channel: wait on both \
         with `select!`.",
        || {
            let wiring = start_worker();
            wiring.jobs.send(3).unwrap();
            assert_eq!(wiring.results.recv().unwrap(), 9, "the square of 3 is 9");
            // The worker is now idle, waiting; the job channel is still open.
            wiring.shutdown.send(()).unwrap();
            let report = wiring.worker.join().expect("the worker panicked");
            drop(wiring.jobs);
            report
        },
    );
    assert_eq!(
        report,
        Report {
            done: 1,
            reason: StopReason::Shutdown
        },
        "one job done, then a shutdown message"
    );
}

#[test]
fn dropping_the_shutdown_sender_also_stops_the_worker() {
    let report = within(
        GENEROUS,
        "a worker whose shutdown sender is dropped",
        "A disconnected shutdown channel makes `recv(shutdown)` fire with `Err` every time: \
         treat it as a shutdown, do not ignore it and loop.",
        || {
            let wiring = start_worker();
            drop(wiring.shutdown);
            let report = wiring.worker.join().expect("the worker panicked");
            drop(wiring.jobs);
            report
        },
    );
    assert_eq!(
        report,
        Report {
            done: 0,
            reason: StopReason::Shutdown
        },
        "no job done; the dropped shutdown sender is the signal to stop"
    );
}

#[test]
fn the_worker_stops_when_nobody_listens_for_results() {
    let report = within(
        GENEROUS,
        "a worker whose results receiver is dropped",
        "`results.send` fails once the receiver is gone; stop with NobodyListening.",
        || {
            let wiring = start_worker();
            drop(wiring.results);
            wiring.jobs.send(2).unwrap();
            let report = wiring.worker.join().expect("the worker panicked");
            drop((wiring.jobs, wiring.shutdown));
            report
        },
    );
    assert_eq!(
        report,
        Report {
            done: 0,
            reason: StopReason::NobodyListening
        },
        "the result of job 2 could not be delivered, so it does not count as done"
    );
}
