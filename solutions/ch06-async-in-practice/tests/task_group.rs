// Runs the exercise's own tests against the reference solution.
extern crate ch06_solutions as ch06_exercises;
include!("../../../exercises/ch06-async-in-practice/tests/task_group.rs");
