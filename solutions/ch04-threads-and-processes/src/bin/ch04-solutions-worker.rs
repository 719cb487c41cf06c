//! The worker process of exercise `process_pool` (reference solution): it
//! answers jobs read from stdin until stdin closes.

fn main() -> std::io::Result<()> {
    ch04_solutions::process_pool::serve(std::io::stdin().lock(), std::io::stdout().lock())
}
