//! Shows tokio's cooperative budget: how many turns a bystander task gets
//! while another task drains ready items from a tokio channel, a `futures`
//! channel, and plain ready futures, on one thread.
//!
//! `cargo run --release -p ch06-demos --bin bystander_budget -- --items 1000000`

use ch06_demos::budget;
use kit::args::opt;
use kit::table::{Table, duration, ratio};

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let items: u64 = opt("items", 1_000_000);
    println!("a consumer drains {items} ready items; a bystander task on the same thread");
    println!("counts the turns it gets meanwhile (tokio's budget: 128 per turn)\n");
    let rows = budget::run(items).await;
    let mut table = Table::new([
        "consumer awaits",
        "bystander turns",
        "predicted",
        "ratio",
        "consumer ran for",
    ]);
    for row in &rows {
        table.row([
            row.consumer.to_string(),
            row.bystander_turns.to_string(),
            row.predicted_turns.to_string(),
            ratio(row.bystander_turns as f64, row.predicted_turns as f64),
            duration(row.consumer_time),
        ]);
    }
    table.print();
}
