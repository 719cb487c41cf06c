//! The exercise list: `exercises/info.toml`, and finding things in it.

use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::path::{Path, PathBuf};

/// One chapter: its id (`ch01`), folder name and book page.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chapter {
    pub id: String,
    pub dir: String,
    pub title: String,
    pub page: String,
    /// The exercises are steps that build on each other (a later step's
    /// tests run the earlier steps' code). `verify` then judges each wrong
    /// answer alone, with the reference version of every other step in place.
    #[serde(default)]
    pub steps_build_on_each_other: bool,
}

/// One exercise, as written in `info.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exercise {
    pub name: String,
    pub chapter: String,
    pub section: String,
    /// Hints moved to `workbook/hints/<chapter>.toml`; an old entry that
    /// still has one loads, and `verify` says where it belongs.
    #[serde(default, rename = "hint")]
    pub legacy_hint: Option<String>,
    /// A test file (`tests/<loom>.rs`) built only with `--cfg loom`.
    #[serde(default)]
    pub loom: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InfoFile {
    #[serde(default)]
    chapter: Vec<Chapter>,
    #[serde(default)]
    exercise: Vec<Exercise>,
}

/// The whole workbook: where it is, its chapters and exercises in order.
#[derive(Debug)]
pub struct Workbook {
    pub root: PathBuf,
    pub chapters: Vec<Chapter>,
    /// Sorted by chapter order, then by order of appearance in the file.
    pub exercises: Vec<Exercise>,
}

/// What a name given on the command line refers to.
pub enum Target<'a> {
    Exercise(&'a Exercise),
    Chapter(&'a Chapter),
}

impl Workbook {
    /// Finds the repository from the current directory and loads it.
    pub fn discover() -> Result<Workbook> {
        let cwd = std::env::current_dir().context("cannot read the current directory")?;
        let root = find_root(&cwd).with_context(|| {
            format!(
                "{} is not inside the workbook repository: run this from the repository's folder \
                 (the one with exercises/info.toml)",
                cwd.display()
            )
        })?;
        Workbook::load(&root)
    }

    /// Loads `root/exercises/info.toml`.
    pub fn load(root: &Path) -> Result<Workbook> {
        let path = root.join("exercises/info.toml");
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let file: InfoFile =
            toml::from_str(&text).with_context(|| format!("{} is not valid", path.display()))?;
        let mut exercises = Vec::new();
        for chapter in &file.chapter {
            exercises.extend(
                file.exercise
                    .iter()
                    .filter(|e| e.chapter == chapter.id)
                    .cloned(),
            );
        }
        let workbook = Workbook {
            root: root.to_path_buf(),
            chapters: file.chapter,
            exercises,
        };
        workbook.validate(&file.exercise)?;
        Ok(workbook)
    }

    fn validate(&self, listed: &[Exercise]) -> Result<()> {
        for exercise in listed {
            if self.chapter(&exercise.chapter).is_none() {
                bail!(
                    "exercises/info.toml: exercise `{}` names chapter `{}`, which has no [[chapter]] entry",
                    exercise.name,
                    exercise.chapter
                );
            }
            if listed.iter().filter(|e| e.name == exercise.name).count() > 1 {
                bail!(
                    "exercises/info.toml: the exercise name `{}` is used twice",
                    exercise.name
                );
            }
        }
        Ok(())
    }

    pub fn chapter(&self, id: &str) -> Option<&Chapter> {
        self.chapters.iter().find(|c| c.id == id || c.dir == id)
    }

    pub fn exercise(&self, name: &str) -> Option<&Exercise> {
        self.exercises.iter().find(|e| e.name == name)
    }

    /// Chapters that have at least one exercise.
    pub fn chapters_with_exercises(&self) -> impl Iterator<Item = &Chapter> {
        self.chapters
            .iter()
            .filter(|c| self.exercises.iter().any(|e| e.chapter == c.id))
    }

    pub fn exercises_of<'a>(&'a self, chapter: &'a Chapter) -> impl Iterator<Item = &'a Exercise> {
        self.exercises
            .iter()
            .filter(move |e| e.chapter == chapter.id)
    }

    /// Resolves a name from the command line to an exercise or a chapter, or
    /// fails with a one-line message naming the valid choices.
    pub fn resolve(&self, name: &str) -> Result<Target<'_>> {
        let name = name.trim_end_matches(".rs");
        if let Some(exercise) = self.exercise(name) {
            return Ok(Target::Exercise(exercise));
        }
        if let Some(chapter) = self.chapter(name) {
            return Ok(Target::Chapter(chapter));
        }
        bail!("{}", self.unknown(name, true))
    }

    /// Resolves a name that must be an exercise.
    pub fn resolve_exercise(&self, name: &str) -> Result<&Exercise> {
        match self.resolve(name)? {
            Target::Exercise(exercise) => Ok(exercise),
            Target::Chapter(chapter) => bail!(
                "`{name}` is a chapter; name one of its exercises: {}",
                self.exercises_of(chapter)
                    .map(|e| e.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Resolves a name that must be a chapter.
    pub fn resolve_chapter(&self, name: &str) -> Result<&Chapter> {
        self.chapter(name)
            .ok_or_else(|| anyhow::anyhow!("{}", self.unknown(name, false)))
    }

    fn unknown(&self, name: &str, exercises_too: bool) -> String {
        let chapters: Vec<&str> = self
            .chapters_with_exercises()
            .map(|c| c.id.as_str())
            .collect();
        let mut candidates: Vec<&str> = chapters.clone();
        if exercises_too {
            candidates.extend(self.exercises.iter().map(|e| e.name.as_str()));
        }
        let closest = candidates
            .iter()
            .map(|c| (edit_distance(name, c), *c))
            .filter(|(d, c)| *d <= 2.max(c.len() / 3))
            .min();
        let suggestion = closest
            .map(|(_, c)| format!("did you mean `{c}`? "))
            .unwrap_or_default();
        let what = if exercises_too {
            "exercise or chapter"
        } else {
            "chapter"
        };
        format!(
            "no {what} named `{name}`: {suggestion}chapters are {}; `cargo workbook list` shows every exercise",
            chapters.join(", ")
        )
    }

    /// Paths of an exercise's files.
    pub fn paths(&self, exercise: &Exercise) -> ExercisePaths {
        let chapter = self.chapter(&exercise.chapter).expect("validated on load");
        let crate_dir = |kind: &str| PathBuf::from(kind).join(&chapter.dir);
        ExercisePaths {
            stub: crate_dir("exercises")
                .join("src")
                .join(format!("{}.rs", exercise.name)),
            tests: crate_dir("exercises")
                .join("tests")
                .join(format!("{}.rs", exercise.name)),
            solution: crate_dir("solutions")
                .join("src")
                .join(format!("{}.rs", exercise.name)),
            exercise_package: format!("{}-exercises", chapter.id),
            solution_package: format!("{}-solutions", chapter.id),
        }
    }
}

/// Where an exercise lives, relative to the repository root.
#[derive(Debug, Clone)]
pub struct ExercisePaths {
    pub stub: PathBuf,
    pub tests: PathBuf,
    pub solution: PathBuf,
    pub exercise_package: String,
    pub solution_package: String,
}

/// Walks up from `start` to the folder holding `exercises/info.toml`.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join("exercises/info.toml").is_file() && dir.join("Cargo.toml").is_file())
        .map(Path::to_path_buf)
}

/// Levenshtein distance, for "did you mean" suggestions.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut current = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let substitute = previous[j] + usize::from(ca != *cb);
            current.push(substitute.min(previous[j + 1] + 1).min(current[j] + 1));
        }
        previous = current;
    }
    previous[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance() {
        assert_eq!(edit_distance("fech_all", "fetch_all"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
    }

    #[test]
    fn the_real_info_file_loads() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let workbook = Workbook::load(root).unwrap();
        assert!(workbook.exercise("time_model").is_some());
        assert!(workbook.resolve("tiem_model").is_err());
        let message = workbook.resolve("tiem_model").err().unwrap().to_string();
        assert!(message.contains("did you mean `time_model`"), "{message}");
    }
}
