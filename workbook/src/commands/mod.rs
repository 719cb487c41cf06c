//! One module per subcommand; `state` holds what `list`, `check` and `watch`
//! share: building an exercise's tests and judging the result.

pub mod book;
pub mod cache;
pub mod charts;
pub mod check;
pub mod list;
pub mod measure;
pub mod reset;
pub mod state;
pub mod verify;
pub mod watch;

use crate::hints;
use crate::info::Workbook;
use anyhow::Result;

/// `cargo workbook hint <exercise> [tier] [--more]`.
pub fn hint(workbook: &Workbook, name: &str, asked: Option<usize>, more: bool) -> Result<()> {
    let exercise = workbook.resolve_exercise(name)?;
    let paths = workbook.paths(exercise);
    let hint = hints::of(workbook, &exercise.name)?;
    let target_dir = crate::runner::Cargo::for_workspace(&workbook.root)?.target_dir;
    let mut progress = hints::Progress::load(&target_dir);
    let tiers = hint.tiers.len();
    let shown = hints::tier_to_show(asked, more, progress.reached(&exercise.name), tiers);
    progress.record(&exercise.name, shown)?;
    // The earlier tiers are repeated: each builds on the one before.
    for (number, text) in hint.tiers.iter().enumerate().take(shown) {
        println!("Hint {}/{tiers} for `{}`:\n", number + 1, exercise.name);
        for line in text.trim().lines() {
            println!("  {line}");
        }
        println!();
    }
    if shown < tiers {
        println!(
            "More: `cargo workbook hint {} --more` (hint {} of {tiers}; the last one names the API).",
            exercise.name,
            shown + 1
        );
    } else {
        println!("That was the last hint: the book section and the tests' messages say the rest.");
    }
    println!();
    println!("Your file:  {}", paths.stub.display());
    println!("The tests:  {}", paths.tests.display());
    println!("Book:       book/src/{}", exercise.section);
    println!("Check with: cargo workbook check {}", exercise.name);
    Ok(())
}

/// On a cold target directory (nothing compiled yet), says that the first
/// build takes minutes and runs it with cargo's own progress bar on screen,
/// so the learner sees it move instead of a silent wait.
pub fn first_build_note(cargo: &crate::runner::Cargo, packages: &[String]) {
    if !crate::runner::is_cold(&cargo.target_dir) {
        return;
    }
    eprintln!(
        "First build: compiling the dependencies (tokio, futures, ...). This can take a few \
         minutes on a laptop (about 4-7 min on 2 busy cores); later checks take seconds."
    );
    cargo.warm_up(packages);
}
