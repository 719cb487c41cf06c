//! Chapter 7 demos: the server built in the exercises, measured from the
//! outside. Every demo runs a server *binary* as a child process (ours, and
//! `redis-server` when it is installed) and talks to it over loopback TCP, the
//! way a real client would. The binaries in `src/bin` are thin; the work lives
//! in these modules so that `tests/smoke.rs` can run it at a small size.
//!
//! - [`cli`]: what every demo binary shares: `--server PATH`, the exit code.
//! - [`process`]: find, start, watch (RSS) and kill server processes.
//! - [`client`]: a tiny RESP client, enough for load and checks.
//! - [`bench`]: `redis-benchmark` runs and a built-in load generator.
//! - [`overload`]: well-behaved clients' latency while the server is abused.
//! - [`crash`]: SIGKILL during acknowledged writes, then count what survived.

pub mod bench;
pub mod cli;
pub mod client;
pub mod crash;
pub mod overload;
pub mod process;
pub mod stats;
