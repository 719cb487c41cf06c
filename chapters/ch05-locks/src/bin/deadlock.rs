//! Demo: a deadlock caught by a timeout, then two ways to avoid it.
//!
//! `cargo run --release -p ch05-demos --bin deadlock -- --rounds 1000000 --deadline-ms 1000`

use ch05_demos::deadlock::{Outcome, run_fixed, run_opposite_orders, run_single_thread};
use kit::table::{Table, duration};
use std::time::Duration;

fn main() {
    let rounds: u32 = kit::args::opt("rounds", 1_000_000);
    let deadline = Duration::from_millis(kit::args::opt("deadline-ms", 1_000));
    println!("two threads, two accounts, {rounds} transfers each way\n");

    let mut table = Table::comparison("strategy");
    let mut notes = Table::new(["strategy", "note"]);
    match run_opposite_orders(deadline) {
        Outcome::Deadlocked { waited } => {
            table.row([
                "opposite lock orders".to_string(),
                format!("stuck > {}", duration(waited)),
                "never finishes".into(),
                "-".into(),
            ]);
            notes.row([
                "opposite lock orders".to_string(),
                format!("deadlock detected: no transfer finished within {deadline:?}"),
            ]);
        }
        Outcome::Finished { took, .. } => {
            table.row([
                "opposite lock orders".to_string(),
                duration(took),
                "never finishes".into(),
                "-".into(),
            ]);
        }
    }
    // Every transfer holds both locks, so two threads cannot beat one thread
    // doing all the transfers: that is the prediction.
    let serial = run_single_thread(rounds);
    table.compare("one thread, all transfers", serial, serial);
    for (label, use_try_lock) in [
        ("one global lock order", false),
        ("try_lock + back off", true),
    ] {
        let (outcome, total) = run_fixed(rounds, use_try_lock);
        let Outcome::Finished { took, retries } = outcome else {
            unreachable!("the fixed versions cannot deadlock")
        };
        table.compare(label, took, serial);
        notes.row([
            label.to_string(),
            format!("{retries} back-offs; money conserved: {}", total == 2_000),
        ]);
    }
    table.print();
    notes.print();
}
