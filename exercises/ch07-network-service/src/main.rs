//! The learner's server: `cargo run -p ch07-exercises --bin ch07-server -- --port 6380`.
//! It answers once the seven steps are done; `src/server.rs` says how it is wired.

fn main() -> std::process::ExitCode {
    ch07_exercises::server::main()
}
