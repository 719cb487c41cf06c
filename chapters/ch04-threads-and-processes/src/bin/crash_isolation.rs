//! What survives a panicking thread, an aborting child process, and an
//! abort inside one thread of a process.
//!
//! `cargo run --release -p ch04-demos --bin crash_isolation`

use ch04_demos::crash::{child_main, run_all};
use kit::args::opt;
use kit::table::Table;

fn main() {
    let mode: String = opt("child", String::new());
    if !mode.is_empty() {
        return child_main(&mode);
    }
    let self_exe = std::env::current_exe().expect("path of this demo");
    // The panicking thread prints its message on stderr; that is expected.
    let outcomes = run_all(&self_exe);
    println!();
    let mut table = Table::new(["scenario", "predicted", "measured", "match"]);
    for outcome in &outcomes {
        table.row([
            outcome.scenario.to_string(),
            outcome.expected.to_string(),
            outcome.observed.clone(),
            if outcome.as_expected { "yes" } else { "NO" }.to_string(),
        ]);
    }
    table.print();
}
