// Runs the exercise's own tests against the reference solution.
extern crate ch07_solutions as ch07_exercises;
include!("../../../exercises/ch07-network-service/tests/resp.rs");
