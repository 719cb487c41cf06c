//! The original stubs, as git holds them.
//!
//! A learner edits the stubs in place. `reset` and `verify` need the stubs as
//! they were shipped, and take them from the commit checked out (`HEAD`).

use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};
use std::process::Command;

/// True when `root` is inside a git work tree and git is installed.
pub fn is_checkout(root: &Path) -> bool {
    Command::new("git")
        .args(["rev-parse", "--is-inside-work-tree"])
        .current_dir(root)
        .output()
        .is_ok_and(|out| out.status.success())
}

/// The content of `relative` at `HEAD`, or `None` if `HEAD` has no such file.
pub fn head_version(root: &Path, relative: &Path) -> Result<Option<Vec<u8>>> {
    let spec = format!("HEAD:{}", to_git_path(relative));
    let output = Command::new("git")
        .args(["show", &spec])
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if output.status.success() {
        Ok(Some(output.stdout))
    } else {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if stderr.contains("does not exist") || stderr.contains("exists on disk, but not in") {
            Ok(None)
        } else {
            bail!("git show {spec}: {}", stderr.trim())
        }
    }
}

/// Files under `folder` (relative to `root`) that differ from `HEAD`:
/// modified, deleted, added or untracked.
pub fn changed_files(root: &Path, folder: &Path) -> Result<Vec<PathBuf>> {
    let output = Command::new("git")
        .args([
            "status",
            "--porcelain",
            "--untracked-files=all",
            "--no-renames",
            "--",
        ])
        .arg(to_git_path(folder))
        .current_dir(root)
        .output()
        .context("cannot run git")?;
    if !output.status.success() {
        bail!(
            "git status failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    // `git status` prints paths relative to the repository's top folder,
    // which is `root` for this workbook.
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.get(3..))
        .map(|path| PathBuf::from(path.trim_matches('"')))
        .collect())
}

fn to_git_path(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}
