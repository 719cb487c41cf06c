//! `cargo workbook watch`: re-check the current exercise on every save.
//!
//! Two sources of events feed one channel: a file watcher on `exercises/`
//! (debounced, so an editor's burst of writes triggers one check) and the
//! keyboard (Enter re-checks, `q` quits). Where watching files fails (some
//! network or container file systems), or with `--manual`, the keyboard
//! alone drives it.

use super::state::{self, State};
use crate::info::{Exercise, Workbook};
use crate::runner::Cargo;
use anyhow::Result;
use notify_debouncer_mini::{DebounceEventResult, new_debouncer, notify::RecursiveMode};
use std::io::BufRead;
use std::sync::mpsc;
use std::time::Duration;

enum Event {
    Saved,
    Enter,
    Quit,
}

pub fn run(workbook: &Workbook, manual: bool) -> Result<()> {
    let cargo = Cargo::for_learner(&workbook.root)?;
    let (events_tx, events) = mpsc::channel();
    spawn_keyboard(events_tx.clone());
    // Keep the debouncer alive for the whole session: dropping it stops watching.
    let _watcher = if manual {
        println!("Manual mode: press Enter to re-check, q then Enter to quit.");
        None
    } else {
        match watch_exercises(workbook, events_tx) {
            Ok(watcher) => {
                println!("Watching exercises/: save a file to re-check. Enter re-checks, q quits.");
                Some(watcher)
            }
            Err(error) => {
                println!(
                    "Cannot watch files here ({error}): manual mode, press Enter to re-check, q to quit."
                );
                None
            }
        }
    };
    let Some(mut current) = first_unsolved(workbook, &cargo, 0)? else {
        println!("Every exercise is solved. Well done!");
        return Ok(());
    };
    loop {
        let exercise = &workbook.exercises[current];
        // Remember what the sources looked like when this check started:
        // building reads the files, and some file watchers report reads as
        // events; only a newer modification time means the learner saved.
        let sources_before = newest_source_change(workbook);
        println!("\n=== {} ===", exercise.name);
        let report = state::check_exercise(workbook, &cargo, exercise, None)?;
        state::print_report(exercise, &report);
        if report.state == State::Solved {
            match first_unsolved(workbook, &cargo, current + 1)? {
                Some(next) => {
                    current = next;
                    announce_next(workbook, &workbook.exercises[current]);
                    continue;
                }
                None => {
                    println!("\nEvery exercise is solved. Well done!");
                    return Ok(());
                }
            }
        }
        loop {
            match events.recv() {
                Ok(Event::Enter) => break,
                Ok(Event::Saved) if newest_source_change(workbook) > sources_before => break,
                Ok(Event::Saved) => continue, // a read, or a save of identical content
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

/// The latest modification time of any `.rs` file under `exercises/`.
fn newest_source_change(workbook: &Workbook) -> Option<std::time::SystemTime> {
    fn walk(folder: &std::path::Path, newest: &mut Option<std::time::SystemTime>) {
        let Ok(entries) = std::fs::read_dir(folder) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, newest);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Ok(modified) = entry.metadata().and_then(|m| m.modified())
            {
                *newest = (*newest).max(Some(modified));
            }
        }
    }
    let mut newest = None;
    walk(&workbook.root.join("exercises"), &mut newest);
    newest
}

fn announce_next(workbook: &Workbook, exercise: &Exercise) {
    println!(
        "\nNext: `{}` in {} (book: book/src/{}).",
        exercise.name,
        workbook.paths(exercise).stub.display(),
        exercise.section
    );
}

/// The index of the first exercise from `start` on whose tests do not pass.
fn first_unsolved(workbook: &Workbook, cargo: &Cargo, start: usize) -> Result<Option<usize>> {
    for (index, exercise) in workbook.exercises.iter().enumerate().skip(start) {
        let report = state::check_exercise(workbook, cargo, exercise, None)?;
        if report.state != State::Solved {
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
            let saved_rust_file = result
                .map(|changes| {
                    changes
                        .iter()
                        .any(|c| c.path.extension().is_some_and(|e| e == "rs"))
                })
                .unwrap_or(false);
            if saved_rust_file {
                let _ = events.send(Event::Saved);
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
