// Tests for exercise `process_pool` (chapter 4, "A pool of worker processes").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The worker program is this package's binary `<package>-worker`, which
// cargo builds before it runs these tests.

use ch04_exercises::process_pool::{ProcessPool, serve};
use kit::watchdog::{GENEROUS, within};
use std::cell::RefCell;
use std::io::{self, BufReader, Read, Write};
use std::rc::Rc;

const WORKER: &str = env!(concat!("CARGO_BIN_EXE_", env!("CARGO_PKG_NAME"), "-worker"));

/// True while process `pid` exists, zombie or not (Linux only: elsewhere
/// the check is skipped and this returns false).
fn process_exists(pid: u32) -> bool {
    cfg!(target_os = "linux") && std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn serve_answers_one_line_per_job() {
    let mut output = Vec::new();
    serve(&b"3\n12\nsquid\n"[..], &mut output).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&output),
        "9\n144\nerror: not a job: \"squid\"\n",
        "serve must write `answer(job)` for each input line, each on its own line"
    );
}

/// A job source that hands out one line per `read` and, before handing out
/// the next one, checks that the answers so far were flushed.
struct StrictPeer {
    jobs: Vec<&'static str>,
    given: usize,
    flushed_lines: Rc<RefCell<usize>>,
}

impl Read for StrictPeer {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let flushed = *self.flushed_lines.borrow();
        assert_eq!(
            flushed,
            self.given,
            "serve asked for job #{} while only {flushed} of the {} answers so far were \
             flushed: a pool waits for each answer before it sends the next job, so an \
             answer left in a buffer means both sides wait forever. Flush after each line",
            self.given + 1,
            self.given
        );
        let Some(job) = self.jobs.get(self.given) else {
            return Ok(0);
        };
        self.given += 1;
        let line = format!("{job}\n");
        buf[..line.len()].copy_from_slice(line.as_bytes());
        Ok(line.len())
    }
}

/// An output that counts only the lines that were flushed.
struct FlushCounter {
    pending: Vec<u8>,
    flushed_lines: Rc<RefCell<usize>>,
}

impl Write for FlushCounter {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.pending.extend_from_slice(data);
        Ok(data.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        let lines = self.pending.iter().filter(|&&b| b == b'\n').count();
        *self.flushed_lines.borrow_mut() += lines;
        self.pending.clear();
        Ok(())
    }
}

#[test]
fn serve_flushes_each_answer_before_reading_the_next_job() {
    let flushed_lines = Rc::new(RefCell::new(0));
    let peer = StrictPeer {
        jobs: vec!["1", "2", "3"],
        given: 0,
        flushed_lines: Rc::clone(&flushed_lines),
    };
    let output = FlushCounter {
        pending: Vec::new(),
        flushed_lines: Rc::clone(&flushed_lines),
    };
    serve(BufReader::new(peer), output).unwrap();
    assert_eq!(
        *flushed_lines.borrow(),
        3,
        "three jobs, three flushed answers"
    );
}

#[test]
fn every_job_gets_its_answer_in_job_order() {
    let answers = within(GENEROUS, "a pool of 2 workers running 20 jobs", "", || {
        let mut pool = ProcessPool::new(WORKER, 2);
        let jobs: Vec<String> = (1..=20).map(|n| n.to_string()).collect();
        let jobs: Vec<&str> = jobs.iter().map(String::as_str).collect();
        pool.run(&jobs)
    });
    let expected: Vec<Result<String, String>> =
        (1..=20u64).map(|n| Ok((n * n).to_string())).collect();
    assert_eq!(
        answers, expected,
        "jobs 1..=20 should come back as their squares, in job order"
    );
}

#[test]
fn a_crashing_job_fails_alone_and_the_rest_still_run() {
    let jobs = ["1", "2", "crash", "3", "4", "crash", "5", "6", "7"];
    let (answers, restarts) = within(
        GENEROUS,
        "a pool running jobs that crash their worker",
        "Is the job that crashed a worker sent again to its replacement? Such a job kills \
         every worker it is given to: report it as failed instead of retrying it.",
        move || {
            let mut pool = ProcessPool::new(WORKER, 2);
            let answers = pool.run(&jobs);
            (answers, pool.restarts())
        },
    );
    assert_eq!(answers.len(), jobs.len(), "one outcome per job");
    for (job, outcome) in jobs.iter().zip(&answers) {
        match (*job, outcome) {
            ("crash", Err(text)) => assert!(
                text.contains("crashed"),
                "a crashed job's error should say \"crashed\", got {text:?}"
            ),
            ("crash", Ok(line)) => panic!("the job `crash` kills its worker, yet got Ok({line:?})"),
            (number, outcome) => {
                let n: u64 = number.parse().unwrap();
                assert_eq!(
                    outcome,
                    &Ok((n * n).to_string()),
                    "job {number:?} should still be answered although other jobs crashed \
                     their workers: was the dead worker replaced before its next job?"
                );
            }
        }
    }
    assert_eq!(
        restarts, 2,
        "two workers crashed, so two replacements were started"
    );
}

#[test]
fn a_crashed_worker_is_replaced_by_a_new_process() {
    let (answers, pids_after) = within(GENEROUS, "a pool of 1 with a crash", "", || {
        let mut pool = ProcessPool::new(WORKER, 1);
        let answers = pool.run(&["pid", "crash", "pid"]);
        (answers, pool.worker_pids())
    });
    let (Ok(first_pid), Ok(second_pid)) = (&answers[0], &answers[2]) else {
        panic!(
            "with one worker, the jobs [pid, crash, pid] should give [Ok(pid), Err, Ok(pid)], \
             got {answers:?}: after the crash, a new worker must take over"
        );
    };
    assert!(
        answers[1].is_err(),
        "the job `crash` should fail, got {:?}",
        answers[1]
    );
    assert_ne!(
        first_pid, second_pid,
        "the job after the crash was answered by the same process id: a dead process \
         cannot answer; the pool must start a new one"
    );
    assert_eq!(
        pids_after,
        vec![second_pid.parse::<u32>().unwrap()],
        "the pool should now hold the replacement worker"
    );
}

#[test]
fn dead_and_retired_workers_are_reaped() {
    let (crashed_pid, last_pid) = within(GENEROUS, "a pool of 1, dropped", "", || {
        let mut pool = ProcessPool::new(WORKER, 1);
        let crashed_pid = pool.worker_pids()[0];
        let answers = pool.run(&["crash", "pid"]);
        assert!(
            !process_exists(crashed_pid),
            "the crashed worker (pid {crashed_pid}) still exists as a zombie after `run`: \
             a dead child stays in the process table until its parent `wait`s for it"
        );
        let last_pid: u32 = answers[1]
            .as_ref()
            .expect("the second job runs")
            .parse()
            .unwrap();
        drop(pool);
        (crashed_pid, last_pid)
    });
    assert_ne!(crashed_pid, last_pid);
    assert!(
        !process_exists(last_pid),
        "worker {last_pid} still exists after the pool was dropped"
    );
}
