//! `cargo workbook book [--open]`: render the book with mdbook-driver.

use crate::info::Workbook;
use anyhow::Result;

pub fn run(workbook: &Workbook, open: bool) -> Result<()> {
    let book_dir = workbook.root.join("book");
    let destination = book_dir.join("build");
    let yours = your_machine(workbook)?;
    let drawn = yours.as_ref().map(|(_, svgs)| svgs.len());
    let index =
        crate::book::render_with(&book_dir, &destination, yours.as_ref().map(|y| y.0.clone()))?;
    if let Some((_, svgs)) = &yours {
        // The learner's charts go next to the rendered page only.
        let folder = destination.join("yours");
        std::fs::create_dir_all(&folder)?;
        for (file, svg) in svgs {
            std::fs::write(folder.join(file), svg)?;
        }
    }
    if let Some(count) = drawn {
        println!(
            "Added the page \"Your machine\" ({count} chart(s) from `cargo workbook measure`)."
        );
    }
    println!("The book is in {}", destination.display());
    println!("Open {} in a browser.", index.display());
    if open {
        open_in_browser(&index);
    }
    Ok(())
}

/// `(file name, SVG document)` of one of the learner's charts.
type Svg = (String, String);

/// The "Your machine" page, when `cargo workbook measure` has left results:
/// each chart drawn from the learner's figures, then the book's sample.
fn your_machine(workbook: &Workbook) -> Result<Option<(crate::book::ExtraPage, Vec<Svg>)>> {
    let results = crate::charts::load_folder(&super::charts::results_dir(workbook)?)?;
    if results.is_empty() {
        return Ok(None);
    }
    let samples = crate::charts::load_folder(&workbook.root.join("book/samples"))?;
    let sample_ids: Vec<&str> = crate::charts::draw_all(&samples)?
        .iter()
        .map(|d| d.chart.id)
        .collect();
    let mut markdown = String::from(
        "# Your machine\n\nThe demos' figures from your last `cargo workbook measure`, \
         chapter by chapter: each chart from your machine, then the book's sample run. \
         Run `cargo workbook measure` again (or `measure ch04`) and re-render to update them.\n",
    );
    let mut svgs = Vec::new();
    let mut chapter = "";
    for drawn in crate::charts::draw_all(&results)? {
        if drawn.chart.chapter != chapter {
            chapter = drawn.chart.chapter;
            let number = chapter.trim_start_matches("ch").trim_start_matches('0');
            markdown.push_str(&format!("\n## Chapter {number}\n"));
        }
        let file = format!("{}.svg", drawn.chart.id);
        // One above the other, each full width: side by side they shrink
        // below legibility.
        markdown.push_str(&format!(
            "\n### {}\n\n*{}*\n\n**Your machine** ({}):\n\n![{} (your machine)](yours/{file})\n",
            drawn.chart.title, drawn.chart.lesson, drawn.caption, drawn.chart.title
        ));
        if sample_ids.contains(&drawn.chart.id) {
            markdown.push_str(&format!(
                "\n**The book's sample:**\n\n![{} (the book's sample)](charts/{file})\n",
                drawn.chart.title
            ));
        }
        svgs.push((file, drawn.svg));
    }
    let page = crate::book::ExtraPage {
        title: "Your machine".to_string(),
        path: "your-machine.md".to_string(),
        markdown,
    };
    Ok(Some((page, svgs)))
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
