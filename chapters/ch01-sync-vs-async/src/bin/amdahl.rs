//! `cargo run --release -p ch01-demos --bin amdahl -- [--total-ms 400] [--parallel 0.9] [--max-threads 8]`
//!
//! A CPU job that is partly serial, timed on 1, 2, 4, 8 threads, next to the
//! speedup Amdahl's law predicts for this machine's cores.

use kit::args::opt;
use std::time::Duration;

fn main() {
    let total = Duration::from_millis(opt("total-ms", 400));
    let parallel: f64 = opt("parallel", 0.9);
    let max_threads: usize = opt("max-threads", 8);
    let cores = kit::measure::cores();
    println!(
        "A {total:?} job, {:.0}% parallel, on up to {max_threads} threads ({cores} cores; the limit is {:.1}x)\n",
        parallel * 100.0,
        ch01_demos::amdahl_law::max_speedup(parallel)
    );
    ch01_demos::amdahl::compare(total, parallel, max_threads, cores).print();
    println!("Past the number of cores, more threads only share the same cores.");
}
