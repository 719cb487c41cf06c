//! The same loopback echo load on tokio and on smol, one thread each.
//!
//! `cargo run --release -p ch08-demos --bin smol_vs_tokio -- --connections 20 --round-trips 1500 --size 64 --runs 3`

use ch08_demos::echo::{self, Echo};
use kit::args::opt;
use kit::table::Table;
use std::time::Duration;

fn main() {
    let load = Echo {
        connections: opt("connections", 20),
        round_trips: opt("round-trips", 1500),
        size: opt("size", 64),
    };
    let runs: usize = opt("runs", 3);
    println!(
        "{} connections x {} round trips of {} bytes over 127.0.0.1, median of {runs} runs\n",
        load.connections, load.round_trips, load.size
    );
    let median = |run: &dyn Fn() -> Duration| {
        kit::measure::median((0..runs.max(1)).map(|_| run()).collect())
    };
    let tokio_time = median(&|| echo::on_tokio(load));
    let smol_time = median(&|| echo::on_smol(load));
    let per_trip = |total: Duration| total / load.total_round_trips() as u32;
    let mut table = Table::comparison("runtime (model: same syscalls, same time)");
    table.compare("tokio, total", tokio_time, smol_time);
    table.compare("smol, total", smol_time, tokio_time);
    table.compare(
        "tokio, per round trip",
        per_trip(tokio_time),
        per_trip(smol_time),
    );
    table.compare(
        "smol, per round trip",
        per_trip(smol_time),
        per_trip(tokio_time),
    );
    table.print();
    println!(
        "Each row's prediction is the other runtime's figure: a ratio near 1.00x means the runtime is not the bottleneck."
    );
}
