// Runs the exercise's own tests against the reference solution.
extern crate ch01_solutions as ch01_exercises;
include!("../../../exercises/ch01-sync-vs-async/tests/poll_loop.rs");
