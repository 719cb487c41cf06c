//! The book: checks on its sources, and rendering with `mdbook-driver`.
//!
//! mdBook only logs a warning for an `{{#include}}` whose file or anchor is
//! missing and renders the page anyway, so a broken listing would go
//! unnoticed. [`check_sources`] finds those (and pages missing from
//! `SUMMARY.md`, and Rust blocks pasted instead of included) before rendering.

use anyhow::{Context, Result, bail};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Every problem found in `book_dir/src`, one line each; empty means fine.
pub fn check_sources(book_dir: &Path) -> Result<Vec<String>> {
    let src = book_dir.join("src");
    let summary_path = src.join("SUMMARY.md");
    let summary = std::fs::read_to_string(&summary_path)
        .with_context(|| format!("cannot read {}", summary_path.display()))?;
    let mut problems = Vec::new();

    let listed: BTreeSet<PathBuf> = summary_links(&summary)
        .into_iter()
        .map(PathBuf::from)
        .collect();
    for page in &listed {
        if !src.join(page).is_file() {
            problems.push(format!(
                "SUMMARY.md lists {}, which does not exist",
                page.display()
            ));
        }
    }
    // Fragments a listed page includes (such as the generated charts/chNN.md)
    // are rendered as part of that page.
    let mut included = BTreeSet::new();
    for page in &listed {
        for (file, text) in page_and_included_markdown(&src.join(page)).unwrap_or_default() {
            included.insert(file.strip_prefix(&src).unwrap_or(&file).to_path_buf());
            // Images are relative to the rendered page, not to the fragment.
            let folder = src
                .join(page)
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            for image in image_links(&text) {
                if !image.contains("://") && !folder.join(&image).is_file() {
                    problems.push(format!(
                        "{}: the image {image} does not exist (relative to {})",
                        file.strip_prefix(&src).unwrap_or(&file).display(),
                        page.display()
                    ));
                }
            }
        }
    }
    for page in markdown_files(&src)? {
        let relative = page.strip_prefix(&src).expect("under src").to_path_buf();
        if relative != Path::new("SUMMARY.md")
            && !listed.contains(&relative)
            && !included.contains(&relative)
        {
            problems.push(format!(
                "{} is not listed in SUMMARY.md, so it is never rendered",
                relative.display()
            ));
        }
        for (file, text) in page_and_included_markdown(&page)? {
            let folder = file.parent().expect("a file has a folder");
            let shown = if file == page {
                relative.display().to_string()
            } else {
                file.display().to_string()
            };
            for (line, directive) in directives(&text) {
                if let Some(problem) = check_directive(folder, &directive) {
                    problems.push(format!("{shown}:{line}: {problem}"));
                }
            }
        }
        let text = std::fs::read_to_string(&page)?;
        for line in listings_outside_code_blocks(&text) {
            problems.push(format!(
                "{}:{line}: a listing is included outside a code block, so it renders as text (put it in a ```rust block)",
                relative.display()
            ));
        }
        for line in pasted_rust_blocks(&text) {
            problems.push(format!(
                "{}:{line}: a Rust block is pasted, not included from a crate (use {{{{#include path:anchor}}}})",
                relative.display()
            ));
        }
    }
    Ok(problems)
}

/// Renders the book into `destination` and returns the path of `index.html`.
pub fn render(book_dir: &Path, destination: &Path) -> Result<PathBuf> {
    render_with(book_dir, destination, None)
}

/// A page added to the rendered book only (never written to `book/src`).
#[derive(Debug, Clone)]
pub struct ExtraPage {
    pub title: String,
    /// Its path in the rendered book, e.g. `your-machine.md`.
    pub path: String,
    pub markdown: String,
}

/// Like [`render`], with one more page at the end of the book.
pub fn render_with(
    book_dir: &Path,
    destination: &Path,
    extra: Option<ExtraPage>,
) -> Result<PathBuf> {
    let problems = check_sources(book_dir)?;
    if !problems.is_empty() {
        bail!(
            "the book has {} problem(s):\n  {}",
            problems.len(),
            problems.join("\n  ")
        );
    }
    let mut book = mdbook_driver::MDBook::load(book_dir)
        .map_err(|e| anyhow::anyhow!("cannot load the book in {}: {e:#}", book_dir.display()))?;
    // An absolute path replaces the `build-dir` of book.toml.
    book.config.build.build_dir = destination.to_path_buf();
    if let Some(page) = extra {
        book.book.push_item(mdbook_driver::book::Chapter::new(
            &page.title,
            page.markdown,
            page.path,
            Vec::new(),
        ));
    }
    book.build()
        .map_err(|e| anyhow::anyhow!("cannot render the book: {e:#}"))?;
    Ok(destination.join("index.html"))
}

/// The targets of `![alt](target)` images in Markdown.
fn image_links(text: &str) -> Vec<String> {
    text.split("![")
        .skip(1)
        .filter_map(|rest| rest.split_once("](")?.1.split(')').next())
        .map(|target| target.split_whitespace().next().unwrap_or("").to_string())
        .filter(|target| !target.is_empty())
        .collect()
}

/// The `.md` targets of `[title](target.md)` links in SUMMARY.md.
fn summary_links(summary: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = summary;
    while let Some(start) = rest.find("](") {
        rest = &rest[start + 2..];
        if let Some(end) = rest.find(')') {
            let target = &rest[..end];
            if target.ends_with(".md") {
                links.push(target.to_string());
            }
            rest = &rest[end..];
        }
    }
    links
}

fn markdown_files(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(markdown_files(&path)?);
        } else if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    Ok(files)
}

/// The page itself, then every Markdown file it includes (recursively):
/// mdBook expands directives inside included Markdown too.
pub fn page_and_included_markdown(page: &Path) -> Result<Vec<(PathBuf, String)>> {
    let mut files = Vec::new();
    let mut pending = vec![page.to_path_buf()];
    while let Some(file) = pending.pop() {
        if files.iter().any(|(seen, _)| *seen == file) || files.len() > 20 {
            continue;
        }
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read {}", file.display()))?;
        let folder = file.parent().expect("a file has a folder").to_path_buf();
        for (_, directive) in directives(&text) {
            if let Some(path) = directive.strip_prefix("include ").map(str::trim)
                && path.ends_with(".md")
            {
                pending.push(folder.join(path));
            }
        }
        files.push((file, text));
    }
    Ok(files)
}

/// `(line number, "include path:anchor")` for each `{{#...}}` directive.
/// An escaped `\{{#...}}` is shown literally by mdBook and is skipped.
pub fn directives(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut rest = line;
        while let Some(start) = rest.find("{{#") {
            let escaped = rest[..start].ends_with('\\');
            rest = &rest[start + 3..];
            let Some(end) = rest.find("}}") else { break };
            if !escaped {
                found.push((index + 1, rest[..end].trim().to_string()));
            }
            rest = &rest[end + 2..];
        }
    }
    found
}

fn check_directive(folder: &Path, directive: &str) -> Option<String> {
    let (kind, argument) = directive
        .split_once(char::is_whitespace)
        .unwrap_or((directive, ""));
    if !matches!(kind, "include" | "rustdoc_include") {
        return None; // {{#title}}, {{#playground}}... are not file links we check.
    }
    let argument = argument.trim();
    let (path, selector) = match argument.split_once(':') {
        Some((path, selector)) => (path, Some(selector)),
        None => (argument, None),
    };
    let file = folder.join(path);
    let Ok(source) = std::fs::read_to_string(&file) else {
        return Some(format!("{{{{#{kind} {argument}}}}}: {path} does not exist"));
    };
    let anchor =
        selector.filter(|s| !s.is_empty() && !s.chars().next().is_some_and(|c| c.is_ascii_digit()));
    if let Some(anchor) = anchor {
        let marks = |mark: &str| {
            source.lines().any(|line| {
                line.split_once(mark)
                    .is_some_and(|(_, name)| name.trim().trim_end_matches("*/").trim() == anchor)
            })
        };
        if !marks("ANCHOR:") || !marks("ANCHOR_END:") {
            return Some(format!(
                "{{{{#{kind} {argument}}}}}: {path} has no `ANCHOR: {anchor}` ... `ANCHOR_END: {anchor}` pair"
            ));
        }
    }
    None
}

/// Line numbers of `{{#include file}}` lines (of anything but Markdown)
/// that stand outside a fenced code block: mdBook would render the code as
/// a paragraph of text.
fn listings_outside_code_blocks(text: &str) -> Vec<usize> {
    let mut in_fence = false;
    let mut bare = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_fence = !in_fence;
            continue;
        }
        let includes_code = directives(line).iter().any(|(_, d)| {
            let target = d.split_whitespace().nth(1).unwrap_or("");
            (d.starts_with("include ") || d.starts_with("rustdoc_include "))
                && !target.split(':').next().unwrap_or("").ends_with(".md")
        });
        if !in_fence && includes_code {
            bare.push(index + 1);
        }
    }
    bare
}

/// Line numbers of ```rust fences whose body is not only include directives.
fn pasted_rust_blocks(text: &str) -> Vec<usize> {
    let mut pasted = Vec::new();
    let mut lines = text.lines().enumerate();
    while let Some((index, line)) = lines.next() {
        let fence = line.trim_start();
        let Some(info) = fence.strip_prefix("```") else {
            continue;
        };
        let is_rust = info
            .split(',')
            .next()
            .is_some_and(|lang| lang.trim() == "rust");
        let mut only_includes = true;
        for (_, body) in lines.by_ref() {
            if body.trim_start().starts_with("```") {
                break;
            }
            let body = body.trim();
            let is_directive = body.starts_with("{{#") && body.ends_with("}}");
            if !body.is_empty() && !is_directive {
                only_includes = false;
            }
        }
        if is_rust && !only_includes {
            pasted.push(index + 1);
        }
    }
    pasted
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A throw-away book with one of each problem the checker must catch.
    #[test]
    fn catches_every_kind_of_problem() {
        let dir = std::env::temp_dir().join(format!("workbook-book-check-{}", std::process::id()));
        let src = dir.join("src");
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(
            src.join("SUMMARY.md"),
            "[Intro](intro.md)\n- [Gone](gone.md)\n",
        )
        .unwrap();
        std::fs::write(
            src.join("code.rs"),
            "// ANCHOR: good\nfn f() {}\n// ANCHOR_END: good\n",
        )
        .unwrap();
        std::fs::write(
            src.join("intro.md"),
            "```rust\n{{#include code.rs:good}}\n{{#include code.rs:missing}}\n{{#include nowhere.rs}}\n```\n\
             ```rust\n{{#include code.rs:good}}\n```\n```rust\nfn pasted() {}\n```\n\
             {{#include charts/fragment.md}}\n",
        )
        .unwrap();
        // An included fragment is not an orphan; its images are checked
        // relative to the page that includes it.
        std::fs::create_dir_all(src.join("charts")).unwrap();
        std::fs::write(src.join("charts/here.svg"), "<svg/>").unwrap();
        std::fs::write(
            src.join("charts/fragment.md"),
            "![a](charts/here.svg)\n![b](charts/missing.svg)\n",
        )
        .unwrap();
        std::fs::write(
            src.join("orphan.md"),
            "# Orphan\n{{#include code.rs:good}}\n",
        )
        .unwrap();
        std::fs::write(
            src.join("SUMMARY.md"),
            "[Intro](intro.md)\n- [Gone](gone.md)\n",
        )
        .unwrap();
        let problems = check_sources(&dir).unwrap();
        std::fs::remove_dir_all(&dir).unwrap();
        let all = problems.join("\n");
        assert_eq!(problems.len(), 7, "{all}");
        assert!(
            all.contains("the image charts/missing.svg does not exist"),
            "{all}"
        );
        assert!(
            all.contains("orphan.md:2: a listing is included outside a code block"),
            "{all}"
        );
        assert!(all.contains("gone.md, which does not exist"), "{all}");
        assert!(all.contains("orphan.md is not listed"), "{all}");
        assert!(all.contains("no `ANCHOR: missing`"), "{all}");
        assert!(all.contains("nowhere.rs does not exist"), "{all}");
        assert!(all.contains("intro.md:9: a Rust block is pasted"), "{all}");
    }
}
