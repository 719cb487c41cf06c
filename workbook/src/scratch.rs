//! A scratch copy of the workspace, where files can be swapped freely.
//!
//! `verify` builds the original stubs (when the learner has edited them) and
//! the mutants (wrong answers applied to a solution) here, never in the
//! learner's tree: an interrupted run cannot leave a mutant behind. The copy
//! lives in the target directory and shares its build artifacts, and it is
//! synced file by file (unchanged files keep their timestamps), so
//! dependencies compile once and later runs rebuild only what changed.

use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Folders never copied: build output, git data, the book.
const SKIPPED: [&str; 4] = [".git", "target", "book", ".ci"];

pub struct Scratch {
    pub root: PathBuf,
}

impl Scratch {
    /// Creates or refreshes the copy of `source` at `destination`.
    pub fn sync(source: &Path, destination: &Path) -> Result<Scratch> {
        std::fs::create_dir_all(destination)
            .with_context(|| format!("cannot create {}", destination.display()))?;
        let mut wanted = BTreeSet::new();
        copy_tree(source, destination, Path::new(""), &mut wanted, destination)?;
        remove_unwanted(destination, Path::new(""), &wanted)?;
        Ok(Scratch {
            root: destination.to_path_buf(),
        })
    }

    /// Replaces (or, with `None`, deletes) a file in the copy.
    pub fn put(&self, relative: &Path, content: Option<&[u8]>) -> Result<()> {
        let path = self.root.join(relative);
        match content {
            Some(bytes) => write_if_changed(&path, bytes),
            None => match std::fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
                _ => Ok(()),
            },
        }
    }
}

fn copy_tree(
    source_root: &Path,
    destination_root: &Path,
    relative: &Path,
    wanted: &mut BTreeSet<PathBuf>,
    skip_inside: &Path,
) -> Result<()> {
    let folder = source_root.join(relative);
    for entry in
        std::fs::read_dir(&folder).with_context(|| format!("cannot list {}", folder.display()))?
    {
        let entry = entry?;
        let name = entry.file_name();
        let child = relative.join(&name);
        let path = entry.path();
        let file_type = entry.file_type()?;
        let top_level_skip = relative.as_os_str().is_empty() && SKIPPED.iter().any(|s| name == *s);
        let build_output = file_type.is_dir() && name == "target";
        if top_level_skip || build_output || path == skip_inside {
            continue;
        }
        if file_type.is_dir() {
            wanted.insert(child.clone());
            copy_tree(source_root, destination_root, &child, wanted, skip_inside)?;
        } else if file_type.is_file() {
            wanted.insert(child.clone());
            let bytes = std::fs::read(&path)?;
            write_if_changed(&destination_root.join(&child), &bytes)?;
        }
    }
    Ok(())
}

fn remove_unwanted(
    destination_root: &Path,
    relative: &Path,
    wanted: &BTreeSet<PathBuf>,
) -> Result<()> {
    for entry in std::fs::read_dir(destination_root.join(relative))? {
        let entry = entry?;
        let child = relative.join(entry.file_name());
        if !wanted.contains(&child) {
            if entry.file_type()?.is_dir() {
                std::fs::remove_dir_all(entry.path())?;
            } else {
                std::fs::remove_file(entry.path())?;
            }
        } else if entry.file_type()?.is_dir() {
            remove_unwanted(destination_root, &child, wanted)?;
        }
    }
    Ok(())
}

/// Writes only when the content differs, so cargo sees unchanged files as
/// unchanged and does not rebuild them.
fn write_if_changed(path: &Path, bytes: &[u8]) -> Result<()> {
    if std::fs::read(path).is_ok_and(|old| old == bytes) {
        return Ok(());
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, bytes).with_context(|| format!("cannot write {}", path.display()))
}
