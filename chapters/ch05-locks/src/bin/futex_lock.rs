//! Demo: a futex lock, a spin lock and `std::sync::Mutex` under contention,
//! with as many threads as cores and with more threads than cores.
//!
//! `cargo run --release -p ch05-demos --bin futex_lock -- --ops 10000000 --max-threads 8`

use ch05_demos::futex_lock::{hammer, locks};
use kit::table::{Table, ratio};

fn main() {
    let cores = kit::measure::cores();
    let ops: u64 = kit::args::opt("ops", 4_000_000);
    let max_threads: usize = kit::args::opt("max-threads", 2 * cores);
    let mut thread_counts = vec![1, cores, max_threads];
    thread_counts.dedup();
    println!("{ops} lock/increment/unlock per run, shared by the threads; {cores} cores\n");
    println!(
        "predicted = the lock's 1-thread rate: a lock admits one thread at a time, so \
         contention can at best keep that rate\n"
    );

    let mut table = Table::new([
        "lock",
        "threads",
        "Mops/s measured",
        "Mops/s predicted",
        "ratio",
        "CPU s / wall s",
    ]);
    for (label, lock) in locks() {
        let mut single_thread_rate = 0.0;
        for &threads in &thread_counts {
            let per_thread = ops / threads as u64;
            let run = hammer(lock.as_ref(), threads, per_thread);
            let rate = (per_thread * threads as u64) as f64 / run.wall.as_secs_f64();
            if threads == 1 {
                single_thread_rate = rate;
            }
            table.row([
                label.to_string(),
                threads.to_string(),
                format!("{:.1}", rate / 1e6),
                format!("{:.1}", single_thread_rate / 1e6),
                ratio(rate, single_thread_rate),
                format!("{:.2}", run.cpu.as_secs_f64() / run.wall.as_secs_f64()),
            ]);
        }
    }
    table.print();
}
