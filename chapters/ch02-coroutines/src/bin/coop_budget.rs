//! Counts how many ready operations a tokio task performs before it is made
//! to yield: tokio's channel vs a `futures` channel vs a ready future.
//!
//! `cargo run --release -p ch02-demos --bin coop_budget -- --messages 1000`

use ch02_demos::budget::demo_table;
use kit::args::opt;

fn main() {
    let messages = opt("messages", 1000);
    println!(
        "{messages} messages already queued (or {messages} ready futures), awaited in a loop \
         inside one tokio task:\n"
    );
    demo_table(messages).print();
}
