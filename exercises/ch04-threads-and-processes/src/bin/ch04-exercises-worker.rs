//! The worker process of exercise `process_pool`: it answers jobs read from
//! stdin until stdin closes. The logic is `process_pool::serve`, which you
//! write; this file only connects it to the process's stdin and stdout.

fn main() -> std::io::Result<()> {
    ch04_exercises::process_pool::serve(std::io::stdin().lock(), std::io::stdout().lock())
}
