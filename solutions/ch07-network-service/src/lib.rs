//! # Chapter 7 reference solutions: a Redis-compatible server, in seven steps
//!
//! The same modules and public API as the exercise crate, filled in. The
//! exercise tests run against this crate too (see `tests/`), and
//! `mutants.toml` lists wrong answers those tests must reject.
//! `tests/real_clients.rs` runs the reference server against real clients
//! (the `redis` crate, redis-py, `redis-cli`, `redis-benchmark`) and
//! compares its replies with a real `redis-server` when one is installed.

pub mod aof;
pub mod connection;
pub mod expiry;
pub mod limits_and_shutdown;
pub mod pubsub;
pub mod resp;
pub mod store;

// Given code, shared with the exercise crate: one copy of each file, so the
// reference server is the learner's server with the steps filled in.
#[path = "../../../exercises/ch07-network-service/src/clock.rs"]
pub mod clock;
#[path = "../../../exercises/ch07-network-service/src/cmd/mod.rs"]
pub mod cmd;
#[path = "../../../exercises/ch07-network-service/src/config.rs"]
pub mod config;
#[path = "../../../exercises/ch07-network-service/src/glob.rs"]
pub mod glob;
#[path = "../../../exercises/ch07-network-service/src/mock.rs"]
pub mod mock;
#[path = "../../../exercises/ch07-network-service/src/num.rs"]
pub mod num;
#[path = "../../../exercises/ch07-network-service/src/request.rs"]
pub mod request;
#[path = "../../../exercises/ch07-network-service/src/server.rs"]
pub mod server;
#[path = "../../../exercises/ch07-network-service/src/shutdown.rs"]
pub mod shutdown;
