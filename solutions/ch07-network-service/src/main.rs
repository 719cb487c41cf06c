//! The reference server: `cargo run -p ch07-solutions --bin ch07-reference-server -- --port 6380`.
//! The same given `main` as the learner's `ch07-server`, on the reference steps.

fn main() -> std::process::ExitCode {
    ch07_solutions::server::main()
}
