// Runs the exercise's own tests against the reference solution.
extern crate ch08_solutions as ch08_exercises;
include!("../../../exercises/ch08-beyond/tests/nursery.rs");
