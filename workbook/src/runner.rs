//! Builds test targets with cargo and runs them, one verdict per test.
//!
//! Building and running are separate steps. The build asks cargo for JSON
//! messages, which give each test executable's path and, on failure, each
//! compiler error with the file it points at (so `list` can say *which*
//! exercise does not compile). The run starts the test executable directly
//! and parses libtest's plain output (`test name ... ok`), which is stable;
//! libtest's JSON output needs a nightly compiler.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// How long one test executable may run before it is killed. Graded tests
/// finish in seconds; this only stops a learner's deadlock from hanging the
/// CLI forever.
pub const TEST_TIMEOUT: Duration = Duration::from_secs(180);

/// The limit for a learner's `check`, `watch` and `list`: graded tests take
/// seconds, so a test binary still running after this is stuck, and saying
/// so soon beats sitting silent. (`verify` and CI keep [`TEST_TIMEOUT`].)
pub const LEARNER_TEST_TIMEOUT: Duration = Duration::from_secs(20);

/// How often `check` says which tests are still running.
pub const STILL_RUNNING_EVERY: Duration = Duration::from_secs(5);

/// Runs cargo in one workspace (the repository or a scratch copy).
#[derive(Debug, Clone)]
pub struct Cargo {
    /// The workspace folder cargo runs in.
    pub workspace: PathBuf,
    /// The target directory shared by every build (so dependencies compile once).
    pub target_dir: PathBuf,
    /// Cargo's build directory (intermediate artifacts) when it is not
    /// `target_dir`: a scratch copy keeps its final artifacts apart but
    /// shares the repository's compiled dependencies.
    pub build_dir: Option<PathBuf>,
    /// How long one test executable may run before it is stopped.
    pub test_limit: Duration,
    /// Say which tests are still running while waiting (learner commands).
    pub show_progress: bool,
}

/// The outcome of building a package's test targets.
#[derive(Debug, Default)]
pub struct Build {
    /// Test target name -> executable.
    pub executables: BTreeMap<String, PathBuf>,
    /// Compiler errors, each with the file it points at when known.
    pub errors: Vec<CompileError>,
    /// cargo's own error output when the build failed without compiler errors.
    pub cargo_stderr: String,
    pub success: bool,
}

#[derive(Debug, Clone)]
pub struct CompileError {
    pub file: Option<String>,
    pub rendered: String,
}

impl Build {
    /// Compiler errors whose primary span is in a file ending with `suffix`.
    pub fn errors_in(&self, suffix: &Path) -> Vec<&CompileError> {
        self.errors
            .iter()
            .filter(|e| {
                e.file
                    .as_deref()
                    .is_some_and(|f| Path::new(f).ends_with(suffix))
            })
            .collect()
    }

    /// All error text, for showing to the learner.
    pub fn error_text(&self) -> String {
        if self.errors.is_empty() {
            return self.cargo_stderr.trim().to_string();
        }
        let mut text: String = self.errors.iter().map(|e| e.rendered.as_str()).collect();
        text.truncate(text.trim_end().len());
        text
    }
}

/// Which set of test targets to build.
pub enum Targets<'a> {
    /// Every integration test (`--tests`).
    All,
    /// Just these `tests/<name>.rs` files.
    Named(&'a [&'a str]),
}

impl Cargo {
    /// A runner for the workspace at `workspace`, with the target directory
    /// cargo would use there (honouring `CARGO_TARGET_DIR`).
    pub fn for_workspace(workspace: &Path) -> Result<Cargo> {
        let target_dir = match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => {
                let dir = PathBuf::from(dir);
                if dir.is_absolute() {
                    dir
                } else {
                    workspace.join(dir)
                }
            }
            None => workspace.join("target"),
        };
        Ok(Cargo {
            workspace: workspace.to_path_buf(),
            target_dir,
            build_dir: None,
            test_limit: TEST_TIMEOUT,
            show_progress: false,
        })
    }

    /// The runner for `check`, `watch` and `list`: a short limit per test
    /// executable, and "still running ..." lines while it waits.
    pub fn for_learner(workspace: &Path) -> Result<Cargo> {
        Ok(Cargo {
            test_limit: LEARNER_TEST_TIMEOUT,
            show_progress: true,
            ..Cargo::for_workspace(workspace)?
        })
    }

    /// A runner for a scratch copy of the workspace, with a target directory
    /// of its own under ours (for the binaries and libraries cargo copies out
    /// of its build directory, which would otherwise overwrite ours).
    ///
    /// The copy's packages have a version of their own (see
    /// [`Scratch`](crate::scratch::Scratch)), so their intermediate artifacts
    /// cannot be mistaken for ours and it shares our build directory: the
    /// dependencies it needs are the ones we built. Without that version, it
    /// must not share anything: cargo names a workspace package's artifacts
    /// and fingerprints after its path *relative to the workspace root*, so a
    /// copy's `exercises/ch01-.../` would reuse the same files, and a build in
    /// the copy could make the learner's real edits look up to date.
    pub fn for_scratch(&self, scratch: &crate::scratch::Scratch) -> Cargo {
        let target_dir = self.target_dir.join("workbook/scratch-target");
        let build_dir = if scratch.versioned_apart {
            self.build_dir.as_ref().unwrap_or(&self.target_dir).clone()
        } else {
            target_dir.clone()
        };
        Cargo {
            workspace: scratch.root.clone(),
            target_dir,
            build_dir: Some(build_dir),
            test_limit: self.test_limit,
            show_progress: false,
        }
    }

    /// Builds `package`'s test targets; with `loom`, under `--cfg loom` in a
    /// target directory of its own (so the normal build is not invalidated).
    pub fn build_tests(&self, package: &str, targets: Targets<'_>, loom: bool) -> Result<Build> {
        let mut command = self.command();
        command.args([
            "test",
            "--no-run",
            "--message-format",
            "json",
            "--package",
            package,
        ]);
        match targets {
            Targets::All => {
                command.arg("--tests");
            }
            Targets::Named(names) => {
                for name in names {
                    command.args(["--test", name]);
                }
            }
        }
        let (mut target_dir, mut build_dir) = (self.target_dir.clone(), self.build_dir.clone());
        if loom {
            let mut flags = std::env::var("RUSTFLAGS").unwrap_or_default();
            flags.push_str(" --cfg loom");
            command.env("RUSTFLAGS", flags.trim());
            target_dir.push("loom");
            if let Some(dir) = &mut build_dir {
                dir.push("loom");
            }
        }
        command.arg("--target-dir").arg(target_dir);
        if let Some(dir) = build_dir {
            command.env("CARGO_BUILD_BUILD_DIR", dir);
        }
        let output = run_captured(&mut command)?;
        Ok(parse_build(&output.stdout, output.stderr, output.success))
    }

    /// Runs one test executable of `package` (in the package's folder, as
    /// `cargo test` does) and parses what it printed.
    pub fn run_tests(&self, executable: &Path, package_dir: &Path) -> Result<TestRun> {
        self.run_tests_with_args(executable, package_dir, &[])
    }

    /// Runs only the test named exactly `test` (its outcome is missing from
    /// the run when there is no such test).
    pub fn run_tests_filtered(
        &self,
        executable: &Path,
        package_dir: &Path,
        test: &str,
    ) -> Result<TestRun> {
        self.run_tests_with_args(executable, package_dir, &[test, "--exact"])
    }

    fn run_tests_with_args(
        &self,
        executable: &Path,
        package_dir: &Path,
        args: &[&str],
    ) -> Result<TestRun> {
        let mut command = Command::new(executable);
        command.args(args);
        command
            .current_dir(self.workspace.join(package_dir))
            .env("CARGO_MANIFEST_DIR", self.workspace.join(package_dir))
            .env("RUST_BACKTRACE", "0")
            .stdin(Stdio::null());
        // The test names first, so that while waiting we know which have
        // not reported yet (libtest prints a test's line when it finishes).
        let listed = list_tests(executable, &self.workspace.join(package_dir), args);
        let watched = run_watched(&mut command, self.test_limit, self.show_progress, &listed)?;
        let mut run = parse_test_output(
            &watched.stdout,
            &watched.stderr,
            watched.success,
            watched.timed_out,
        );
        run.limit = self.test_limit;
        run.unfinished = watched.unfinished;
        Ok(run)
    }

    /// Compiles the exercise crates' dependencies with cargo's progress
    /// shown (stderr inherited). Failures are left to the real build, which
    /// reports them properly.
    pub fn warm_up(&self, packages: &[String]) {
        let mut command = self.command();
        command.args(["test", "--no-run"]);
        for package in packages {
            command.args(["--package", package]);
        }
        command
            .arg("--target-dir")
            .arg(&self.target_dir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit());
        let _ = command.status();
    }

    fn command(&self) -> Command {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command.current_dir(&self.workspace).stdin(Stdio::null());
        command
    }
}

/// The names of the tests an executable would run with `args`.
fn list_tests(executable: &Path, dir: &Path, args: &[&str]) -> Vec<String> {
    let output = Command::new(executable)
        .args(args)
        .args(["--list", "--format", "terse"])
        .current_dir(dir)
        .env("CARGO_MANIFEST_DIR", dir)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output();
    let Ok(output) = output else {
        return Vec::new();
    };
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.strip_suffix(": test"))
        .map(str::to_string)
        .collect()
}

struct Watched {
    stdout: String,
    stderr: String,
    success: bool,
    timed_out: bool,
    /// Listed tests that had not reported when the run ended.
    unfinished: Vec<String>,
}

/// Runs a test executable, reading its output line by line as it comes, so
/// that it knows which tests are still running; stops it after `limit`.
fn run_watched(
    command: &mut Command,
    limit: Duration,
    show_progress: bool,
    listed: &[String],
) -> Result<Watched> {
    use std::io::BufRead;
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = command
        .spawn()
        .with_context(|| format!("cannot start {}", command.get_program().to_string_lossy()))?;
    let stderr = read_in_background(child.stderr.take());
    let (lines_tx, lines) = std::sync::mpsc::channel::<String>();
    let stdout_pipe = child.stdout.take();
    let reader = std::thread::spawn(move || {
        if let Some(pipe) = stdout_pipe {
            for line in std::io::BufReader::new(pipe).lines() {
                let Ok(line) = line else { break };
                if lines_tx.send(line).is_err() {
                    break;
                }
            }
        }
    });
    let started = Instant::now();
    let mut stdout = String::new();
    let mut finished: Vec<String> = Vec::new();
    let mut next_report = STILL_RUNNING_EVERY;
    let mut timed_out = false;
    let unfinished = |finished: &[String]| -> Vec<String> {
        listed
            .iter()
            .filter(|name| !finished.contains(name))
            .cloned()
            .collect()
    };
    loop {
        match lines.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                if let Some((name, _)) = line
                    .strip_prefix("test ")
                    .and_then(|rest| rest.split_once(" ... "))
                {
                    let name = name.strip_suffix(" - should panic").unwrap_or(name);
                    finished.push(name.to_string());
                }
                stdout.push_str(&line);
                stdout.push('\n');
                continue;
            }
            Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => break,
            Err(std::sync::mpsc::RecvTimeoutError::Timeout) => {}
        }
        let elapsed = started.elapsed();
        if elapsed > limit {
            timed_out = true;
            let _ = child.kill();
            break;
        }
        if show_progress && elapsed >= next_report {
            let running = unfinished(&finished);
            if !running.is_empty() {
                println!(
                    "  ... still running {} ({} s)",
                    running.join(", "),
                    elapsed.as_secs()
                );
            }
            next_report += STILL_RUNNING_EVERY;
        }
    }
    let status = child.wait()?;
    // Whatever was printed just before the kill.
    while let Ok(line) = lines.try_recv() {
        stdout.push_str(&line);
        stdout.push('\n');
    }
    let _ = reader.join();
    Ok(Watched {
        stdout,
        stderr: stderr.join().unwrap_or_default(),
        success: status.success() && !timed_out,
        timed_out,
        unfinished: if timed_out {
            unfinished(&finished)
        } else {
            Vec::new()
        },
    })
}

struct Captured {
    stdout: String,
    stderr: String,
    success: bool,
}

/// Runs a command to completion, capturing both streams.
fn run_captured(command: &mut Command) -> Result<Captured> {
    command.stdout(Stdio::piped()).stderr(Stdio::piped());
    let program = command.get_program().to_string_lossy().into_owned();
    let mut child = command.spawn().map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "`{program}` was not found: install Rust with rustup (https://rustup.rs) and make \
                 sure `cargo` is on your PATH"
            )
        } else {
            anyhow::anyhow!("cannot start `{program}`: {error}")
        }
    })?;
    // Read both pipes on their own threads: a child that fills one pipe while
    // we wait on the other would otherwise block forever.
    let stdout = read_in_background(child.stdout.take());
    let stderr = read_in_background(child.stderr.take());
    let status = child.wait()?;
    Ok(Captured {
        stdout: stdout.join().unwrap_or_default(),
        stderr: stderr.join().unwrap_or_default(),
        success: status.success(),
    })
}

fn read_in_background(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            text = String::from_utf8_lossy(&bytes).into_owned();
        }
        text
    })
}

#[derive(Deserialize)]
struct Message {
    reason: String,
    #[serde(default)]
    target: Option<Target>,
    #[serde(default)]
    executable: Option<PathBuf>,
    #[serde(default)]
    message: Option<Diagnostic>,
}

#[derive(Deserialize)]
struct Target {
    name: String,
    kind: Vec<String>,
}

#[derive(Deserialize)]
struct Diagnostic {
    level: String,
    rendered: Option<String>,
    #[serde(default)]
    spans: Vec<Span>,
}

#[derive(Deserialize)]
struct Span {
    file_name: String,
    is_primary: bool,
}

fn parse_build(stdout: &str, stderr: String, success: bool) -> Build {
    let mut build = Build {
        success,
        ..Build::default()
    };
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<Message>(line) else {
            continue;
        };
        match message.reason.as_str() {
            "compiler-artifact" => {
                if let (Some(target), Some(executable)) = (message.target, message.executable)
                    && target.kind.iter().any(|k| k == "test")
                {
                    build.executables.insert(target.name, executable);
                }
            }
            "compiler-message" => {
                let Some(diagnostic) = message.message else {
                    continue;
                };
                if diagnostic.level != "error" {
                    continue;
                }
                let file = diagnostic
                    .spans
                    .iter()
                    .find(|s| s.is_primary)
                    .map(|s| s.file_name.clone());
                let rendered = diagnostic.rendered.unwrap_or_default();
                // "aborting due to N previous errors" has no span: skip it.
                if file.is_some() || !rendered.starts_with("error: aborting") {
                    build.errors.push(CompileError { file, rendered });
                }
            }
            _ => {}
        }
    }
    if !success {
        build.cargo_stderr = stderr
            .lines()
            .filter(|l| {
                let l = l.trim_start();
                !(l.starts_with("Compiling")
                    || l.starts_with("Blocking")
                    || l.starts_with("Finished"))
            })
            .collect::<Vec<_>>()
            .join("\n");
    }
    build
}

/// The verdict of one test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Passed,
    Failed,
    Ignored,
}

/// What one test executable reported.
#[derive(Debug, Default)]
pub struct TestRun {
    /// Test name -> outcome, in the order reported.
    pub outcomes: Vec<(String, Outcome)>,
    /// Test name -> what the failing test printed (its panic message).
    pub failure_output: BTreeMap<String, String>,
    /// True when every test passed and the process exited cleanly.
    pub success: bool,
    pub timed_out: bool,
    /// The limit the run had (for the message when it was stopped).
    pub limit: Duration,
    /// When stopped: the tests that had not finished.
    pub unfinished: Vec<String>,
    /// Everything printed, for problems the parser does not understand.
    pub raw: String,
}

impl TestRun {
    pub fn count(&self, outcome: Outcome) -> usize {
        self.outcomes.iter().filter(|(_, o)| *o == outcome).count()
    }

    pub fn outcome_of(&self, test: &str) -> Option<Outcome> {
        self.outcomes
            .iter()
            .find(|(name, _)| name == test)
            .map(|(_, o)| *o)
    }

    /// A one-line reason when the process died without reporting every test.
    pub fn crash_note(&self) -> Option<String> {
        if self.timed_out {
            let which = match self.unfinished.as_slice() {
                [] => String::new(),
                names => format!(
                    " {} had not finished:",
                    names
                        .iter()
                        .map(|n| format!("`{n}`"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Some(format!(
                "the tests did not finish within {} s and were stopped;{which} probably a deadlock \
                 or a lost wake-up (a lock never released, a thread never joined, or a future \
                 whose waker nobody calls)",
                self.limit.as_secs()
            ));
        }
        let reported_all = self.raw.contains("test result:");
        (!self.success && !reported_all).then(|| {
            let tail: Vec<&str> = self.raw.lines().rev().take(6).collect();
            let tail: Vec<&str> = tail.into_iter().rev().collect();
            format!(
                "the test process crashed before reporting:\n{}",
                tail.join("\n")
            )
        })
    }
}

fn parse_test_output(stdout: &str, stderr: &str, success: bool, timed_out: bool) -> TestRun {
    let mut run = TestRun {
        success,
        timed_out,
        raw: format!("{stdout}{stderr}"),
        ..TestRun::default()
    };
    let mut lines = stdout.lines().peekable();
    while let Some(line) = lines.next() {
        if let Some(rest) = line.strip_prefix("test ")
            && let Some((name, verdict)) = rest.split_once(" ... ")
        {
            let outcome = match verdict
                .split_whitespace()
                .next()
                .map(|w| w.trim_end_matches(','))
            {
                Some("ok") => Outcome::Passed,
                Some("FAILED") => Outcome::Failed,
                Some("ignored") => Outcome::Ignored,
                _ => continue,
            };
            // libtest writes `name - should panic` for #[should_panic] tests.
            let name = name.strip_suffix(" - should panic").unwrap_or(name);
            run.outcomes.push((name.to_string(), outcome));
        } else if let Some(name) = line
            .strip_prefix("---- ")
            .and_then(|rest| rest.strip_suffix(" stdout ----"))
        {
            let mut block = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("---- ") || *next == "failures:" {
                    break;
                }
                block.push(lines.next().unwrap_or_default());
            }
            let text = block
                .into_iter()
                .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE=1`"))
                .collect::<Vec<_>>()
                .join("\n");
            run.failure_output
                .insert(name.to_string(), text.trim().to_string());
        }
    }
    run
}

/// True when nothing has been compiled into `target_dir` yet (no tokio in
/// the debug fingerprints): the next build compiles every dependency.
pub fn is_cold(target_dir: &Path) -> bool {
    let Ok(entries) = std::fs::read_dir(target_dir.join("debug/.fingerprint")) else {
        return true;
    };
    !entries
        .flatten()
        .any(|e| e.file_name().to_string_lossy().starts_with("tokio-"))
}

/// Ensures a build produced the named test executable.
pub fn executable<'a>(build: &'a Build, test: &str) -> Result<&'a Path> {
    match build.executables.get(test) {
        Some(path) => Ok(path),
        None => bail!("cargo built no test target `{test}` (is there a tests/{test}.rs?)"),
    }
}

/// Reads a file relative to a folder, with a helpful error.
pub fn read(root: &Path, relative: &Path) -> Result<String> {
    let path = root.join(relative);
    std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "
running 3 tests
test adds ... ok
test rejects_zero - should panic ... ok
test overlaps ... FAILED
test slow ... ignored, needs a network

failures:

---- overlaps stdout ----

thread 'overlaps' panicked at tests/x.rs:9:5:
waits overlap: expected 250 ms
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace

failures:
    overlaps

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.00s
";

    #[test]
    fn parses_libtest_output() {
        let run = parse_test_output(SAMPLE, "", false, false);
        assert_eq!(run.outcomes.len(), 4);
        assert_eq!(run.outcome_of("rejects_zero"), Some(Outcome::Passed));
        assert_eq!(run.outcome_of("overlaps"), Some(Outcome::Failed));
        assert_eq!(run.count(Outcome::Passed), 2);
        assert_eq!(run.count(Outcome::Ignored), 1);
        let failure = &run.failure_output["overlaps"];
        assert!(failure.contains("expected 250 ms"), "{failure}");
        assert!(!failure.contains("RUST_BACKTRACE"));
        assert!(run.crash_note().is_none());
    }

    #[test]
    fn a_stopped_run_names_the_tests_that_had_not_finished() {
        let mut command = Command::new("sh");
        command.args(["-c", "echo 'test fast ... ok'; exec sleep 30"]);
        let listed = ["fast".to_string(), "stuck".to_string()];
        let watched =
            run_watched(&mut command, Duration::from_millis(300), false, &listed).unwrap();
        assert!(watched.timed_out && !watched.success);
        assert_eq!(watched.unfinished, ["stuck"]);
        let mut run = parse_test_output(&watched.stdout, "", false, true);
        run.unfinished = watched.unfinished;
        let note = run.crash_note().unwrap();
        assert!(
            note.contains("`stuck` had not finished") && note.contains("lost wake-up"),
            "{note}"
        );
    }

    #[test]
    fn parses_build_messages() {
        let stdout = r#"{"reason":"compiler-artifact","target":{"name":"fetch_all","kind":["test"]},"executable":"/t/fetch_all-1"}
{"reason":"compiler-message","message":{"level":"error","rendered":"error[E0308]: mismatched types\n","spans":[{"file_name":"exercises/ch01/src/poll_loop.rs","is_primary":true}]}}
{"reason":"compiler-message","message":{"level":"error","rendered":"error: aborting due to 1 previous error\n","spans":[]}}"#;
        let build = parse_build(stdout, String::new(), false);
        assert_eq!(
            build.executables["fetch_all"],
            PathBuf::from("/t/fetch_all-1")
        );
        assert_eq!(build.errors.len(), 1);
        assert_eq!(build.errors_in(Path::new("src/poll_loop.rs")).len(), 1);
        assert!(build.errors_in(Path::new("src/fetch_all.rs")).is_empty());
    }
}
