//! `cargo workbook list`: every exercise with its state, progress, what next.

use super::cache;
use super::state::{self, State};
use crate::info::{Exercise, Workbook};
use crate::runner::{Cargo, Targets};
use anyhow::Result;

/// The state of every exercise, in workbook order: from the cache where the
/// exercise's files are unchanged, else built and tested (and cached).
pub fn states(workbook: &Workbook) -> Result<Vec<(&Exercise, State)>> {
    let cargo = Cargo::for_learner(&workbook.root)?;
    let keys: Vec<String> = workbook
        .exercises
        .iter()
        .map(|e| cache::key(workbook, e))
        .collect();
    let mut known: Vec<Option<State>> = workbook
        .exercises
        .iter()
        .zip(&keys)
        .map(|(e, key)| cache::lookup(&cargo.target_dir, e, key))
        .collect();
    let changed = known.iter().filter(|s| s.is_none()).count();
    if changed > 0 {
        eprintln!("Checking {changed} exercise(s) whose files changed since the last check...");
        let packages: Vec<String> = workbook
            .chapters_with_exercises()
            .map(|c| format!("{}-exercises", c.id))
            .collect();
        super::first_build_note(&cargo, &packages);
    }
    let mut done = 0;
    for chapter in workbook.chapters_with_exercises() {
        let todo: Vec<usize> = (0..workbook.exercises.len())
            .filter(|&i| workbook.exercises[i].chapter == chapter.id && known[i].is_none())
            .collect();
        if todo.is_empty() {
            continue;
        }
        // One build per chapter crate: cheaper than one per exercise.
        let package = format!("{}-exercises", chapter.id);
        let build = cargo.build_tests(&package, Targets::All, false)?;
        for i in todo {
            let exercise = &workbook.exercises[i];
            done += 1;
            eprintln!("  [{done}/{changed}] {}", exercise.name);
            let report = state::check_exercise(workbook, &cargo, exercise, Some(&build))?;
            cache::store(&cargo.target_dir, exercise, keys[i].clone(), &report.state);
            known[i] = Some(report.state);
        }
    }
    Ok(workbook
        .exercises
        .iter()
        .zip(known)
        .map(|(e, s)| (e, s.expect("checked above")))
        .collect())
}

pub fn run(workbook: &Workbook) -> Result<()> {
    let states = states(workbook)?;
    let mut current_chapter = "";
    for (exercise, state) in &states {
        if exercise.chapter != current_chapter {
            current_chapter = &exercise.chapter;
            let chapter = workbook.chapter(current_chapter).expect("validated");
            println!("\n{} {}", chapter.id, chapter.title);
        }
        println!(
            "  {} {:<24} {}",
            state.symbol(),
            exercise.name,
            state.label()
        );
    }
    let solved = states.iter().filter(|(_, s)| *s == State::Solved).count();
    println!("\n{}", progress_bar(solved, states.len(), 30));
    match states.iter().find(|(_, s)| *s != State::Solved) {
        Some((next, _)) => println!(
            "Next: `{}`. Edit {}, then `cargo workbook check {}` (or `cargo workbook watch`). \
             Book: book/src/{}",
            next.name,
            workbook.paths(next).stub.display(),
            next.name,
            next.section
        ),
        None => println!("Every exercise is solved. Well done!"),
    }
    Ok(())
}

/// `[#######-----------------------] 7/30 exercises solved (23%)`
pub fn progress_bar(done: usize, total: usize, width: usize) -> String {
    let filled = (done * width).checked_div(total).unwrap_or(0);
    let percent = (done * 100).checked_div(total).unwrap_or(0);
    format!(
        "[{}{}] {done}/{total} exercises solved ({percent}%)",
        "#".repeat(filled),
        "-".repeat(width - filled)
    )
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_bar_fills_in_proportion() {
        assert_eq!(
            super::progress_bar(1, 4, 8),
            "[##------] 1/4 exercises solved (25%)"
        );
        assert_eq!(
            super::progress_bar(0, 0, 4),
            "[----] 0/0 exercises solved (0%)"
        );
    }
}
