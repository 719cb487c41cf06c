//! Runs each asyncio idiom's tokio counterpart and prints what it took next
//! to what the time model predicts, then what each run observed.
//!
//! `cargo run --release -p ch06-demos --bin toolbox -- --unit-ms 100`

use ch06_demos::toolbox;
use kit::args::opt;
use kit::table::Table;
use std::time::Duration;

// ANCHOR: runtime
// One thread for every task, like asyncio's event loop: this is what makes
// the blocking call's damage visible. `#[tokio::main]` builds the runtime
// and blocks on `main`'s future, as `asyncio.run(main())` does.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    let unit = Duration::from_millis(opt("unit-ms", 100));
    println!("asyncio idioms and their tokio forms; 1 unit = {unit:?}\n");
    let rows = toolbox::all_rows(unit).await;
    // ANCHOR_END: runtime
    let mut table = Table::comparison("asyncio -> tokio");
    for row in &rows {
        let label = format!("{} -> {}", row.asyncio, row.tokio);
        table.compare(&label, row.measured, row.predicted);
    }
    table.print();
    println!("what each run observed:");
    for row in &rows {
        println!("  {:<28} {}", row.tokio, row.note);
    }
}
