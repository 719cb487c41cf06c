//! Tiered hints: `workbook/hints/<chapter-id>.toml`, and the tier each
//! exercise's hint has reached.
//!
//! Hints live outside `exercises/` so that a learner reading an exercise's
//! folder does not see the answer. Each exercise has two or three tiers: the
//! first a question or a direction, the last the API to use. `cargo workbook
//! hint X` shows the first; `--more` (or `hint X 2`) goes one tier further,
//! and the tier reached is remembered under `target/workbook/`.

use crate::info::{Chapter, Workbook};
use anyhow::{Context, Result, bail};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One exercise's hint, as written in its chapter's hints file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Hint {
    pub exercise: String,
    pub tiers: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct HintFile {
    #[serde(default)]
    hint: Vec<Hint>,
}

/// `workbook/hints/<chapter-id>.toml`, relative to the repository root.
pub fn file_of(chapter: &Chapter) -> PathBuf {
    Path::new("workbook/hints").join(format!("{}.toml", chapter.id))
}

/// The hints of one chapter (none if the file does not exist).
pub fn load(workbook: &Workbook, chapter: &Chapter) -> Result<Vec<Hint>> {
    let relative = file_of(chapter);
    let path = workbook.root.join(&relative);
    if !path.exists() {
        return Ok(Vec::new());
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let file: HintFile =
        toml::from_str(&text).with_context(|| format!("{} is not valid", relative.display()))?;
    Ok(file.hint)
}

/// The hint of one exercise.
pub fn of(workbook: &Workbook, exercise: &str) -> Result<Hint> {
    let exercise = workbook.resolve_exercise(exercise)?;
    let chapter = workbook.chapter(&exercise.chapter).expect("validated");
    match load(workbook, chapter)?
        .into_iter()
        .find(|h| h.exercise == exercise.name)
    {
        Some(hint) if !hint.tiers.is_empty() => Ok(hint),
        _ => bail!(
            "`{}` has no hint yet (it belongs in {}): read the book section book/src/{} and the \
             failing test's message",
            exercise.name,
            file_of(chapter).display(),
            exercise.section
        ),
    }
}

/// Problems with a chapter's hints, for `verify`: an exercise without a hint,
/// a hint for no exercise, a hint with fewer than two or more than three tiers.
pub fn problems(workbook: &Workbook, chapter: &Chapter) -> Result<Vec<(String, String)>> {
    let hints = load(workbook, chapter)?;
    let file = file_of(chapter);
    let mut problems = Vec::new();
    for exercise in workbook.exercises_of(chapter) {
        let own: Vec<&Hint> = hints
            .iter()
            .filter(|h| h.exercise == exercise.name)
            .collect();
        let problem = match own.as_slice() {
            [] => Some(format!(
                "no hint: add a [[hint]] entry for `{}` to {} (2-3 tiers, see CONTRIBUTING.md)",
                exercise.name,
                file.display()
            )),
            [hint] if !(2..=3).contains(&hint.tiers.len()) => Some(format!(
                "its hint in {} has {} tier(s): give 2 or 3 (a nudge first, the API names last)",
                file.display(),
                hint.tiers.len()
            )),
            [_] => None,
            _ => Some(format!("two [[hint]] entries in {}", file.display())),
        };
        if let Some(problem) = problem {
            problems.push((exercise.name.clone(), problem));
        }
    }
    for hint in &hints {
        if workbook
            .exercises_of(chapter)
            .all(|e| e.name != hint.exercise)
        {
            problems.push((
                hint.exercise.clone(),
                format!(
                    "{} has a hint for `{}`, which is not an exercise of {}",
                    file.display(),
                    hint.exercise,
                    chapter.id
                ),
            ));
        }
    }
    Ok(problems)
}

/// The tier each exercise's hint has reached, in `<target>/workbook/hints.json`.
pub struct Progress {
    path: PathBuf,
    reached: BTreeMap<String, usize>,
}

impl Progress {
    pub fn load(target_dir: &Path) -> Progress {
        let path = target_dir.join("workbook/hints.json");
        let reached = std::fs::read_to_string(&path)
            .ok()
            .and_then(|text| serde_json::from_str(&text).ok())
            .unwrap_or_default();
        Progress { path, reached }
    }

    /// The highest tier shown so far (0: none).
    pub fn reached(&self, exercise: &str) -> usize {
        self.reached.get(exercise).copied().unwrap_or(0)
    }

    pub fn record(&mut self, exercise: &str, tier: usize) -> Result<()> {
        let entry = self.reached.entry(exercise.to_string()).or_insert(0);
        *entry = (*entry).max(tier);
        if let Some(parent) = self.path.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&self.path, serde_json::to_string_pretty(&self.reached)?)
            .with_context(|| format!("cannot write {}", self.path.display()))
    }
}

/// Which tier to show: `asked` if given, one more than reached with `more`,
/// else the first; always within `1..=tiers`.
pub fn tier_to_show(asked: Option<usize>, more: bool, reached: usize, tiers: usize) -> usize {
    let wanted = match asked {
        Some(tier) => tier,
        None if more => reached + 1,
        None => 1,
    };
    wanted.clamp(1, tiers.max(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn more_advances_one_tier_and_stops_at_the_last() {
        assert_eq!(tier_to_show(None, false, 2, 3), 1);
        assert_eq!(tier_to_show(None, true, 0, 3), 1);
        assert_eq!(tier_to_show(None, true, 1, 3), 2);
        assert_eq!(tier_to_show(None, true, 3, 3), 3);
        assert_eq!(tier_to_show(Some(3), false, 0, 2), 2);
        assert_eq!(tier_to_show(Some(0), false, 0, 2), 1);
    }

    #[test]
    fn every_exercise_has_a_hint_of_two_or_three_tiers() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let workbook = Workbook::load(root).unwrap();
        for chapter in workbook.chapters_with_exercises() {
            let problems = problems(&workbook, chapter).unwrap();
            assert!(problems.is_empty(), "{}: {problems:?}", chapter.id);
        }
    }

    #[test]
    fn progress_is_remembered() {
        let dir = std::env::temp_dir().join(format!("hints-progress-{}", std::process::id()));
        let mut progress = Progress::load(&dir);
        assert_eq!(progress.reached("x"), 0);
        progress.record("x", 2).unwrap();
        progress.record("x", 1).unwrap();
        assert_eq!(Progress::load(&dir).reached("x"), 2);
        let _ = std::fs::remove_dir_all(dir);
    }
}
