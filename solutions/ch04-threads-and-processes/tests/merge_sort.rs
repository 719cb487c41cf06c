// Runs the exercise's own tests against the reference solution.
extern crate ch04_solutions as ch04_exercises;
include!("../../../exercises/ch04-threads-and-processes/tests/merge_sort.rs");
