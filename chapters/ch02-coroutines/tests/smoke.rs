//! Runs every demo's work at a tiny size, so `cargo test` keeps the demos
//! compiling and running. Nothing here asserts on timing.

use ch02_demos::{callbacks, desugar, sizes, stream, trace};
use std::time::Duration;

const TINY: Duration = Duration::from_millis(1);

#[test]
fn trace_poll_runs() {
    let (stats, _) = trace::traced_run(TINY, TINY, true);
    assert_eq!((stats.polls, stats.wakes), (3, 2));
    let _ = trace::demo_table(TINY, TINY, 100, false).to_string();
}

#[test]
fn future_sizes_runs() {
    let (sizes, memory) = sizes::demo_tables(4, 100);
    assert!(sizes.to_string().contains("holds_a_buffer"));
    let _ = memory.to_string();
}

#[test]
fn callbacks_vs_async_runs() {
    assert_eq!(callbacks::run_callbacks(1, TINY), vec![6]);
    assert_eq!(callbacks::run_async(1, TINY), vec![6]);
    let _ = callbacks::demo_table(TINY, 3, 2).to_string();
}

#[test]
fn desugared_state_machine_matches_the_async_fn() {
    let (by_hand, _) = trace::run_by_hand(desugar::slow_double_by_hand(20, TINY), false);
    let (compiled, _) = trace::run_by_hand(desugar::slow_double(20, TINY), false);
    assert_eq!((by_hand, compiled), (41, 41));
}

#[test]
fn streams_count_down() {
    let (items, _) = trace::run_by_hand(stream::collect_items(stream::countdown_stream(3)), false);
    assert_eq!(items, vec![3, 2, 1]);
    let (items, _) = trace::run_by_hand(stream::collect_items(stream::countdown_unfold(3)), false);
    assert_eq!(items, vec![3, 2, 1]);
}

#[test]
fn coop_budget_runs() {
    let table = ch02_demos::budget::demo_table(300).to_string();
    assert!(table.contains("tokio mpsc recv"));
}

#[test]
fn the_three_spellings_of_a_future_fit_one_bound() {
    use ch02_demos::desugar::{
        slow_double, slow_double_by_hand, slow_double_spelled_out, start_with,
    };
    use futures::executor::block_on;
    assert_eq!(block_on(start_with(slow_double, 2)), 5);
    assert_eq!(block_on(start_with(slow_double_spelled_out, 2)), 5);
    assert_eq!(block_on(start_with(slow_double_by_hand, 2)), 5);
}
