// The book test: part of `cargo test`, so a broken listing fails the build.
//
// 1. The sources are consistent: every {{#include}} points at an existing
//    file and anchor, every page is in SUMMARY.md, no Rust block is pasted.
// 2. The book renders with mdbook-driver, with search, and every page of
//    SUMMARY.md becomes an HTML file with no unexpanded include left in it.

use std::path::{Path, PathBuf};

fn book_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../book")
}

#[test]
fn every_include_anchor_and_page_is_sound() {
    let problems = workbook::book::check_sources(&book_dir()).expect("read the book's sources");
    assert!(
        problems.is_empty(),
        "the book has {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
}

#[test]
fn the_book_renders_with_search() {
    let destination =
        std::env::temp_dir().join(format!("workbook-book-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&destination);
    let index = workbook::book::render(&book_dir(), &destination).expect("render the book");
    assert!(index.is_file(), "no index.html at {}", index.display());
    let summary = std::fs::read_to_string(book_dir().join("src/SUMMARY.md")).unwrap();
    for page in summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
    {
        let html = destination.join(page.replace(".md", ".html"));
        let text = std::fs::read_to_string(&html)
            .unwrap_or_else(|_| panic!("{page} was not rendered to {}", html.display()));
        // Pages that show the syntax on purpose (escaped as \{{#...}}) keep it.
        let sources =
            workbook::book::page_and_included_markdown(&book_dir().join("src").join(page)).unwrap();
        let shows_syntax = sources.iter().any(|(_, text)| text.contains("\\{{#"));
        assert!(
            shows_syntax || !text.contains("{{#include"),
            "{page} still holds an unexpanded {{{{#include}}}}"
        );
    }
    let search_index = std::fs::read_dir(&destination)
        .unwrap()
        .filter_map(Result::ok)
        .any(|entry| {
            entry
                .file_name()
                .to_string_lossy()
                .starts_with("searchindex")
        });
    assert!(
        search_index,
        "no search index was written: is mdbook-driver's `search` feature on?"
    );
    std::fs::remove_dir_all(&destination).ok();
}

/// mdBook's rule for turning a heading into its `id`.
fn heading_anchor(heading: &str) -> String {
    heading
        .chars()
        .filter_map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                Some(c.to_ascii_lowercase())
            } else if c.is_whitespace() {
                Some('-')
            } else {
                None
            }
        })
        .collect()
}

#[test]
fn every_exercise_points_at_a_real_section_and_is_listed_with_its_command() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let workbook = workbook::info::Workbook::load(&root).expect("load exercises/info.toml");
    let mut problems = Vec::new();
    for exercise in &workbook.exercises {
        let (page, anchor) = exercise
            .section
            .split_once('#')
            .unwrap_or((&exercise.section, ""));
        let Ok(text) = std::fs::read_to_string(book_dir().join("src").join(page)) else {
            problems.push(format!(
                "{}: section page {page} does not exist",
                exercise.name
            ));
            continue;
        };
        let anchors: Vec<String> = text
            .lines()
            .filter_map(|line| {
                line.trim_start_matches('#')
                    .strip_prefix(' ')
                    .filter(|_| line.starts_with('#'))
            })
            .map(heading_anchor)
            .collect();
        if !anchor.is_empty() && !anchors.iter().any(|a| a == anchor) {
            problems.push(format!(
                "{}: {page} has no heading with the anchor #{anchor}",
                exercise.name
            ));
        }
        let command = format!("cargo workbook check {}", exercise.name);
        if !text.contains(&command) {
            problems.push(format!("{}: {page} never shows `{command}`", exercise.name));
        }
    }
    assert!(
        problems.is_empty(),
        "exercises/info.toml and the book disagree:\n  {}",
        problems.join("\n  ")
    );
}
