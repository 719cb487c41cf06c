// Runs the exercise's own tests against the reference solution.
extern crate ch03_solutions as ch03_exercises;
include!("../../../exercises/ch03-event-loops/tests/s1_block_on.rs");
