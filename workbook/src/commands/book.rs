//! `cargo workbook book [--open]`: render the book with mdbook-driver.

use crate::info::Workbook;
use anyhow::Result;

pub fn run(workbook: &Workbook, open: bool) -> Result<()> {
    let book_dir = workbook.root.join("book");
    let destination = book_dir.join("build");
    let index = crate::book::render(&book_dir, &destination)?;
    println!("The book is in {}", destination.display());
    println!("Open {} in a browser.", index.display());
    if open {
        open_in_browser(&index);
    }
    Ok(())
}

/// Best effort: the platform's opener, else a note.
fn open_in_browser(index: &std::path::Path) {
    let openers: &[&str] = if cfg!(target_os = "macos") {
        &["open"]
    } else if cfg!(windows) {
        &["explorer"]
    } else {
        &["xdg-open", "sensible-browser"]
    };
    let browser = std::env::var("BROWSER").ok();
    let candidates = browser
        .iter()
        .map(String::as_str)
        .chain(openers.iter().copied());
    for opener in candidates {
        let launched = std::process::Command::new(opener)
            .arg(index)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
        if launched.is_ok() {
            return;
        }
    }
    println!("(No browser opener found on this machine: open the file above by hand.)");
}
