//! `cargo workbook measure [chNN|demo]`: run the demos on your machine.
//!
//! Builds the chosen demos in release mode, runs them in chapter order with a
//! progress bar and an estimate of the time left, and stores what each one
//! printed (through `kit::table`, with `KIT_JSON` set) as
//! `target/workbook/results/<chNN>-<demo>.json`. Each result is written as
//! soon as its demo ends, so Ctrl-C keeps everything gathered so far. A demo
//! that fails is reported and the others still run. The end is a one-screen
//! summary: per chapter, the figures whose measured/predicted ratio is
//! outside 0.8-1.25, with the usual reason when one is known.

use crate::charts::Results;
use crate::info::Workbook;
use anyhow::{Context, Result, bail};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Demos left out: servers that run until stopped.
const LONG_RUNNING: &[&str] = &["server"];

/// The most one demo may take before it is stopped and reported.
const DEMO_LIMIT: Duration = Duration::from_secs(180);

/// One demo binary and the argument sets it is run with.
#[derive(Debug, Clone)]
pub struct Demo {
    pub chapter: String,
    pub package: String,
    pub bin: String,
    pub runs: Vec<Vec<String>>,
    /// A rough duration on 2 cores, for the time-left estimate.
    pub estimate: Duration,
}

impl Demo {
    /// `ch01-requests`: the results file's stem (two chapters share a bin name).
    pub fn id(&self) -> String {
        format!("{}-{}", self.chapter, self.bin)
    }
}

/// Demos whose chart needs several runs, and rough durations of the slow ones.
fn plan(bin: &str) -> (Vec<Vec<String>>, u64) {
    let args = |list: &[&str]| list.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match bin {
        // Total time vs number of requests: three request counts.
        "requests" => (
            ["10", "50", "200"]
                .iter()
                .map(|n| args(&["--requests", n, "--latency-ms", "20"]))
                .collect(),
            6,
        ),
        // Fan-out time vs concurrency limit: one run per limit.
        "http_fanout" => (
            ["2", "4", "5", "10"]
                .iter()
                .map(|limit| args(&["--requests", "20", "--latency-ms", "100", "--limit", limit]))
                .collect(),
            14,
        ),
        "cpu_scaling" => (vec![vec![]], 25),
        "contention" | "futex_lock" | "vs_tokio" | "switch_cost" => (vec![vec![]], 12),
        "overload" | "crash" => (vec![vec![]], 30),
        "vs_redis" => (vec![vec![]], 20),
        _ => (vec![vec![]], 5),
    }
}

/// Every demo of `chapters/chNN-*/src/bin/`, in chapter order.
pub fn discover(root: &Path) -> Result<Vec<Demo>> {
    let mut chapters: Vec<PathBuf> = std::fs::read_dir(root.join("chapters"))
        .context("cannot read chapters/")?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    chapters.sort();
    let mut demos = Vec::new();
    for folder in chapters {
        let name = folder
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let chapter = name.split('-').next().unwrap_or_default().to_string();
        let manifest = std::fs::read_to_string(folder.join("Cargo.toml"))?;
        let package = manifest
            .parse::<toml::Table>()
            .ok()
            .and_then(|t| t.get("package")?.get("name")?.as_str().map(str::to_string))
            .with_context(|| format!("{}: no package name", folder.display()))?;
        let mut bins: Vec<String> = std::fs::read_dir(folder.join("src/bin"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter_map(|e| {
                        let path = e.path();
                        let stem = path.file_stem()?.to_string_lossy().into_owned();
                        (path.extension()? == "rs").then_some(stem)
                    })
                    .collect()
            })
            .unwrap_or_default();
        bins.sort();
        for bin in bins {
            if LONG_RUNNING.contains(&bin.as_str()) {
                continue;
            }
            let (runs, seconds) = plan(&bin);
            demos.push(Demo {
                chapter: chapter.clone(),
                package: package.clone(),
                bin,
                runs,
                estimate: Duration::from_secs(seconds),
            });
        }
    }
    Ok(demos)
}

/// The demos `scope` names: all, a chapter (`ch04`), or one demo (`spawn_cost`
/// or `ch04-spawn_cost`).
pub fn select(demos: Vec<Demo>, scope: Option<&str>) -> Result<Vec<Demo>> {
    let Some(scope) = scope else {
        return Ok(demos);
    };
    let chosen: Vec<Demo> = demos
        .into_iter()
        .filter(|d| d.chapter == scope || d.bin == scope || d.id() == scope)
        .collect();
    if chosen.is_empty() {
        bail!("no demo or chapter called `{scope}` (try `ch01`, or a demo such as `requests`)");
    }
    Ok(chosen)
}

pub fn run(workbook: &Workbook, scope: Option<&str>) -> Result<bool> {
    let demos = select(discover(&workbook.root)?, scope)?;
    let cargo = crate::runner::Cargo::for_workspace(&workbook.root)?;
    let results_dir = cargo.target_dir.join("workbook/results");
    std::fs::create_dir_all(&results_dir)?;
    let started = Instant::now();
    let total_estimate: Duration = demos.iter().map(|d| d.estimate).sum();
    println!(
        "Measuring {} demo(s) on this machine ({} cores): about {} of runs.",
        demos.len(),
        kit::measure::cores(),
        minutes(total_estimate)
    );
    // A fresh clone compiles every dependency in release before the first
    // run: say so, or the wait looks like a hang.
    let never_built = demos
        .iter()
        .any(|demo| !cargo.target_dir.join("release").join(&demo.bin).is_file());
    if never_built {
        println!(
            "First time only: building the demos in release takes a few minutes \
             (cargo's progress below)."
        );
    }
    println!(
        "Results go to {} as each demo ends: Ctrl-C keeps them.\n",
        results_dir.display()
    );

    let mut failures = Vec::new();
    let mut gathered = Vec::new();
    let mut built_chapter = String::new();
    let mut spent_on_done = Duration::ZERO;
    let mut estimated_done = Duration::ZERO;
    for (index, demo) in demos.iter().enumerate() {
        // One chapter at a time: each chapter's demos are built just
        // before they run, so the first results come sooner.
        if demo.chapter != built_chapter {
            // Off the progress bar's line: cargo prints its own below.
            eprintln!("\r\x1b[2K  building {} (release)", demo.package);
            build(&workbook.root, &demo.package, &[])?;
            // Chapter 7's demos drive a server binary: the reference one
            // when solutions/ is there (else the demo says how to build yours).
            if demo.chapter == "ch07"
                && workbook
                    .root
                    .join("solutions/ch07-network-service")
                    .is_dir()
            {
                build(
                    &workbook.root,
                    "ch07-solutions",
                    &["--bin", "ch07-reference-server"],
                )?;
            }
            built_chapter = demo.chapter.clone();
        }
        let remaining: Duration = demos[index..].iter().map(|d| d.estimate).sum();
        // Scale the estimate by how this machine has done so far.
        let pace = if estimated_done.is_zero() {
            1.0
        } else {
            spent_on_done.as_secs_f64() / estimated_done.as_secs_f64()
        };
        progress(
            index,
            demos.len(),
            &demo.id(),
            started.elapsed(),
            remaining.mul_f64(pace),
        );
        let demo_started = Instant::now();
        match run_demo(&cargo.target_dir, demo) {
            Ok(results) => {
                let path = results_dir.join(format!("{}.json", demo.id()));
                std::fs::write(&path, serde_json::to_string_pretty(&results)?)?;
                gathered.push((demo.clone(), results, load_average()));
            }
            Err(error) => failures.push(format!("{}: {error:#}", demo.id())),
        }
        spent_on_done += demo_started.elapsed();
        estimated_done += demo.estimate;
    }
    progress(
        demos.len(),
        demos.len(),
        "done",
        started.elapsed(),
        Duration::ZERO,
    );
    eprintln!();
    println!(
        "\nMeasured {} demo(s) in {}.",
        gathered.len(),
        minutes(started.elapsed())
    );
    print_summary(&gathered);
    if !failures.is_empty() {
        println!("\nFailed ({}): the others ran.", failures.len());
        for failure in &failures {
            println!("  {failure}");
        }
    }
    println!(
        "\nNext: `cargo workbook book` adds a page \"Your machine\" with these figures drawn \
         beside the book's."
    );
    Ok(failures.is_empty())
}

/// `cargo build --release`, with cargo's progress and errors on the
/// terminal (stderr is inherited), so a long first build is seen to move.
fn build(root: &Path, package: &str, bins: &[&str]) -> Result<()> {
    let bins = if bins.is_empty() {
        &["--bins"][..]
    } else {
        bins
    };
    let status = Command::new(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()))
        .current_dir(root)
        .args(["build", "--release", "-p", package])
        .args(bins)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .status()
        .context("cannot run cargo")?;
    if !status.success() {
        bail!("the release build of {package} failed (cargo's errors are above)");
    }
    Ok(())
}

/// Runs each argument set of `demo` and merges the tables into one result.
fn run_demo(target_dir: &Path, demo: &Demo) -> Result<Results> {
    let executable = target_dir.join("release").join(&demo.bin);
    let mut merged: Option<Results> = None;
    for args in &demo.runs {
        let json = std::env::temp_dir().join(format!(
            "workbook-{}-{}.json",
            demo.id(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&json);
        let mut child = Command::new(&executable)
            .args(args)
            .env("KIT_JSON", &json)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .with_context(|| format!("cannot start {}", executable.display()))?;
        let deadline = Instant::now() + DEMO_LIMIT;
        let status = loop {
            if let Some(status) = child.try_wait()? {
                break status;
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                bail!("still running after {} s: stopped", DEMO_LIMIT.as_secs());
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        if !status.success() {
            let mut stderr = String::new();
            if let Some(mut pipe) = child.stderr.take() {
                let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
            }
            let mut lines = stderr.lines().filter(|l| !l.trim().is_empty());
            let first = lines.next().unwrap_or("");
            let last = lines
                .next_back()
                .map_or(String::new(), |l| format!(" ... {}", l.trim()));
            bail!("exited with {status}: {}{last}", first.trim());
        }
        let results = Results::load(&json).context("it printed no table")?;
        let _ = std::fs::remove_file(&json);
        match &mut merged {
            Some(all) => all.tables.extend(results.tables),
            None => merged = Some(results),
        }
    }
    merged.context("no run")
}

fn progress(done: usize, total: usize, current: &str, elapsed: Duration, left: Duration) {
    const WIDTH: usize = 24;
    let filled = (done * WIDTH).checked_div(total).unwrap_or(WIDTH);
    eprint!(
        "\r\x1b[2K  [{}{}] {done}/{total}  {current:<28} {} elapsed, about {} left",
        "#".repeat(filled),
        "-".repeat(WIDTH - filled),
        minutes(elapsed),
        minutes(left)
    );
    let _ = std::io::stderr().flush();
}

fn minutes(d: Duration) -> String {
    let secs = d.as_secs();
    if secs >= 60 {
        format!("{} min {:02} s", secs / 60, secs % 60)
    } else {
        format!("{secs} s")
    }
}

/// The usual reason a figure of `demo` strays from its model, if known.
pub fn known_reason(demo: &str, figure: &str, cores: usize) -> Option<String> {
    let counted = figure
        .split(|c: char| !c.is_ascii_digit())
        .find(|part| !part.is_empty())
        .and_then(|n| n.parse::<usize>().ok());
    let more_workers_than_cores = counted.is_some_and(|n| n > cores);
    let reason = match demo {
        "amdahl" | "cpu_scaling" | "cpu_bound" if more_workers_than_cores => {
            format!("{cores} cores: parallel speedup capped at {cores}")
        }
        "cpu_scaling" if figure.contains("Python") && figure.contains("thread") => {
            "the GIL: Python threads take turns on one core".to_string()
        }
        "contention" | "futex_lock" if !figure.contains("sharded") => {
            "one shared cache line: the model is perfect scaling, contention is the lesson"
                .to_string()
        }
        "spawn_cost" | "memory_per_unit" | "switch_cost" => {
            "rule-of-thumb prediction: the OS, CPU and allocator set the real cost".to_string()
        }
        "requests" if figure.contains("thread") => {
            "spawning OS threads costs; the model leaves overhead at zero".to_string()
        }
        "vs_tokio" => "the reference is tokio current-thread, not a model".to_string(),
        // Only the delayed-ACK row ("GET -P 16, 50 clients") has a model.
        "vs_redis" if !figure.contains("clients") => {
            "a comparison (redis-server, or the fixed flush policy), not a model".to_string()
        }
        "lost_update" if figure.contains("split") => {
            "lost updates: the race is the lesson".to_string()
        }
        "false_sharing" if figure.contains("adjacent") => {
            "false sharing: two cores fight over one cache line, the lesson".to_string()
        }
        _ => return None,
    };
    Some(reason)
}

/// Per chapter, the figures whose ratio is outside 0.8-1.25.
fn print_summary(gathered: &[(Demo, Results, Option<f64>)]) {
    println!("\nFigures outside 0.8-1.25 of their prediction:");
    const PER_CHAPTER: usize = 4;
    let mut chapter = "";
    let mut any = false;
    let (mut shown, mut hidden) = (0, 0);
    for (demo, results, load) in gathered {
        let cores = results.machine.cores;
        // Other programs on the machine while the demo ran: a reason for a
        // CPU-bound figure when nothing more specific is known.
        let busy = load
            .filter(|load| *load > cores as f64)
            .map(|load| format!("busy machine: load {load:.1} on {cores} cores"));
        for table in &results.tables {
            for row in &table.rows {
                let Some(ratio) = row.ratio else { continue };
                if (0.8..=1.25).contains(&ratio) {
                    continue;
                }
                if demo.chapter != chapter {
                    if hidden > 0 {
                        println!("    ... and {hidden} more (in the results files)");
                    }
                    chapter = &demo.chapter;
                    shown = 0;
                    hidden = 0;
                    println!("  {chapter}");
                }
                any = true;
                // One screen in all: a few lines per chapter.
                if shown == PER_CHAPTER {
                    hidden += 1;
                    continue;
                }
                shown += 1;
                let reason = known_reason(&demo.bin, &row.figure, cores)
                    .or_else(|| busy.clone())
                    .map_or(String::new(), |r| format!("  ({r})"));
                println!(
                    "    {:<16} {:<34} {ratio:>6.2}x{reason}",
                    demo.bin,
                    truncate(&row.figure, 34)
                );
            }
        }
    }
    if hidden > 0 {
        println!("    ... and {hidden} more (in the results files)");
    }
    if !any {
        println!("  none: every figure is within 0.8-1.25 of its model.");
    }
}

/// The one-minute load average (Linux), if known.
fn load_average() -> Option<f64> {
    std::fs::read_to_string("/proc/loadavg")
        .ok()?
        .split_whitespace()
        .next()?
        .parse()
        .ok()
}

fn truncate(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        let cut: String = text.chars().take(width - 1).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_chapter_demo_is_found_in_chapter_order() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let demos = discover(&root).unwrap();
        let chapters: Vec<&str> = demos.iter().map(|d| d.chapter.as_str()).collect();
        let mut sorted = chapters.clone();
        sorted.sort();
        assert_eq!(chapters, sorted, "expected demos in chapter order");
        let requests = demos
            .iter()
            .find(|d| d.id() == "ch01-requests")
            .expect("ch01 requests");
        assert_eq!(
            requests.runs.len(),
            3,
            "requests runs for three request counts"
        );
        assert!(
            !demos.iter().any(|d| d.bin == "server"),
            "a server that runs until stopped is left out"
        );
        assert_eq!(
            select(demos.clone(), Some("ch01")).unwrap().len(),
            4,
            "ch01 has four demos"
        );
        assert!(
            select(demos, Some("nope")).is_err(),
            "an unknown scope is an error"
        );
    }

    #[test]
    fn known_reasons() {
        assert_eq!(
            known_reason("amdahl", "4", 2).as_deref(),
            Some("2 cores: parallel speedup capped at 2")
        );
        assert_eq!(
            known_reason("amdahl", "2", 2),
            None,
            "2 threads on 2 cores: no excuse"
        );
        assert!(known_reason("contention", "sharded atomics", 2).is_none());
    }
}
