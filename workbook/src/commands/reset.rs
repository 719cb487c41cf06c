//! `cargo workbook reset <exercise>`: restore the original stub from git.

use crate::git;
use crate::info::Workbook;
use anyhow::{Result, bail};
use std::path::Path;

pub fn run(workbook: &Workbook, name: &str) -> Result<()> {
    let exercise = workbook.resolve_exercise(name)?;
    if !git::is_checkout(&workbook.root) {
        bail!(
            "cannot reset `{}`: this folder is not a git checkout, so the original stub is \
             unknown (clone the workbook with git to get reset)",
            exercise.name
        );
    }
    let paths = workbook.paths(exercise);
    let mut restored = 0;
    for relative in [&paths.stub, &paths.tests] {
        restored += usize::from(restore(&workbook.root, relative)?);
    }
    if restored == 0 {
        println!(
            "`{}` is already the original stub: nothing to do.",
            exercise.name
        );
    } else {
        println!("Check it with: cargo workbook check {}", exercise.name);
    }
    Ok(())
}

/// Restores one file from `HEAD`, keeping a backup of the learner's version.
/// Returns whether anything changed.
fn restore(root: &Path, relative: &Path) -> Result<bool> {
    let Some(original) = git::head_version(root, relative)? else {
        bail!(
            "{} is not in the last commit (HEAD): no original to restore",
            relative.display()
        );
    };
    let path = root.join(relative);
    let current = std::fs::read(&path).ok();
    if current.as_deref() == Some(original.as_slice()) {
        return Ok(false);
    }
    if let Some(current) = current {
        let backup_dir = root.join("target/workbook/backup");
        std::fs::create_dir_all(&backup_dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let file_name = relative.file_name().unwrap_or_default().to_string_lossy();
        let backup = backup_dir.join(format!("{file_name}.{stamp}"));
        std::fs::write(&backup, current)?;
        println!(
            "Saved your version of {} to {}",
            relative.display(),
            backup.display()
        );
    }
    std::fs::write(&path, original)?;
    println!("Restored {} from git (HEAD).", relative.display());
    Ok(true)
}
