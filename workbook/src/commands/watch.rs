//! `cargo workbook watch [exercise|chapter]`: re-check on every save.
//!
//! It follows the learner: saving an exercise's stub or test file (within
//! the scope given, if any) makes that exercise the current one and checks
//! it. When the current exercise is solved it moves to the next unsolved one
//! in the scope.
//!
//! Two sources of events feed one channel: a file watcher on `exercises/`
//! (debounced, so an editor's burst of writes triggers one check) and the
//! keyboard (Enter re-checks, `q` quits). Where watching files fails (some
//! network or container file systems), or with `--manual`, the keyboard
//! alone drives it.

use super::cache;
use super::state::{self, State};
use crate::info::{Exercise, Target, Workbook};
use crate::runner::Cargo;
use anyhow::Result;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, SystemTime};

enum Event {
    /// Rust files that changed on disk (absolute paths).
    Saved(Vec<PathBuf>),
    Enter,
    Quit,
}

const HOW_TO_QUIT: &str =
    "Save a file to re-check; Enter re-checks; q then Enter (or Ctrl-C) quits.";

/// What a saved file means for the watch.
#[derive(Debug, PartialEq, Eq)]
enum Saved {
    /// The stub or a test file of this exercise (index into the scope).
    Exercise(usize),
    /// Another file of a chapter crate in scope (`lib.rs`, a shared helper):
    /// the current exercise may be affected.
    Other,
    /// Outside the scope: ignored.
    Elsewhere,
}

pub fn run(workbook: &Workbook, scope: Option<&str>, manual: bool) -> Result<()> {
    let cargo = Cargo::for_learner(&workbook.root)?;
    let scope: Vec<&Exercise> = match scope {
        None => workbook.exercises.iter().collect(),
        Some(name) => match workbook.resolve(name)? {
            Target::Exercise(exercise) => vec![exercise],
            Target::Chapter(chapter) => workbook.exercises_of(chapter).collect(),
        },
    };
    let (events_tx, events) = mpsc::channel();
    spawn_keyboard(events_tx.clone());
    // Keep the debouncer alive for the whole session: dropping it stops watching.
    let _watcher = if manual {
        println!("Manual mode: press Enter to re-check, q then Enter (or Ctrl-C) to quit.");
        None
    } else {
        match watch_exercises(workbook, events_tx) {
            Ok(watcher) => {
                println!("Watching exercises/. {HOW_TO_QUIT}");
                Some(watcher)
            }
            Err(error) => {
                println!(
                    "Cannot watch files here ({error}): manual mode, press Enter to re-check, \
                     q then Enter (or Ctrl-C) to quit."
                );
                None
            }
        }
    };
    let packages: Vec<String> = scope
        .iter()
        .map(|e| workbook.paths(e).exercise_package)
        .collect();
    super::first_build_note(&cargo, &packages);
    let Some(mut current) = first_unsolved(workbook, &cargo, &scope, 0)? else {
        println!("Every exercise here is solved. Well done!");
        return Ok(());
    };
    loop {
        let exercise = scope[current];
        // Building reads the files, and some file watchers report reads as
        // events: only a save after this check began counts.
        let check_started = SystemTime::now();
        println!("\n=== {} ===", exercise.name);
        let key = cache::key(workbook, exercise);
        let report = state::check_exercise(workbook, &cargo, exercise, None)?;
        cache::store(&cargo.target_dir, exercise, key, &report.state);
        state::print_report(exercise, &report);
        if report.state == State::Solved {
            match first_unsolved(workbook, &cargo, &scope, current + 1)? {
                Some(next) => {
                    current = next;
                    announce_next(workbook, scope[current]);
                    continue;
                }
                None => {
                    println!("\nEvery exercise here is solved. Well done!");
                    return Ok(());
                }
            }
        }
        println!("\n({HOW_TO_QUIT})");
        loop {
            match events.recv() {
                Ok(Event::Enter) => break,
                Ok(Event::Saved(paths)) => {
                    let saved = saved_since(&paths, check_started);
                    match follow(workbook, &scope, &saved) {
                        Some(Saved::Exercise(index)) => {
                            if index != current {
                                println!("\n(following `{}`: you saved it)", scope[index].name);
                                current = index;
                            }
                            break;
                        }
                        Some(Saved::Other) => break,
                        Some(Saved::Elsewhere) | None => continue,
                    }
                }
                Ok(Event::Quit) | Err(_) => return Ok(()),
            }
        }
        // Drain events that piled up while we were checking.
        while let Ok(event) = events.try_recv() {
            if matches!(event, Event::Quit) {
                return Ok(());
            }
        }
    }
}

/// The paths whose modification time is not older than `since`.
fn saved_since(paths: &[PathBuf], since: SystemTime) -> Vec<PathBuf> {
    paths
        .iter()
        .filter(|path| {
            std::fs::metadata(path)
                .and_then(|m| m.modified())
                .is_ok_and(|modified| modified >= since)
        })
        .cloned()
        .collect()
}

/// What the saved files mean: the last saved exercise file in scope wins;
/// `None` when nothing was saved.
fn follow(workbook: &Workbook, scope: &[&Exercise], saved: &[PathBuf]) -> Option<Saved> {
    let mut verdict = None;
    for path in saved {
        let relative = path.strip_prefix(&workbook.root).unwrap_or(path);
        let meaning = classify(workbook, scope, relative);
        verdict = match (verdict, meaning) {
            (Some(Saved::Exercise(i)), Saved::Other | Saved::Elsewhere) => Some(Saved::Exercise(i)),
            (Some(Saved::Other), Saved::Elsewhere) => Some(Saved::Other),
            (_, meaning) => Some(meaning),
        };
    }
    verdict
}

fn classify(workbook: &Workbook, scope: &[&Exercise], relative: &Path) -> Saved {
    for (index, exercise) in scope.iter().enumerate() {
        let paths = workbook.paths(exercise);
        let crate_dir = paths.stub.parent().and_then(Path::parent);
        let loom = exercise
            .loom
            .as_ref()
            .and_then(|loom| crate_dir.map(|dir| dir.join("tests").join(format!("{loom}.rs"))));
        if relative == paths.stub || relative == paths.tests || loom.as_deref() == Some(relative) {
            return Saved::Exercise(index);
        }
    }
    let in_a_scoped_crate = scope.iter().any(|exercise| {
        let stub = workbook.paths(exercise).stub;
        stub.parent()
            .and_then(Path::parent)
            .is_some_and(|dir| relative.starts_with(dir))
    });
    if in_a_scoped_crate {
        Saved::Other
    } else {
        Saved::Elsewhere
    }
}

fn announce_next(workbook: &Workbook, exercise: &Exercise) {
    println!(
        "\nNext: `{}` in {} (book: book/src/{}).",
        exercise.name,
        workbook.paths(exercise).stub.display(),
        exercise.section
    );
}

/// The index (in `scope`) of the first exercise from `start` on whose tests
/// do not pass; the cache answers for exercises whose files did not change.
fn first_unsolved(
    workbook: &Workbook,
    cargo: &Cargo,
    scope: &[&Exercise],
    start: usize,
) -> Result<Option<usize>> {
    for (index, exercise) in scope.iter().enumerate().skip(start) {
        let key = cache::key(workbook, exercise);
        let state = match cache::lookup(&cargo.target_dir, exercise, &key) {
            Some(state) => state,
            None => {
                let state = state::check_exercise(workbook, cargo, exercise, None)?.state;
                cache::store(&cargo.target_dir, exercise, key, &state);
                state
            }
        };
        if state != State::Solved {
            return Ok(Some(index));
        }
    }
    Ok(None)
}

fn watch_exercises(
    workbook: &Workbook,
    events: mpsc::Sender<Event>,
) -> Result<notify_debouncer_mini::Debouncer<notify_debouncer_mini::notify::RecommendedWatcher>> {
    let mut debouncer = new_debouncer(
        Duration::from_millis(300),
        move |result: DebounceEventResult| {
            let rust_files: Vec<PathBuf> = result
                .map(|changes| {
                    changes
                        .into_iter()
                        .map(|c| c.path)
                        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
                        .collect()
                })
                .unwrap_or_default();
            if !rust_files.is_empty() {
                let _ = events.send(Event::Saved(rust_files));
            }
        },
    )?;
    debouncer
        .watcher()
        .watch(&workbook.root.join("exercises"), RecursiveMode::Recursive)?;
    Ok(debouncer)
}

/// Reads the keyboard on its own thread: Enter re-checks, `q` quits, and the
/// end of input (Ctrl-D, or no terminal) quits in manual mode only.
fn spawn_keyboard(events: mpsc::Sender<Event>) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            let event = if line.trim().eq_ignore_ascii_case("q") {
                Event::Quit
            } else {
                Event::Enter
            };
            if events.send(event).is_err() {
                return;
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn workbook() -> Workbook {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        Workbook::load(root).unwrap()
    }

    #[test]
    fn a_saved_stub_or_test_file_is_followed_within_the_scope() {
        let workbook = workbook();
        let ch01 = workbook.chapter("ch01").unwrap();
        let scope: Vec<&Exercise> = workbook.exercises_of(ch01).collect();
        let amdahl = scope.iter().position(|e| e.name == "amdahl").unwrap();
        let root = &workbook.root;
        let saved =
            |files: &[&str]| -> Vec<PathBuf> { files.iter().map(|f| root.join(f)).collect() };
        assert_eq!(
            follow(
                &workbook,
                &scope,
                &saved(&["exercises/ch01-sync-vs-async/src/amdahl.rs"])
            ),
            Some(Saved::Exercise(amdahl))
        );
        assert_eq!(
            follow(
                &workbook,
                &scope,
                &saved(&["exercises/ch01-sync-vs-async/tests/amdahl.rs"])
            ),
            Some(Saved::Exercise(amdahl))
        );
        // A shared file of the chapter crate re-checks the current exercise.
        assert_eq!(
            follow(
                &workbook,
                &scope,
                &saved(&["exercises/ch01-sync-vs-async/src/lib.rs"])
            ),
            Some(Saved::Other)
        );
        // Another chapter's file is outside `watch ch01`.
        let other = workbook
            .exercises
            .iter()
            .find(|e| e.chapter != "ch01")
            .unwrap();
        let other_stub = workbook.paths(other).stub;
        assert_eq!(
            follow(&workbook, &scope, &[root.join(other_stub)]),
            Some(Saved::Elsewhere)
        );
        // An exercise file wins over a shared file saved in the same burst.
        assert_eq!(
            follow(
                &workbook,
                &scope,
                &saved(&[
                    "exercises/ch01-sync-vs-async/src/amdahl.rs",
                    "exercises/ch01-sync-vs-async/src/lib.rs"
                ])
            ),
            Some(Saved::Exercise(amdahl))
        );
        assert_eq!(follow(&workbook, &scope, &[]), None);
    }
}
