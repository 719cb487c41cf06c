//! One module per subcommand; `state` holds what `list`, `check` and `watch`
//! share: building an exercise's tests and judging the result.

pub mod book;
pub mod check;
pub mod list;
pub mod reset;
pub mod state;
pub mod verify;
pub mod watch;

use crate::info::Workbook;
use anyhow::Result;

/// `cargo workbook hint <exercise>`.
pub fn hint(workbook: &Workbook, name: &str) -> Result<()> {
    let exercise = workbook.resolve_exercise(name)?;
    let paths = workbook.paths(exercise);
    println!("Hint for `{}`:\n", exercise.name);
    for line in exercise.hint.trim().lines() {
        println!("  {line}");
    }
    println!();
    println!("Your file:  {}", paths.stub.display());
    println!("The tests:  {}", paths.tests.display());
    println!("Book:       book/src/{}", exercise.section);
    println!("Check with: cargo workbook check {}", exercise.name);
    Ok(())
}
