//! `cargo workbook check <exercise|chapter>`.

use super::state::{self, State};
use crate::info::{Target, Workbook};
use crate::runner::Cargo;
use anyhow::Result;

/// Checks one exercise or every exercise of a chapter; true when all pass.
pub fn run(workbook: &Workbook, name: &str) -> Result<bool> {
    let cargo = Cargo::for_learner(&workbook.root)?;
    let exercises: Vec<_> = match workbook.resolve(name)? {
        Target::Exercise(exercise) => vec![exercise],
        Target::Chapter(chapter) => workbook.exercises_of(chapter).collect(),
    };
    let mut packages: Vec<String> = exercises
        .iter()
        .map(|e| workbook.paths(e).exercise_package)
        .collect();
    packages.dedup();
    super::first_build_note(&cargo, &packages);
    let mut solved = 0;
    for exercise in &exercises {
        let chapter = workbook.chapter(&exercise.chapter).expect("validated");
        println!(
            "Checking `{}` ({}: {})",
            exercise.name, chapter.id, chapter.title
        );
        let key = super::cache::key(workbook, exercise);
        let report = state::check_exercise(workbook, &cargo, exercise, None)?;
        super::cache::store(&cargo.target_dir, exercise, key, &report.state);
        state::print_report(exercise, &report);
        println!();
        if report.state == State::Solved {
            solved += 1;
        }
    }
    if exercises.len() > 1 {
        println!("{solved} of {} exercises solved.", exercises.len());
    }
    Ok(solved == exercises.len())
}
