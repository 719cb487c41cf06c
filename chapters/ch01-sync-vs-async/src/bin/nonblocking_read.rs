//! `cargo run --release -p ch01-demos --bin nonblocking_read -- [--delay-ms 300]`
//!
//! A blocking read, one non-blocking read, and a loop of non-blocking reads,
//! each waiting for a message that arrives after a delay.

use kit::args::opt;
use std::time::Duration;

fn main() {
    let delay = Duration::from_millis(opt("delay-ms", 300));
    println!("A message arrives on a socket after {delay:?}. How do three readers wait for it?\n");
    ch01_demos::nonblocking_read::compare(delay).print();
    println!("Blocking waits cost no CPU but hold the thread; a lone non-blocking read returns at");
    println!(
        "once; polling in a loop gets the data but burns a core. Event loops (chapter 3) fix that."
    );
}
