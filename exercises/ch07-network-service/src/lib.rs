//! # Chapter 7 exercises: a Redis-compatible server, in seven steps
//!
//! One module per graded step, in the order the book builds them: [`resp`],
//! [`connection`], [`store`], [`expiry`], [`pubsub`],
//! [`limits_and_shutdown`], [`aof`]. Each module's header says what to
//! build; `// TODO:` marks the spots to fill. Check one with
//! `cargo workbook check <name>`, or all with `cargo workbook check ch07`.
//! Each step builds on the ones before it.
//!
//! The other modules are given, not graded: [`request`] cuts requests out of
//! the read buffer, [`cmd`] parses and runs Redis commands, [`server`] wires
//! everything together (run it with `cargo run -p ch07-exercises --bin
//! ch07-server -- --port 6380` once your steps pass), [`config`],
//! [`shutdown`], [`clock`], [`glob`], [`num`], and [`mock`], a scripted
//! stream the tests use.

pub mod aof;
pub mod connection;
pub mod expiry;
pub mod limits_and_shutdown;
pub mod pubsub;
pub mod resp;
pub mod store;

pub mod clock;
pub mod cmd;
pub mod config;
pub mod glob;
pub mod mock;
pub mod num;
pub mod request;
pub mod server;
pub mod shutdown;
