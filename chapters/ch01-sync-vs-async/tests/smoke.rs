// Runs every demo at a tiny size so `cargo test` keeps them working.
// Nothing here asserts on time: timing is what the demos print, not what
// tests check.

use std::time::Duration;

#[test]
fn requests_demo_runs() {
    let table = ch01_demos::requests::compare(5, Duration::from_millis(1)).to_string();
    assert!(table.contains("one tokio task each"), "{table}");
}

#[test]
fn cpu_bound_demo_runs() {
    let table = ch01_demos::cpu_bound::compare(2, Duration::from_millis(1), 2).to_string();
    assert!(table.contains("tokio tasks, 1 thread"), "{table}");
}

#[test]
fn nonblocking_read_demo_runs() {
    let table = ch01_demos::nonblocking_read::compare(Duration::from_millis(5)).to_string();
    assert!(table.contains("non-blocking loop"), "{table}");
}

#[test]
fn amdahl_demo_runs() {
    let table = ch01_demos::amdahl::compare(Duration::from_millis(5), 0.9, 2, 2).to_string();
    assert!(table.contains("Amdahl's prediction"), "{table}");
}
