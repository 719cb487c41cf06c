//! Each exercise's last known state, keyed by the content of its files.
//!
//! `list` would otherwise build and test every exercise on every run. The key
//! is a hash of everything that can change an exercise's result: its stub and
//! test files, the other sources and the manifest of its chapter crate (one
//! crate, so another exercise that does not compile blocks it), `kit/src`,
//! and `Cargo.lock`. Same files, same tests, same verdict: the graded tests
//! are deterministic.

use super::state::State;
use crate::info::{Exercise, Workbook};
use std::path::{Path, PathBuf};

/// A content hash (FNV-1a, 64 bits: stable across Rust versions, unlike
/// `DefaultHasher`) of the files that decide `exercise`'s state.
pub fn key(workbook: &Workbook, exercise: &Exercise) -> String {
    let paths = workbook.paths(exercise);
    let crate_dir = paths
        .stub
        .parent()
        .and_then(Path::parent)
        .expect("src/<name>.rs")
        .to_path_buf();
    let mut files: Vec<PathBuf> = vec![
        PathBuf::from("Cargo.lock"),
        PathBuf::from("Cargo.toml"),
        crate_dir.join("Cargo.toml"),
        paths.tests.clone(),
    ];
    if let Some(loom) = &exercise.loom {
        files.push(crate_dir.join("tests").join(format!("{loom}.rs")));
    }
    // The stub and the crate's other sources, and kit's.
    files.extend(rust_files(&workbook.root, &crate_dir.join("src")));
    files.extend(rust_files(&workbook.root, Path::new("kit/src")));
    let mut hash = Fnv::default();
    for file in files {
        hash.write(file.to_string_lossy().as_bytes());
        hash.write(&[0]);
        match std::fs::read(workbook.root.join(&file)) {
            Ok(bytes) => hash.write(&bytes),
            Err(_) => hash.write(b"(missing)"),
        }
        hash.write(&[0]);
    }
    format!("{:016x}", hash.0)
}

/// `.rs` files under `folder` (relative to `root`), sorted, relative to `root`.
fn rust_files(root: &Path, folder: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let Ok(entries) = std::fs::read_dir(root.join(folder)) else {
        return found;
    };
    for entry in entries.flatten() {
        let relative = folder.join(entry.file_name());
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            found.extend(rust_files(root, &relative));
        } else if relative.extension().is_some_and(|e| e == "rs") {
            found.push(relative);
        }
    }
    found.sort();
    found
}

struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for byte in bytes {
            self.0 ^= u64::from(*byte);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[derive(serde::Serialize, serde::Deserialize)]
struct Entry {
    key: String,
    state: State,
}

fn entry_path(target_dir: &Path, exercise: &Exercise) -> PathBuf {
    target_dir
        .join("workbook/state")
        .join(format!("{}.json", exercise.name))
}

/// The state recorded under `key`, if the files have not changed since.
pub fn lookup(target_dir: &Path, exercise: &Exercise, key: &str) -> Option<State> {
    let text = std::fs::read_to_string(entry_path(target_dir, exercise)).ok()?;
    let entry: Entry = serde_json::from_str(&text).ok()?;
    (entry.key == key).then_some(entry.state)
}

/// Records a state (best effort: a cache that cannot be written only costs time).
pub fn store(target_dir: &Path, exercise: &Exercise, key: String, state: &State) {
    let path = entry_path(target_dir, exercise);
    let entry = Entry {
        key,
        state: state.clone(),
    };
    if let (Some(parent), Ok(text)) = (path.parent(), serde_json::to_string(&entry)) {
        let _ = std::fs::create_dir_all(parent);
        let _ = std::fs::write(path, text);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A one-exercise workbook in a temporary folder.
    fn tiny_workbook(dir: &Path) -> Workbook {
        let write = |relative: &str, text: &str| {
            let path = dir.join(relative);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("Cargo.toml", "[workspace]\n");
        write(
            "exercises/info.toml",
            "[[chapter]]\nid = \"ch01\"\ndir = \"ch01-x\"\ntitle = \"X\"\npage = \"x.md\"\n\n\
             [[exercise]]\nname = \"a\"\nchapter = \"ch01\"\nsection = \"x.md#a\"\n",
        );
        write("exercises/ch01-x/src/a.rs", "todo");
        write("exercises/ch01-x/src/lib.rs", "pub mod a;");
        write("exercises/ch01-x/tests/a.rs", "test");
        Workbook::load(dir).unwrap()
    }

    #[test]
    fn the_key_changes_with_the_files_that_decide_the_state() {
        let dir = std::env::temp_dir().join(format!("cache-key-{}", std::process::id()));
        let workbook = tiny_workbook(&dir);
        let exercise = &workbook.exercises[0];
        let first = key(&workbook, exercise);
        assert_eq!(key(&workbook, exercise), first, "same files, same key");
        for file in [
            "exercises/ch01-x/src/a.rs",
            "exercises/ch01-x/src/lib.rs",
            "exercises/ch01-x/tests/a.rs",
        ] {
            let before = key(&workbook, exercise);
            std::fs::write(dir.join(file), "changed").unwrap();
            assert_ne!(key(&workbook, exercise), before, "{file} changed: new key");
        }
        let target = dir.join("target");
        let now = key(&workbook, exercise);
        store(&target, exercise, now.clone(), &State::Solved);
        assert_eq!(lookup(&target, exercise, &now), Some(State::Solved));
        assert_eq!(
            lookup(&target, exercise, &first),
            None,
            "a stale key is a miss"
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
