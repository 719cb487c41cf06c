// The browser test: the rendered book, opened page by page in headless
// Chromium. Skipped with a note when /usr/bin/chromium is missing
// (`apt-get install -y chromium`; CI installs it).
//
// Fails on a page whose DOM names an image that does not exist, on an
// uncaught script error or a resource that failed to load (Chromium's
// console log), and on a chart SVG with no data points. Saves a screenshot
// of each chart page, scrolled to its charts, under
// `target/workbook/screenshots/` for a human to review.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

fn book_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../book")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// Runs headless Chromium with `args`; returns (stdout, stderr).
fn chromium(profile: &Path, args: &[String]) -> (String, String) {
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    // Read both pipes on threads so a full pipe never stalls Chromium.
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut text).ok();
        text
    });
    let err = std::thread::spawn(move || {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut stderr, &mut text).ok();
        text
    });
    // A hang safety net, not a timing assertion.
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().expect("wait for chromium").is_none() {
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("chromium still running after 120 s on {args:?}");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    (out.join().unwrap(), err.join().unwrap())
}

/// The `src` of every `<img>` in an HTML document.
fn image_sources(html: &str) -> Vec<String> {
    html.split("<img")
        .skip(1)
        .filter_map(|tag| {
            let tag = tag.split('>').next()?;
            let start = tag.find("src=\"")? + 5;
            let rest = &tag[start..];
            Some(rest[..rest.find('"')?].to_string())
        })
        .collect()
}

/// The page's `<head>` and its "The measurements, drawn" section alone.
fn charts_section(dom: &str) -> String {
    let head_end = dom.find("<body").unwrap_or(0);
    let start = dom
        .find("id=\"the-measurements-drawn\"")
        .and_then(|at| dom[..at].rfind("<h2"))
        .unwrap_or(head_end);
    let end = dom[start + 3..]
        .find("<h2")
        .map_or(dom.len(), |offset| start + 3 + offset);
    format!(
        "{}<body class=\"light\"><div id=\"content\" class=\"content\"><main>{}</main></div></body></html>",
        &dom[..head_end],
        &dom[start..end]
    )
}

#[test]
fn every_page_opens_in_chromium_with_its_images_and_charts() {
    if !Path::new(CHROMIUM).exists() {
        println!(
            "note: {CHROMIUM} is not installed: browser test skipped (apt-get install -y chromium)"
        );
        return;
    }
    let scratch = std::env::temp_dir().join(format!("workbook-browser-{}", std::process::id()));
    let site = scratch.join("site");
    let _ = std::fs::remove_dir_all(&scratch);
    workbook::book::render(&book_dir(), &site).expect("render the book");
    let screenshots = target_dir().join("workbook/screenshots");
    std::fs::create_dir_all(&screenshots).unwrap();
    let profile = scratch.join("profile");

    let summary = std::fs::read_to_string(book_dir().join("src/SUMMARY.md")).unwrap();
    let pages: Vec<String> = summary
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|page| page.replace(".md", ".html"))
        .collect();
    assert!(
        pages.len() > 5,
        "expected the book's pages in SUMMARY.md, got {pages:?}"
    );
    let mut problems = Vec::new();
    let mut charts_seen = 0;
    for page in &pages {
        let html = site.join(page);
        let url = format!("file://{}", html.display());
        let (dom, log) = chromium(&profile, &["--dump-dom".to_string(), url.clone()]);
        if !dom.contains("</html>") {
            problems.push(format!("{page}: Chromium returned no document"));
            continue;
        }
        for line in log.lines().filter(|l| l.contains("CONSOLE")) {
            if line.contains("Uncaught") || line.contains("Failed to load") {
                problems.push(format!("{page}: console error: {line}"));
            }
        }
        let folder = html.parent().unwrap();
        let mut chart_page = false;
        for source in image_sources(&dom) {
            if source.contains("://") || source.starts_with("data:") {
                continue;
            }
            let file = folder.join(&source);
            let Ok(svg) = std::fs::read_to_string(&file) else {
                problems.push(format!("{page}: the image {source} is missing"));
                continue;
            };
            if source.contains("charts/") {
                chart_page = true;
                charts_seen += 1;
                let points = svg
                    .split("<desc>")
                    .nth(1)
                    .and_then(|d| d.split(" data points</desc>").next())
                    .and_then(|d| d.rsplit(": ").next())
                    .and_then(|n| n.trim().parse::<usize>().ok());
                if !matches!(points, Some(n) if n > 0) {
                    problems.push(format!("{page}: the chart {source} has no data points"));
                }
            }
        }
        if chart_page {
            // Headless screenshots ignore a #fragment, so the charts' section
            // is cut out of the page's DOM into a page of its own (same
            // stylesheets, same 750 px column), and that is photographed.
            let review = folder.join(format!("review-{page}"));
            std::fs::write(&review, charts_section(&dom)).unwrap();
            let shot = screenshots.join(page.replace(".html", ".png"));
            chromium(
                &profile,
                &[
                    "--window-size=1280,2600".to_string(),
                    "--hide-scrollbars".to_string(),
                    format!("--screenshot={}", shot.display()),
                    format!("file://{}", review.display()),
                ],
            );
            if !shot.is_file() {
                problems.push(format!(
                    "{page}: no screenshot was written to {}",
                    shot.display()
                ));
            }
        }
    }
    std::fs::remove_dir_all(&scratch).ok();
    assert!(
        problems.is_empty(),
        "the book in Chromium has {} problem(s):\n  {}",
        problems.len(),
        problems.join("\n  ")
    );
    assert!(
        charts_seen >= 8,
        "expected at least 8 charts in the committed pages, Chromium saw {charts_seen}"
    );
    println!("screenshots of the chart pages: {}", screenshots.display());
}
