//! `cargo workbook verify [--chapter chNN]`: the maintainers' check.
//!
//! For every exercise:
//! 1. every test fails against the original stub (a test that passes on a
//!    `todo!()` cannot tell a wrong answer from none);
//! 2. every test passes against the reference solution;
//! 3. every wrong answer recorded in `solutions/<chapter>/mutants.toml`,
//!    applied to a scratch copy of the solution, makes its named test fail.
//!
//! If the learner edited stubs, the originals come from git `HEAD` and are
//! built in the scratch copy, so the learner's work is never touched.

use crate::git;
use crate::info::{Chapter, Exercise, Workbook};
use crate::runner::{Build, Cargo, Outcome, Targets, TestRun};
use crate::scratch::Scratch;
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Instant;

pub struct Options {
    pub chapter: Option<String>,
    /// Check the stubs as they are on disk, even if they differ from HEAD.
    pub working_tree: bool,
    /// Skip the wrong answers (faster).
    pub skip_mutants: bool,
    /// Check each wrong answer in a build of its own (slow; the old way),
    /// instead of one build per round of one wrong answer per exercise.
    pub no_batch: bool,
}

/// A plausible wrong answer and the test that must reject it.
///
/// It comes in one of two forms: an edit of the solution (`replace` the text
/// with `with`), or a whole wrong version of the stub file (`source`, a path
/// relative to the solution crate) that replaces the exercise's stub.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mutant {
    pub exercise: String,
    pub wrong: String,
    #[serde(default)]
    pub replace: Option<String>,
    #[serde(default)]
    pub with: Option<String>,
    /// A complete wrong `src/<exercise>.rs` for the stub crate, relative to
    /// the solution crate (`mutants/<exercise>/<slug>.rs`).
    #[serde(default)]
    pub source: Option<String>,
    pub caught_by: String,
    /// The file to change, relative to the solution crate (default `src/<exercise>.rs`).
    #[serde(default)]
    pub file: Option<String>,
    /// Only the exercise's loom model catches it.
    #[serde(default)]
    pub loom: bool,
}

/// How a mutant changes the code, once its fields are checked.
#[derive(Debug, PartialEq, Eq)]
pub enum MutantForm<'a> {
    /// Edit the solution file: `replace` (once) becomes `with`.
    Edit { replace: &'a str, with: &'a str },
    /// Put this file (relative to the solution crate) over the stub.
    WholeFile { source: &'a str },
}

impl Mutant {
    /// The mutant's form, or why its fields do not make one.
    pub fn form(&self) -> Result<MutantForm<'_>, String> {
        let name = format!(
            "wrong answer \"{}\" (exercise `{}`)",
            self.wrong, self.exercise
        );
        match (&self.replace, &self.with, &self.source) {
            (Some(replace), Some(with), None) => Ok(MutantForm::Edit { replace, with }),
            (None, None, Some(source)) if self.file.is_none() => {
                Ok(MutantForm::WholeFile { source })
            }
            (None, None, Some(_)) => Err(format!(
                "{name}: `file` applies to `replace`/`with` only; a `source` mutant always \
                 replaces the stub src/{}.rs",
                self.exercise
            )),
            (_, _, Some(_)) => Err(format!(
                "{name} has both `source` and `replace`/`with`: give one form only"
            )),
            (None, None, None) => Err(format!(
                "{name} has neither `replace`/`with` nor `source`: give one of the two forms"
            )),
            _ => Err(format!(
                "{name}: `replace` and `with` go together (one of them is missing)"
            )),
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct MutantFile {
    #[serde(default)]
    mutant: Vec<Mutant>,
}

/// The workspace copies verify builds in.
struct Trees {
    /// Where the original stubs are: the repository, or the scratch copy.
    stubs: Cargo,
    /// The repository itself (solutions are checked as they are).
    main: Cargo,
    /// The scratch copy for mutants (and edited stubs), made on first use.
    scratch: Option<Scratch>,
}

/// Returns true when every exercise verified.
pub fn run(workbook: &Workbook, options: &Options) -> Result<bool> {
    if !workbook.root.join("solutions").is_dir() {
        bail!(
            "verify needs the reference solutions in solutions/, which this copy does not have \
             (learners may delete them to avoid spoilers; list, check, watch and hint work \
             without them). Restore them with `git restore solutions` to verify."
        );
    }
    let chapters: Vec<&Chapter> = match &options.chapter {
        Some(name) => vec![workbook.resolve_chapter(name)?],
        None => workbook.chapters_with_exercises().collect(),
    };
    if chapters
        .iter()
        .all(|c| workbook.exercises_of(c).next().is_none())
    {
        bail!(
            "no exercises to verify in {}",
            chapters
                .iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    let mut trees = prepare_trees(workbook, &chapters, options.working_tree)?;
    let (mut passed, mut failed) = (0, 0);
    for chapter in chapters {
        let chapter_started = Instant::now();
        let exercises: Vec<&Exercise> = workbook.exercises_of(chapter).collect();
        println!(
            "{} {} ({} exercises)",
            chapter.id,
            chapter.title,
            exercises.len()
        );
        let mutants = load_mutants(workbook, chapter)?;
        let stray: Vec<&str> = mutants
            .iter()
            .filter(|m| !exercises.iter().any(|e| e.name == m.exercise))
            .map(|m| m.exercise.as_str())
            .collect();
        if !stray.is_empty() {
            println!(
                "  FAIL mutants.toml names exercises this chapter does not have: {}",
                stray.join(", ")
            );
            failed += 1;
        }
        let stub_build =
            trees
                .stubs
                .build_tests(&format!("{}-exercises", chapter.id), Targets::All, false)?;
        let solution_build =
            trees
                .main
                .build_tests(&format!("{}-solutions", chapter.id), Targets::All, false)?;
        let mut findings = Vec::new();
        for exercise in &exercises {
            findings.push(verify_exercise(
                workbook,
                exercise,
                &mut trees,
                &stub_build,
                &solution_build,
                &mutants,
                options.skip_mutants,
            )?);
        }
        if !options.skip_mutants {
            // Steps that build on each other cannot share a build (one step's
            // wrong answer would fail the next step's tests), and a whole-file
            // wrong answer needs the other steps solved, not `todo!()`, or
            // every test would fail whatever the answer does.
            let steps = chapter.steps_build_on_each_other;
            let solved = if steps {
                Some(solve_other_steps(workbook, &exercises, &mut trees)?)
            } else {
                None
            };
            let checked = check_wrong_answers(
                workbook,
                &exercises,
                &mut findings,
                &mut trees,
                &mutants,
                !options.no_batch && !steps,
            );
            if let Some(originals) = solved {
                restore(scratch_of(&trees), &originals)?;
            }
            checked?;
        }
        // Hints last, so that a missing hint does not hold back the mutants.
        for (name, problem) in crate::hints::problems(workbook, chapter)? {
            match exercises.iter().position(|e| e.name == name) {
                Some(i) => findings[i].issues.push(problem),
                None => {
                    println!("  FAIL {problem}");
                    failed += 1;
                }
            }
        }
        for (exercise, found) in exercises.iter().zip(findings.iter_mut()) {
            if exercise.legacy_hint.is_some() {
                found.issues.push(format!(
                    "exercises/info.toml still has a `hint` for `{}`: hints live in {} now, in \
                     2-3 tiers (learners reading exercises/ should not see them)",
                    exercise.name,
                    crate::hints::file_of(chapter).display()
                ));
            }
        }
        for (exercise, problems) in exercises.iter().zip(&findings) {
            let caught = summary_of_mutants(&mutants, exercise, options.skip_mutants);
            if problems.issues.is_empty() {
                passed += 1;
                println!(
                    "  ok   {:<24} {} tests fail on the stub and pass on the solution{caught}",
                    exercise.name, problems.tests
                );
            } else {
                failed += 1;
                println!("  FAIL {}", exercise.name);
                for issue in &problems.issues {
                    for (i, line) in issue.lines().enumerate() {
                        println!("       {}{line}", if i == 0 { "- " } else { "  " });
                    }
                }
            }
        }
        println!(
            "  ({} took {:.0} s)",
            chapter.id,
            chapter_started.elapsed().as_secs_f64()
        );
    }
    println!();
    println!("{passed} passed, {failed} failed");
    Ok(failed == 0)
}

fn summary_of_mutants(mutants: &[Mutant], exercise: &Exercise, skipped: bool) -> String {
    let count = mutants
        .iter()
        .filter(|m| m.exercise == exercise.name)
        .count();
    match (skipped, count) {
        (true, _) => "; wrong answers skipped".into(),
        (false, n) => format!("; {n}/{n} wrong answers caught"),
    }
}

struct Findings {
    tests: usize,
    issues: Vec<String>,
}

fn verify_exercise(
    workbook: &Workbook,
    exercise: &Exercise,
    trees: &mut Trees,
    stub_build: &Build,
    solution_build: &Build,
    mutants: &[Mutant],
    skip_mutants: bool,
) -> Result<Findings> {
    let paths = workbook.paths(exercise);
    let exercise_dir = paths
        .stub
        .parent()
        .and_then(Path::parent)
        .expect("src/<name>.rs")
        .to_path_buf();
    let solution_dir = paths
        .solution
        .parent()
        .and_then(Path::parent)
        .expect("src/<name>.rs")
        .to_path_buf();
    let mut issues = Vec::new();

    // 1. The stub: builds, and every test fails.
    let stub_run = run_built(
        &trees.stubs,
        stub_build,
        &exercise.name,
        &exercise_dir,
        "stub",
        &mut issues,
    )?;
    let tests = stub_run.as_ref().map_or(0, |r| r.outcomes.len());
    if let Some(run) = &stub_run {
        expect_all_fail(run, "", &mut issues);
    }
    // 2. The solution: every test passes, and it is the same set of tests.
    if let Some(run) = run_built(
        &trees.main,
        solution_build,
        &exercise.name,
        &solution_dir,
        "solution",
        &mut issues,
    )? {
        expect_all_pass(&run, "", &mut issues);
        if stub_run.is_some() && run.outcomes.len() != tests {
            issues.push(format!(
                "the stub ran {tests} tests but the solution ran {}: is tests/{}.rs in the solution \
                 crate the `include!` of the exercise's file?",
                run.outcomes.len(),
                exercise.name
            ));
        }
    }
    // The loom model, when there is one, under the same two rules.
    if let Some(loom_test) = &exercise.loom {
        let names = [loom_test.as_str()];
        let build =
            trees
                .stubs
                .build_tests(&paths.exercise_package, Targets::Named(&names), true)?;
        if let Some(run) = run_built(
            &trees.stubs,
            &build,
            loom_test,
            &exercise_dir,
            "stub (loom)",
            &mut issues,
        )? {
            expect_all_fail(&run, "loom ", &mut issues);
        }
        let build =
            trees
                .main
                .build_tests(&paths.solution_package, Targets::Named(&names), true)?;
        if let Some(run) = run_built(
            &trees.main,
            &build,
            loom_test,
            &solution_dir,
            "solution (loom)",
            &mut issues,
        )? {
            expect_all_pass(&run, "loom ", &mut issues);
        }
    }
    if tests == 0 && issues.is_empty() {
        issues.push(format!("tests/{}.rs has no tests", exercise.name));
    }
    // 3. The wrong answers.
    let own: Vec<&Mutant> = mutants
        .iter()
        .filter(|m| m.exercise == exercise.name)
        .collect();
    if own.is_empty() && !skip_mutants {
        issues.push(format!(
            "no wrong answers recorded: add [[mutant]] entries for `{}` to solutions/{}/mutants.toml \
             (see CONTRIBUTING.md)",
            exercise.name,
            workbook.chapter(&exercise.chapter).expect("validated").dir
        ));
    }
    // A mutant whose fields make no form is an error even with --skip-mutants.
    issues.extend(own.iter().filter_map(|m| m.form().err()));
    Ok(Findings { tests, issues })
}

/// Runs a test target from a build, recording why it could not run.
fn run_built(
    cargo: &Cargo,
    build: &Build,
    test: &str,
    package_dir: &Path,
    what: &str,
    issues: &mut Vec<String>,
) -> Result<Option<TestRun>> {
    let Some(executable) = build.executables.get(test) else {
        let detail = if build.success {
            format!("no test target `{test}`: add tests/{test}.rs")
        } else {
            first_lines(&build.error_text(), 12)
        };
        issues.push(format!("the {what} does not build:\n{detail}"));
        return Ok(None);
    };
    let run = cargo.run_tests(executable, package_dir)?;
    if let Some(note) = run.crash_note() {
        issues.push(format!("the {what}'s tests: {note}"));
    }
    Ok(Some(run))
}

fn expect_all_fail(run: &TestRun, kind: &str, issues: &mut Vec<String>) {
    for (name, outcome) in &run.outcomes {
        if *outcome == Outcome::Passed {
            issues.push(format!(
                "{kind}test `{name}` passes on the untouched stub: a test that cannot fail grades nothing"
            ));
        }
    }
    if run.outcomes.is_empty() && run.crash_note().is_none() {
        issues.push(format!("the stub ran no {kind}tests"));
    }
}

fn expect_all_pass(run: &TestRun, kind: &str, issues: &mut Vec<String>) {
    for (name, outcome) in &run.outcomes {
        if *outcome != Outcome::Passed {
            let why = run
                .failure_output
                .get(name)
                .map(|o| first_lines(o, 6))
                .unwrap_or_default();
            issues.push(format!(
                "{kind}test `{name}` does not pass on the solution:\n{why}"
            ));
        }
    }
    if run.outcomes.is_empty() && run.crash_note().is_none() {
        issues.push(format!("the solution ran no {kind}tests"));
    }
}

/// Checks the wrong answers of every exercise that passed the other checks.
///
/// Batched, round `k` applies the `k`-th wrong answer of every exercise at
/// once, builds each affected package's test targets in one cargo run, and
/// runs each exercise's own test binary to judge its own wrong answer. If a
/// round's build fails, its wrong answers are checked one by one, so a
/// wrong answer that does not compile is still reported as such.
fn check_wrong_answers(
    workbook: &Workbook,
    exercises: &[&Exercise],
    findings: &mut [Findings],
    trees: &mut Trees,
    mutants: &[Mutant],
    batch: bool,
) -> Result<()> {
    let queues: Vec<Vec<&Mutant>> = exercises
        .iter()
        .zip(findings.iter())
        .map(|(exercise, found)| {
            if !found.issues.is_empty() {
                return Vec::new(); // the stub or solution is wrong: fix that first
            }
            mutants
                .iter()
                .filter(|m| m.exercise == exercise.name)
                .collect()
        })
        .collect();
    let rounds = queues.iter().map(Vec::len).max().unwrap_or(0);
    for k in 0..rounds {
        let round: Vec<(usize, &Mutant)> = queues
            .iter()
            .enumerate()
            .filter_map(|(i, queue)| queue.get(k).map(|m| (i, *m)))
            .collect();
        let verdicts = if batch {
            println!(
                "  wrong answers: round {}/{rounds} ({} at once)...",
                k + 1,
                round.len()
            );
            check_round(workbook, exercises, trees, &round)?
        } else {
            let mut verdicts = Vec::new();
            for (i, mutant) in round {
                verdicts.push((i, check_mutant(workbook, exercises[i], trees, mutant)?));
            }
            verdicts
        };
        for (i, verdict) in verdicts {
            findings[i].issues.extend(verdict);
        }
    }
    Ok(())
}

/// Verdicts by exercise index: `None` when the wrong answer was caught,
/// otherwise what is wrong.
type Verdicts = Vec<(usize, Option<String>)>;

/// Wrong answers sharing one build: (exercise index, mutant, its change).
type Group<'m> = Vec<(usize, &'m Mutant, Applied)>;

/// One round of the batch: at most one wrong answer per exercise.
fn check_round(
    workbook: &Workbook,
    exercises: &[&Exercise],
    trees: &mut Trees,
    round: &[(usize, &Mutant)],
) -> Result<Verdicts> {
    let mut verdicts = Vec::new();
    let mut one_by_one: Vec<(usize, &Mutant)> = Vec::new();
    // Grouped by the package whose tests judge them (and loom or not).
    let mut groups: BTreeMap<(String, bool), Group<'_>> = BTreeMap::new();
    for &(i, mutant) in round {
        match prepare_mutant(workbook, exercises[i], mutant)? {
            Err(problem) => verdicts.push((i, Some(problem))),
            Ok(applied) => {
                let group = groups
                    .entry((applied.package.clone(), mutant.loom))
                    .or_default();
                // Two wrong answers of one file cannot share a build.
                if group.iter().any(|(_, _, other)| other.file == applied.file) {
                    one_by_one.push((i, mutant));
                } else {
                    group.push((i, mutant, applied));
                }
            }
        }
    }
    scratch(workbook, trees)?;
    for ((package, loom), group) in &groups {
        let mut targets = Vec::new();
        for (i, mutant, _) in group {
            targets.push(mutant_target(exercises[*i], mutant)?);
        }
        let scratch = scratch_of(trees);
        let mut before = Vec::new();
        for (_, _, applied) in group {
            before.push(std::fs::read(scratch.root.join(&applied.file)).ok());
            scratch.put(&applied.file, Some(&applied.content))?;
        }
        let cargo = trees.main.for_scratch(scratch);
        let outcome = run_group(&cargo, package, *loom, group, &targets);
        // Put every file back whatever happened, so the next round starts clean.
        for ((_, _, applied), original) in group.iter().zip(&before) {
            scratch.put(&applied.file, original.as_deref())?;
        }
        match outcome? {
            Some(group_verdicts) => verdicts.extend(group_verdicts),
            None => one_by_one.extend(group.iter().map(|(i, mutant, _)| (*i, *mutant))),
        }
    }
    for (i, mutant) in one_by_one {
        verdicts.push((i, check_mutant(workbook, exercises[i], trees, mutant)?));
    }
    Ok(verdicts)
}

/// Builds a group's test targets once and judges each wrong answer with its
/// own exercise's tests; `None` when the build failed (check one by one).
fn run_group(
    cargo: &Cargo,
    package: &str,
    loom: bool,
    group: &Group<'_>,
    targets: &[&str],
) -> Result<Option<Verdicts>> {
    let build = cargo.build_tests(package, Targets::Named(targets), loom)?;
    if !build.success {
        return Ok(None);
    }
    let mut verdicts = Vec::new();
    for ((i, mutant, applied), test) in group.iter().zip(targets) {
        let executable = crate::runner::executable(&build, test)?;
        let run = cargo.run_tests_filtered(executable, &applied.package_dir, &mutant.caught_by)?;
        verdicts.push((*i, judge_mutant(mutant, test, &build, Some(&run))));
    }
    Ok(Some(verdicts))
}

/// A wrong answer ready to be written into the scratch copy.
struct Applied {
    /// The file it replaces, relative to the workspace root.
    file: PathBuf,
    /// The wrong version of that file.
    content: Vec<u8>,
    /// The package whose tests judge it (the solution crate for an edit, the
    /// stub crate for a whole-file mutant), and that package's folder.
    package: String,
    package_dir: PathBuf,
}

/// Works out which file a mutant replaces and with what. `Ok(Err(problem))`
/// when the mutant itself is broken (bad fields, `replace` text not found).
fn prepare_mutant(
    workbook: &Workbook,
    exercise: &Exercise,
    mutant: &Mutant,
) -> Result<std::result::Result<Applied, String>> {
    let paths = workbook.paths(exercise);
    let solution_dir = crate_dir(&paths.solution);
    let form = match mutant.form() {
        Ok(form) => form,
        Err(problem) => return Ok(Err(problem)),
    };
    match form {
        MutantForm::Edit { replace, with } => {
            let file = solution_dir.join(
                mutant
                    .file
                    .clone()
                    .unwrap_or_else(|| format!("src/{}.rs", exercise.name)),
            );
            let original = std::fs::read_to_string(workbook.root.join(&file))
                .with_context(|| format!("cannot read {}", file.display()))?;
            let occurrences = original.matches(replace).count();
            if occurrences != 1 {
                return Ok(Err(format!(
                    "wrong answer \"{}\" no longer applies: its `replace` text occurs \
                     {occurrences} times in {} (it must occur once)",
                    mutant.wrong,
                    file.display()
                )));
            }
            Ok(Ok(Applied {
                file,
                content: original.replacen(replace, with, 1).into_bytes(),
                package: paths.solution_package,
                package_dir: solution_dir,
            }))
        }
        MutantForm::WholeFile { source } => {
            let source_path = solution_dir.join(source);
            let Ok(content) = std::fs::read(workbook.root.join(&source_path)) else {
                return Ok(Err(format!(
                    "wrong answer \"{}\": its `source` file {} cannot be read (the path is \
                     relative to the solution crate)",
                    mutant.wrong,
                    source_path.display()
                )));
            };
            Ok(Ok(Applied {
                package_dir: crate_dir(&paths.stub),
                file: paths.stub,
                content,
                package: paths.exercise_package,
            }))
        }
    }
}

/// Files of the scratch copy as they were before an overlay.
type Originals = Vec<(PathBuf, Option<Vec<u8>>)>;

/// Puts every exercise's reference solution over its stub in the scratch
/// copy, so that a whole-file wrong answer for one step is judged with the
/// other steps solved. Returns what to put back.
fn solve_other_steps(
    workbook: &Workbook,
    exercises: &[&Exercise],
    trees: &mut Trees,
) -> Result<Originals> {
    let scratch = scratch(workbook, trees)?;
    let mut originals = Vec::new();
    for exercise in exercises {
        let paths = workbook.paths(exercise);
        let solution = std::fs::read(workbook.root.join(&paths.solution))
            .with_context(|| format!("cannot read {}", paths.solution.display()))?;
        originals.push((
            paths.stub.clone(),
            std::fs::read(scratch.root.join(&paths.stub)).ok(),
        ));
        scratch.put(&paths.stub, Some(&solution))?;
    }
    Ok(originals)
}

fn restore(scratch: &Scratch, originals: &Originals) -> Result<()> {
    for (file, content) in originals {
        scratch.put(file, content.as_deref())?;
    }
    Ok(())
}

/// `exercises/chNN-x` from `exercises/chNN-x/src/name.rs`.
fn crate_dir(source_file: &Path) -> PathBuf {
    source_file
        .parent()
        .and_then(Path::parent)
        .expect("src/<name>.rs")
        .to_path_buf()
}

/// Applies a wrong answer in the scratch copy and checks that its test fails.
/// Returns a problem description, or `None` when the mutant is caught.
fn check_mutant(
    workbook: &Workbook,
    exercise: &Exercise,
    trees: &mut Trees,
    mutant: &Mutant,
) -> Result<Option<String>> {
    let applied = match prepare_mutant(workbook, exercise, mutant)? {
        Ok(applied) => applied,
        Err(problem) => return Ok(Some(problem)),
    };
    let test_target = mutant_target(exercise, mutant)?;
    let scratch = scratch(workbook, trees)?;
    // Restore what the scratch copy held (a solution, or a stub that may be
    // git's original rather than the learner's), so the next mutant starts clean.
    let before = std::fs::read(scratch.root.join(&applied.file)).ok();
    scratch.put(&applied.file, Some(&applied.content))?;
    let outcome = run_mutant(trees, &applied, test_target, mutant.loom, &mutant.caught_by);
    scratch_of(trees).put(&applied.file, before.as_deref())?;
    let (build, run) = outcome?;
    Ok(judge_mutant(mutant, test_target, &build, run.as_ref()))
}

/// `None` when the mutant's `caught_by` test failed; otherwise what is wrong.
fn judge_mutant(
    mutant: &Mutant,
    test_target: &str,
    build: &Build,
    run: Option<&TestRun>,
) -> Option<String> {
    let Some(run) = run.filter(|_| build.success) else {
        return Some(format!(
            "wrong answer \"{}\" does not compile, so it tests nothing (tests/{test_target}.rs):\n{}",
            mutant.wrong,
            first_lines(&build.error_text(), 8)
        ));
    };
    match run.outcome_of(&mutant.caught_by) {
        Some(Outcome::Failed) => None,
        Some(_) => Some(format!(
            "wrong answer \"{}\" is not caught: test `{}` passes with it",
            mutant.wrong, mutant.caught_by
        )),
        None if run.timed_out => Some(format!(
            "wrong answer \"{}\": the tests hung (stopped after the time limit) instead of failing",
            mutant.wrong
        )),
        None => Some(format!(
            "wrong answer \"{}\": `caught_by` names `{}`, which is not a test in tests/{test_target}.rs",
            mutant.wrong, mutant.caught_by
        )),
    }
}

fn mutant_target<'a>(exercise: &'a Exercise, mutant: &Mutant) -> Result<&'a str> {
    if mutant.loom {
        match &exercise.loom {
            Some(loom) => Ok(loom),
            None => bail!(
                "a wrong answer for `{}` says `loom = true`, but the exercise has no loom test",
                exercise.name
            ),
        }
    } else {
        Ok(&exercise.name)
    }
}

fn run_mutant(
    trees: &Trees,
    applied: &Applied,
    test: &str,
    loom: bool,
    caught_by: &str,
) -> Result<(Build, Option<TestRun>)> {
    let cargo = trees.main.for_scratch(scratch_of(trees));
    let build = cargo.build_tests(&applied.package, Targets::Named(&[test]), loom)?;
    if !build.success {
        return Ok((build, None));
    }
    let executable = crate::runner::executable(&build, test)?.to_path_buf();
    let run = cargo.run_tests_filtered(&executable, &applied.package_dir, caught_by)?;
    Ok((build, Some(run)))
}

fn scratch_of(trees: &Trees) -> &Scratch {
    trees.scratch.as_ref().expect("created before use")
}

fn scratch<'t>(workbook: &Workbook, trees: &'t mut Trees) -> Result<&'t Scratch> {
    if trees.scratch.is_none() {
        let destination = trees.main.target_dir.join("workbook/scratch");
        trees.scratch = Some(Scratch::sync(&workbook.root, &destination)?);
    }
    Ok(scratch_of(trees))
}

/// Decides where the original stubs are, and says so when it is not the
/// repository as it stands.
fn prepare_trees(workbook: &Workbook, chapters: &[&Chapter], working_tree: bool) -> Result<Trees> {
    let main = Cargo::for_workspace(&workbook.root)?;
    let as_is = Trees {
        stubs: main.clone(),
        main: main.clone(),
        scratch: None,
    };
    if working_tree {
        println!("note: --working-tree: checking the stubs as they are on disk\n");
        return Ok(as_is);
    }
    if !git::is_checkout(&workbook.root) {
        println!(
            "note: not a git checkout, so edited stubs cannot be told from the originals: \
             checking exercises/ as it is\n"
        );
        return Ok(as_is);
    }
    let mut changed: Vec<PathBuf> = Vec::new();
    for chapter in chapters {
        let sources = Path::new("exercises").join(&chapter.dir).join("src");
        changed.extend(git::changed_files(&workbook.root, &sources)?);
    }
    if changed.is_empty() {
        return Ok(as_is);
    }
    println!(
        "note: {} stub file(s) differ from git HEAD (your work stays as it is): verifying the \
         original stubs from HEAD in a scratch copy; `--working-tree` checks the files on disk instead\n",
        changed.len()
    );
    let destination = main.target_dir.join("workbook/scratch");
    let scratch = Scratch::sync(&workbook.root, &destination)?;
    for file in &changed {
        let original = git::head_version(&workbook.root, file)?;
        scratch.put(file, original.as_deref())?;
    }
    Ok(Trees {
        stubs: main.for_scratch(&scratch),
        main,
        scratch: Some(scratch),
    })
}

fn load_mutants(workbook: &Workbook, chapter: &Chapter) -> Result<Vec<Mutant>> {
    let path = workbook
        .root
        .join("solutions")
        .join(&chapter.dir)
        .join("mutants.toml");
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)?;
    let file: MutantFile =
        toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
    Ok(file.mutant)
}

fn first_lines(text: &str, n: usize) -> String {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(n)
        .collect();
    lines.join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mutant(fields: &str) -> Mutant {
        let text = format!(
            "exercise = \"countdown\"\nwrong = \"off by one\"\ncaught_by = \"t\"\n{fields}"
        );
        toml::from_str(&text).unwrap()
    }

    #[test]
    fn a_mutant_is_an_edit_or_a_whole_file() {
        assert_eq!(
            mutant("replace = \"a\"\nwith = \"b\"").form(),
            Ok(MutantForm::Edit {
                replace: "a",
                with: "b"
            })
        );
        assert_eq!(
            mutant("source = \"mutants/countdown/early.rs\"").form(),
            Ok(MutantForm::WholeFile {
                source: "mutants/countdown/early.rs"
            })
        );
    }

    #[test]
    fn both_forms_or_neither_is_an_error_naming_the_mutant() {
        for fields in [
            "replace = \"a\"\nwith = \"b\"\nsource = \"m.rs\"",
            "",
            "replace = \"a\"",
            "source = \"m.rs\"\nfile = \"src/x.rs\"",
        ] {
            let error = mutant(fields).form().unwrap_err();
            assert!(
                error.contains("\"off by one\"") && error.contains("`countdown`"),
                "the error for fields {fields:?} must name the mutant: {error}"
            );
        }
    }
}
