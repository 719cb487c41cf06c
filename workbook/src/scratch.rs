//! A scratch copy of the workspace, where files can be swapped freely.
//!
//! `verify` builds the original stubs (when the learner has edited them) and
//! the mutants (wrong answers applied to a solution) here, never in the
//! learner's tree: an interrupted run cannot leave a mutant behind. The copy
//! lives in the target directory and is synced file by file (unchanged files
//! keep their timestamps), so later runs rebuild only what changed.
//!
//! The copy's packages get a version of their own (`0.1.0-scratch`). Cargo
//! names a workspace package's build artifacts after its name, version and
//! path *relative to the workspace root*, so without it the copy's
//! `exercises/ch01-.../` would share the repository's files, and a build in the
//! copy could make the learner's real edits look up to date. With it, the copy
//! can share the repository's build directory: the dependencies compile once
//! for both.

use anyhow::{Context, Result};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Folders never copied: build output, git data, the book.
const SKIPPED: [&str; 4] = [".git", "target", "book", ".ci"];

pub struct Scratch {
    pub root: PathBuf,
    /// True when the copy's packages have a version of their own (see the
    /// module comment), so it may share the repository's build directory.
    pub versioned_apart: bool,
}

/// What the copy's package versions end with.
const SCRATCH_VERSION: &str = "-scratch";

impl Scratch {
    /// Creates or refreshes the copy of `source` at `destination`.
    pub fn sync(source: &Path, destination: &Path) -> Result<Scratch> {
        std::fs::create_dir_all(destination)
            .with_context(|| format!("cannot create {}", destination.display()))?;
        let mut wanted = BTreeSet::new();
        let mut versioned_apart = true;
        let mut copy = Copy {
            source_root: source,
            destination_root: destination,
            wanted: &mut wanted,
            versioned_apart: &mut versioned_apart,
        };
        copy.tree(Path::new(""))?;
        remove_unwanted(destination, Path::new(""), &wanted)?;
        Ok(Scratch {
            root: destination.to_path_buf(),
            versioned_apart,
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

/// One sync: what to copy where, and what was copied.
struct Copy<'a> {
    source_root: &'a Path,
    destination_root: &'a Path,
    wanted: &'a mut BTreeSet<PathBuf>,
    /// Stays true while every manifest got its scratch version.
    versioned_apart: &'a mut bool,
}

impl Copy<'_> {
    fn tree(&mut self, relative: &Path) -> Result<()> {
        let folder = self.source_root.join(relative);
        for entry in std::fs::read_dir(&folder)
            .with_context(|| format!("cannot list {}", folder.display()))?
        {
            let entry = entry?;
            let name = entry.file_name();
            let child = relative.join(&name);
            let path = entry.path();
            let file_type = entry.file_type()?;
            let top_level_skip =
                relative.as_os_str().is_empty() && SKIPPED.iter().any(|s| name == *s);
            let build_output = file_type.is_dir() && name == "target";
            if top_level_skip || build_output || path == self.destination_root {
                continue;
            }
            if file_type.is_dir() {
                self.wanted.insert(child.clone());
                self.tree(&child)?;
            } else if file_type.is_file() {
                self.wanted.insert(child.clone());
                let mut bytes = std::fs::read(&path)?;
                if name == "Cargo.toml" {
                    match with_scratch_version(&bytes) {
                        Some(manifest) => bytes = manifest.into_bytes(),
                        None => *self.versioned_apart = false,
                    }
                }
                write_if_changed(&self.destination_root.join(&child), &bytes)?;
            }
        }
        Ok(())
    }
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

/// A manifest with the scratch suffix on its versions: the package's own
/// `version` (cargo's default `0.0.0` when it has none) and the workspace's
/// `[workspace.package] version` that members inherit. `None` when the file
/// cannot be read as TOML (the copy then needs a build directory of its own).
fn with_scratch_version(manifest: &[u8]) -> Option<String> {
    let mut table: toml::Table = toml::from_str(std::str::from_utf8(manifest).ok()?).ok()?;
    if let Some(package) = table.get_mut("package").and_then(toml::Value::as_table_mut) {
        match package.get("version") {
            // `version.workspace = true`: the workspace's version, changed below.
            Some(toml::Value::Table(_)) => {}
            Some(toml::Value::String(version)) => {
                let renamed = format!("{version}{SCRATCH_VERSION}");
                package.insert("version".into(), renamed.into());
            }
            Some(_) => return None,
            None => {
                package.insert("version".into(), format!("0.0.0{SCRATCH_VERSION}").into());
            }
        }
    }
    let inherited = table
        .get_mut("workspace")
        .and_then(|w| w.get_mut("package"))
        .and_then(|p| p.get_mut("version"));
    if let Some(version) = inherited {
        let renamed = format!("{}{SCRATCH_VERSION}", version.as_str()?);
        *version = renamed.into();
    }
    toml::to_string(&table).ok()
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

#[cfg(test)]
mod tests {
    use super::*;

    fn version_of(manifest: &str, path: &[&str]) -> Option<String> {
        let table: toml::Table = toml::from_str(manifest).unwrap();
        let mut value = table.get(path[0])?;
        for key in &path[1..] {
            value = value.get(key)?;
        }
        value.as_str().map(str::to_string)
    }

    #[test]
    fn every_package_of_the_copy_gets_a_version_of_its_own() {
        let root = "[workspace]\nmembers = [\"a\"]\n[workspace.package]\nversion = \"0.1.0\"\n";
        let root = with_scratch_version(root.as_bytes()).unwrap();
        assert_eq!(
            version_of(&root, &["workspace", "package", "version"]).as_deref(),
            Some("0.1.0-scratch")
        );
        let inherits = "[package]\nname = \"a\"\nversion.workspace = true\n";
        let inherits = with_scratch_version(inherits.as_bytes()).unwrap();
        assert!(inherits.contains("workspace = true"), "{inherits}");
        let own = "[package]\nname = \"b\"\nversion = \"2.0.0\"\n";
        let own = with_scratch_version(own.as_bytes()).unwrap();
        assert_eq!(
            version_of(&own, &["package", "version"]).as_deref(),
            Some("2.0.0-scratch")
        );
        // Without a version cargo uses 0.0.0, which would be the repository's too.
        let none = "[package]\nname = \"c\"\n";
        let none = with_scratch_version(none.as_bytes()).unwrap();
        assert_eq!(
            version_of(&none, &["package", "version"]).as_deref(),
            Some("0.0.0-scratch")
        );
        assert!(with_scratch_version(b"not [toml").is_none());
    }
}
