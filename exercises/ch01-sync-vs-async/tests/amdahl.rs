// Tests for exercise `amdahl` (chapter 1, "Amdahl's law").

use ch01_exercises::amdahl::{max_speedup, speedup, workers_needed};

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9 || (a.is_infinite() && b.is_infinite())
}

#[test]
fn a_serial_program_does_not_speed_up() {
    let got = speedup(0.0, 8);
    assert!(
        close(got, 1.0),
        "with no parallel part, 8 workers give speedup 1.0, got {got}"
    );
}

#[test]
fn a_perfectly_parallel_program_scales_with_workers() {
    let got = speedup(1.0, 8);
    assert!(
        close(got, 8.0),
        "with p = 1, 8 workers give speedup 8.0, got {got}"
    );
}

#[test]
fn the_serial_part_caps_the_speedup() {
    let got = speedup(0.9, 10);
    let expected = 1.0 / (0.1 + 0.9 / 10.0);
    assert!(
        !close(got, 9.1),
        "speedup(0.9, 10) gave 9.1: that is (1 - p) + p * n, Gustafson's scaled speedup for a \
         problem that grows with the workers. Amdahl keeps the problem fixed: 1 / ((1 - p) + p / n)"
    );
    assert!(
        close(got, expected),
        "p = 0.9 on 10 workers: the serial 10% still takes 0.1 of the old time and the parallel \
         90% takes 0.09, so the speedup is 1 / 0.19 = {expected:.4}; got {got}"
    );
    assert!(
        close(speedup(0.5, 2), 4.0 / 3.0),
        "p = 0.5 on 2 workers: 1 / (0.5 + 0.25) = 1.333"
    );
    assert!(
        close(speedup(0.75, 1), 1.0),
        "one worker is never faster than one worker"
    );
}

#[test]
fn the_limit_is_one_over_the_serial_fraction() {
    let got = max_speedup(0.95);
    assert!(
        close(got, 20.0),
        "a program that is 5% serial can never run more than 1 / 0.05 = 20 times faster, got {got}"
    );
    assert!(
        close(max_speedup(0.0), 1.0),
        "a serial program's limit is 1"
    );
    assert!(
        max_speedup(1.0).is_infinite(),
        "a perfectly parallel program has no limit: expected f64::INFINITY"
    );
}

#[test]
fn workers_needed_rounds_up() {
    assert_eq!(
        workers_needed(0.9, 5.0),
        Some(9),
        "p = 0.9 reaches speedup 5 with n = 0.9 / (1/5 - 0.1) = 9 workers"
    );
    assert_eq!(
        workers_needed(0.9, 6.0),
        Some(14),
        "p = 0.9 needs n >= 13.5 workers for speedup 6; 13 give only 5.9, so the answer is 14 \
         (round up: a fraction of a worker does not exist)"
    );
    assert_eq!(
        workers_needed(0.5, 1.0),
        Some(1),
        "speedup 1 needs one worker"
    );
}

#[test]
fn some_targets_cannot_be_reached() {
    assert_eq!(
        workers_needed(0.9, 10.0),
        None,
        "p = 0.9 approaches speedup 10 but never reaches it with a finite number of workers"
    );
    assert_eq!(
        workers_needed(0.9, 50.0),
        None,
        "p = 0.9 can never reach speedup 50: the limit is 1 / (1 - p) = 10"
    );
    assert_eq!(
        workers_needed(1.0, 5e9),
        None,
        "p = 1 reaches speedup 5e9 only with 5e9 workers, more than a u32 can count \
         ({}): the doc counts that as out of reach. Did `as u32` saturate a number that \
         does not fit?",
        u32::MAX
    );
}

#[test]
fn a_target_exactly_at_the_limit_is_out_of_reach() {
    // These fractions and targets are exact in binary floating point, so
    // `1 / target - (1 - p)` is exactly 0.0: the target *is* the limit.
    for (fraction, limit) in [(0.5, 2.0), (0.75, 4.0)] {
        let got = workers_needed(fraction, limit);
        assert_eq!(
            got, None,
            "p = {fraction} has the limit 1 / (1 - p) = {limit}; speedup approaches it but no \
             finite number of workers reaches it, expected None, got {got:?}. When the room left \
             for the parallel part (1 / target - (1 - p)) is zero, no n works: test `<= 0`, \
             not `< 0`"
        );
    }
}

#[test]
fn reachable_targets_need_no_cap_on_the_workers() {
    // Serial fraction 2^-20 (exact in binary): speedup 2^19 needs
    // n = p / (2^-19 - 2^-20) = 2^20 - 1 workers, far more than a search that
    // tries 1, 2, 3, ... up to some cap would reach.
    let serial = 1.0 / f64::from(1u32 << 20);
    let got = workers_needed(1.0 - serial, f64::from(1u32 << 19));
    assert_eq!(
        got,
        Some((1 << 20) - 1),
        "p = 1 - 2^-20 reaches speedup 2^19 with exactly 2^20 - 1 = 1048575 workers, got {got:?}: \
         solve the formula for n instead of trying counts up to a limit"
    );
    assert_eq!(
        workers_needed(1.0, 5000.0),
        Some(5000),
        "a perfectly parallel program reaches speedup 5000 with 5000 workers"
    );
}

#[test]
#[should_panic(expected = "between 0 and 1")]
fn a_fraction_above_one_is_rejected() {
    speedup(1.5, 4);
}
