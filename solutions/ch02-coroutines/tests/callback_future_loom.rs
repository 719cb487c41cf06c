// Runs the exercise's own tests against the reference solution.
extern crate ch02_solutions as ch02_exercises;
include!("../../../exercises/ch02-coroutines/tests/callback_future_loom.rs");
