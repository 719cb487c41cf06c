//! `cargo workbook`: the learner's command line.
//!
//! Every failure ends in one line on stderr (`error: ...`) that says what was
//! wrong and how to fix it; exit status 0 means success, 1 means "checked,
//! and not everything passed", 2 means the command could not run.

use clap::{Parser, Subcommand};
use std::process::ExitCode;
use workbook::commands;
use workbook::info::Workbook;

#[derive(Parser)]
#[command(
    name = "cargo workbook",
    bin_name = "cargo workbook",
    about = "Exercises, checks and the book of the concurrency & async workbook",
    after_help = "Start with `cargo workbook list`, then `cargo workbook watch`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Every exercise by chapter with its state, your progress, and what is next.
    List,
    /// Run the tests of an exercise (or of every exercise of a chapter) on your code.
    Check {
        /// An exercise name (e.g. `fetch_all`) or a chapter (`ch01`).
        name: String,
    },
    /// Re-check on every save, following the exercise you saved; move on when it passes.
    Watch {
        /// Only this exercise or chapter (e.g. `ch03`); default: the whole workbook.
        scope: Option<String>,
        /// Don't watch files: press Enter to re-check (for file systems where watching fails).
        #[arg(long)]
        manual: bool,
    },
    /// Show a hint for an exercise: a first nudge; `--more` for the next tier.
    Hint {
        exercise: String,
        /// Show this tier (1 = a nudge, the last names the API).
        tier: Option<usize>,
        /// Show the next tier after the last one you saw.
        #[arg(long)]
        more: bool,
    },
    /// Restore an exercise's original stub (your version is backed up first).
    Reset { exercise: String },
    /// Maintainers: every test fails on the original stub, passes on the solution,
    /// and rejects each recorded wrong answer.
    Verify {
        /// Only this chapter (e.g. `ch01`).
        #[arg(long)]
        chapter: Option<String>,
        /// Check the stubs as they are on disk, even where they differ from git HEAD.
        #[arg(long)]
        working_tree: bool,
        /// Skip the wrong answers (mutants): faster, weaker.
        #[arg(long)]
        skip_mutants: bool,
        /// Build each wrong answer on its own instead of one per exercise at a time (slower).
        #[arg(long)]
        no_batch: bool,
    },
    /// Run the demos on your machine (release build), store their figures as JSON,
    /// and summarise the ones far from the model; `cargo workbook book` then charts them.
    Measure {
        /// A chapter (`ch01`) or one demo (`spawn_cost`); default: every demo.
        scope: Option<String>,
    },
    /// Maintainers: redraw the book's sample charts (book/src/charts) from book/samples.
    Charts {
        /// First copy the results of `cargo workbook measure` into book/samples.
        #[arg(long)]
        sample: bool,
        /// Import a demo's printed output: `--import <demo> <text file>`.
        #[arg(long, num_args = 2, value_names = ["DEMO", "FILE"])]
        import: Option<Vec<String>>,
        /// With --import: where the run comes from (shown in the caption).
        #[arg(long)]
        source: Option<String>,
        /// With --import: the core count of the machine that printed it.
        #[arg(long)]
        cores: Option<usize>,
    },
    /// Render the book (with search) into book/build and print where it is.
    Book {
        /// Also open it in a browser.
        #[arg(long)]
        open: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli.command) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            // `{:#}` prints the error and its causes on one line.
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn run(command: Command) -> anyhow::Result<bool> {
    let workbook = Workbook::discover()?;
    match command {
        Command::List => commands::list::run(&workbook).map(|()| true),
        Command::Check { name } => commands::check::run(&workbook, &name),
        Command::Watch { scope, manual } => {
            commands::watch::run(&workbook, scope.as_deref(), manual).map(|()| true)
        }
        Command::Hint {
            exercise,
            tier,
            more,
        } => commands::hint(&workbook, &exercise, tier, more).map(|()| true),
        Command::Reset { exercise } => commands::reset::run(&workbook, &exercise).map(|()| true),
        Command::Verify {
            chapter,
            working_tree,
            skip_mutants,
            no_batch,
        } => {
            let options = commands::verify::Options {
                chapter,
                working_tree,
                skip_mutants,
                no_batch,
            };
            commands::verify::run(&workbook, &options)
        }
        Command::Measure { scope } => commands::measure::run(&workbook, scope.as_deref()),
        Command::Charts {
            sample,
            import,
            source,
            cores,
        } => {
            let import = import.map(|pair| (pair[0].clone(), pair[1].clone()));
            let options = commands::charts::Options {
                sample,
                import,
                source,
                cores,
            };
            commands::charts::run(&workbook, &options).map(|()| true)
        }
        Command::Book { open } => commands::book::run(&workbook, open).map(|()| true),
    }
}
