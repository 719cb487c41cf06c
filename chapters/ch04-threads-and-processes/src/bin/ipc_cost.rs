//! Handing N messages of S bytes to another thread (a channel moves each
//! `Vec`) and to another process (framed bytes through a pipe), next to a
//! model of what crossing into a process adds.
//!
//! `cargo run --release -p ch04-demos --bin ipc_cost -- --total-mib 64`

use ch04_demos::ipc_cost::{
    between_processes, between_threads, copy_bandwidth, expected_checksum, on_one_thread,
    process_model, sink_main,
};
use ch04_demos::switch_cost::syscalls_alone;
use kit::args::{flag, opt};
use kit::measure::median;
use kit::table::{Table, bytes, duration, ratio};

fn main() {
    if flag("sink") {
        sink_main().expect("sink");
        return;
    }
    let total_mib: usize = opt("total-mib", 64);
    let repeats: usize = opt("repeats", 3);
    let exe = std::env::current_exe().expect("path of this demo");
    let bandwidth = copy_bandwidth(64 << 20);
    let syscall = syscalls_alone(20_000) / 2;
    println!(
        "{total_mib} MiB per row, median of {repeats} runs; copy bandwidth {:.1} GB/s, one pipe syscall {}\n",
        bandwidth / 1e9,
        duration(syscall)
    );
    let mut table = Table::new([
        "message size",
        "messages",
        "one thread",
        "threads",
        "processes",
        "per message",
        "predicted",
        "ratio",
        "processes / threads",
    ]);
    for size in [64usize, 4 << 10, 64 << 10, 1 << 20] {
        let count = ((total_mib << 20) / size).min(200_000);
        let expected = expected_checksum(count, size);
        let mut alone_times = Vec::new();
        let mut thread_times = Vec::new();
        let mut process_times = Vec::new();
        for _ in 0..repeats.max(1) {
            alone_times.push(on_one_thread(count, size).0);
            let (time, sum) = between_threads(count, size);
            assert_eq!(sum, expected, "the consumer thread saw every byte");
            thread_times.push(time);
            let (time, sum) = between_processes(&exe, count, size);
            assert_eq!(sum, expected, "the consumer process saw every byte");
            process_times.push(time);
        }
        let alone = median(alone_times);
        let threads = median(thread_times);
        let processes = median(process_times);
        let predicted = process_model(alone, count, size, bandwidth, syscall);
        table.row([
            bytes(size as u64),
            count.to_string(),
            duration(alone),
            duration(threads),
            duration(processes),
            duration(processes / count as u32),
            duration(predicted),
            ratio(processes.as_secs_f64(), predicted.as_secs_f64()),
            ratio(processes.as_secs_f64(), threads.as_secs_f64()),
        ]);
    }
    table.print();
    println!("predicted (processes): the one-thread time + 2 copies of every byte at the copy");
    println!("bandwidth + a write and a read syscall per message (per 64 KiB of a larger one).");
}
