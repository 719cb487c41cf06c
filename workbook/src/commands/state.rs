//! Building and running one exercise's tests, and judging the outcome.

use crate::info::{Exercise, Workbook};
use crate::runner::{Build, Cargo, Outcome, Targets, TestRun};
use anyhow::Result;
use std::path::Path;

/// Where a learner stands on one exercise.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum State {
    Solved,
    /// Some tests fail: `passed` of `total` pass.
    Failing {
        passed: usize,
        total: usize,
    },
    /// The exercise's own files do not compile.
    DoesNotCompile,
    /// Another exercise of the same chapter does not compile, so this one
    /// cannot be built either (one crate per chapter).
    Blocked {
        by: String,
    },
}

impl State {
    pub fn label(&self) -> String {
        match self {
            State::Solved => "solved".into(),
            State::Failing { passed, total } => format!("failing ({passed}/{total} tests pass)"),
            State::DoesNotCompile => "does not compile".into(),
            State::Blocked { by } => format!("not built: {by} does not compile"),
        }
    }

    pub fn symbol(&self) -> &'static str {
        match self {
            State::Solved => "✓",
            State::Failing { .. } => "✗",
            State::DoesNotCompile | State::Blocked { .. } => "!",
        }
    }
}

/// The result of checking one exercise, with what is needed to explain it.
pub struct Report {
    pub state: State,
    /// Compiler errors, when the exercise does not compile.
    pub compile_errors: String,
    /// The normal tests, when they ran.
    pub run: Option<TestRun>,
    /// The loom model, when it ran (only after the normal tests pass).
    pub loom_run: Option<TestRun>,
}

/// Builds (unless `build` is given) and runs the exercise's tests.
pub fn check_exercise(
    workbook: &Workbook,
    cargo: &Cargo,
    exercise: &Exercise,
    build: Option<&Build>,
) -> Result<Report> {
    let paths = workbook.paths(exercise);
    let own_build;
    let build = match build {
        Some(build) => build,
        None => {
            own_build = cargo.build_tests(
                &paths.exercise_package,
                Targets::Named(&[exercise.name.as_str()]),
                false,
            )?;
            &own_build
        }
    };
    if let Some(state) = compile_state(build, &paths.stub, &paths.tests, &paths.exercise_package) {
        return Ok(Report {
            state,
            compile_errors: build.error_text(),
            run: None,
            loom_run: None,
        });
    }
    let executable = crate::runner::executable(build, &exercise.name)?;
    let package_dir = paths
        .stub
        .parent()
        .and_then(Path::parent)
        .expect("src/<name>.rs");
    let run = cargo.run_tests(executable, package_dir)?;
    let mut state = judge(&run);
    let mut loom_run = None;
    if let (State::Solved, Some(loom_test)) = (&state, &exercise.loom) {
        let loom_build = cargo.build_tests(
            &paths.exercise_package,
            Targets::Named(&[loom_test.as_str()]),
            true,
        )?;
        if !loom_build.success {
            return Ok(Report {
                state: State::DoesNotCompile,
                compile_errors: loom_build.error_text(),
                run: Some(run),
                loom_run: None,
            });
        }
        let loom = cargo.run_tests(
            crate::runner::executable(&loom_build, loom_test)?,
            package_dir,
        )?;
        state = match judge(&loom) {
            State::Solved => State::Solved,
            _ => State::Failing {
                passed: run.count(Outcome::Passed) + loom.count(Outcome::Passed),
                total: run.outcomes.len() + loom.outcomes.len(),
            },
        };
        loom_run = Some(loom);
    }
    Ok(Report {
        state,
        compile_errors: String::new(),
        run: Some(run),
        loom_run,
    })
}

/// `None` if the exercise built; otherwise why not.
fn compile_state(build: &Build, stub: &Path, tests: &Path, package: &str) -> Option<State> {
    if build.success {
        return None;
    }
    let own_errors = build.errors_in(stub).len() + build.errors_in(tests).len();
    if own_errors > 0 || build.errors.is_empty() {
        return Some(State::DoesNotCompile);
    }
    let culprit = build
        .errors
        .iter()
        .find_map(|e| e.file.clone())
        .unwrap_or_else(|| package.to_string());
    Some(State::Blocked { by: culprit })
}

/// Solved when every test ran and passed.
pub fn judge(run: &TestRun) -> State {
    let total = run.outcomes.len();
    let passed = run.count(Outcome::Passed);
    if run.success && total > 0 && passed == total {
        State::Solved
    } else {
        State::Failing {
            passed,
            total: total.max(1),
        }
    }
}

/// Prints a report the way `check` and `watch` show it.
pub fn print_report(exercise: &Exercise, report: &Report) {
    if !report.compile_errors.is_empty() {
        println!("{}\n", report.compile_errors);
    }
    for run in report.run.iter().chain(&report.loom_run) {
        print_run(run);
    }
    match &report.state {
        State::Solved => println!("✓ `{}` is solved: every test passes.", exercise.name),
        State::Failing { passed, total } => println!(
            "✗ `{}` is not solved yet: {passed} of {total} tests pass. Read the first failure \
             above; `cargo workbook hint {}` gives a hint.",
            exercise.name, exercise.name
        ),
        State::DoesNotCompile => println!(
            "! `{}` does not compile: fix the first error above (the compiler's `help:` lines are \
             usually right).",
            exercise.name
        ),
        State::Blocked { by } => println!(
            "! `{}` cannot be built because {by} does not compile (one crate holds the whole \
             chapter): fix that file first, or `cargo workbook reset` its exercise.",
            exercise.name
        ),
    }
}

fn print_run(run: &TestRun) {
    for (name, outcome) in &run.outcomes {
        match outcome {
            Outcome::Passed => println!("  ✓ {name}"),
            Outcome::Ignored => println!("  - {name} (ignored)"),
            Outcome::Failed => {
                println!("  ✗ {name}");
                if let Some(output) = run.failure_output.get(name) {
                    for line in output.lines() {
                        println!("      {line}");
                    }
                    if output.contains("not yet implemented") {
                        println!(
                            "      (a `todo!()` is still in your code: replace it with your answer)"
                        );
                    }
                }
            }
        }
    }
    if let Some(note) = run.crash_note() {
        println!("  ! {note}");
    }
}
