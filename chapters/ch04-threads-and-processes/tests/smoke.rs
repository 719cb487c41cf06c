// Smoke tests: run every demo's functions at a tiny size so that `cargo
// test` keeps the demos compiling and working. They check results, never
// timings.

use ch04_demos::{cpu_scaling, crash, ipc_cost, memory, shared, spawn_cost, switch_cost};
use std::path::Path;

#[test]
fn spawn_cost_runs() {
    let costs = spawn_cost::measure(3, 2);
    assert!(costs.process > std::time::Duration::ZERO);
    let predicted = spawn_cost::predictions(&costs);
    assert!(
        predicted.task >= costs.run_queue_trip,
        "the model adds up its parts"
    );
}

#[test]
fn cpu_scaling_agrees_on_the_checksum() {
    let runs = cpu_scaling::rust_runs(8, 1_000, &[1, 2], 3);
    assert_eq!(runs.len(), 3, "two thread counts and rayon");
    assert_eq!(
        cpu_scaling::on_threads(8, 1_000, 3),
        cpu_scaling::on_rayon(8, 1_000)
    );
}

#[test]
fn python_side_runs_or_is_skipped() {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("python/cpu_scaling.py");
    match cpu_scaling::python_runs(&script, 4, 100, &[1, 2], 2) {
        cpu_scaling::PythonOutcome::Ran { runs, .. } => assert_eq!(runs.len(), 4),
        cpu_scaling::PythonOutcome::Skipped(why) => println!("skipped: {why}"),
    }
}

#[test]
fn memory_measurements_run() {
    assert_eq!(memory::per_thread(8).units, 8);
    assert_eq!(memory::per_task(100).units, 100);
}

#[test]
fn crash_scenarios_behave_as_the_book_says() {
    let exe = Path::new(env!("CARGO_BIN_EXE_crash_isolation"));
    for outcome in crash::run_all(exe) {
        assert!(outcome.as_expected, "{outcome:?}");
    }
}

#[test]
fn book_listings_compute_what_they_say() {
    assert_eq!(shared::move_and_join(), 204);
    assert_eq!(shared::scoped(&[1, 2, 3]), (6, 3, vec![2, 4, 6]));
    assert_eq!(shared::arc_mutex(4, 100), 400);
    assert_eq!(shared::channel(4), vec![0, 1, 4, 9]);
}

#[test]
fn every_ping_pong_comes_back() {
    for measure in [
        switch_cost::threads_channels,
        switch_cost::threads_pipes,
        switch_cost::processes_pipes,
        switch_cost::tasks_channels,
        switch_cost::syscalls_alone,
        switch_cost::task_channel_alone,
    ] {
        assert!(measure(50) > std::time::Duration::ZERO);
    }
    // Pinning may be refused in some sandboxes; then the demo says so.
    if let Some(time) = switch_cost::on_one_core(|| switch_cost::threads_channels(20)) {
        assert!(time > std::time::Duration::ZERO);
    }
}

#[test]
fn ipc_consumers_see_every_byte() {
    let exe = Path::new(env!("CARGO_BIN_EXE_ipc_cost"));
    for size in [0, 1, 100, 70_000] {
        let expected = ipc_cost::expected_checksum(300, size);
        assert_eq!(ipc_cost::between_threads(300, size).1, expected);
        assert_eq!(ipc_cost::between_processes(exe, 300, size).1, expected);
    }
    assert!(ipc_cost::copy_bandwidth(1 << 16) > 0.0);
}
