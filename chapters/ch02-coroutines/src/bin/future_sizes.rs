//! Measures the size of several `async fn` state machines, then the memory
//! one thread costs next to one boxed future.
//!
//! `cargo run --release -p ch02-demos --bin future_sizes -- --threads 200 --futures 100000`

use ch02_demos::sizes::demo_tables;
use kit::args::opt;

fn main() {
    let threads = opt("threads", 200);
    let futures = opt("futures", 100_000);
    let (sizes, memory) = demo_tables(threads, futures);
    println!("Size of each async fn's state machine (size_of_val):\n");
    sizes.print();
    println!("Memory per thread and per future (Linux /proc figures):\n");
    memory.print();
}
