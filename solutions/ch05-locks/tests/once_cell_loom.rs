// Runs the exercise's own tests against the reference solution.
extern crate ch05_solutions as ch05_exercises;
include!("../../../exercises/ch05-locks/tests/once_cell_loom.rs");
