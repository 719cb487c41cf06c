//! Chapter 6 demos: the asyncio toolbox in tokio, concurrent HTTP on
//! loopback, graceful shutdown. The binaries in `src/bin` are thin; the work
//! lives in these modules so that `tests/smoke.rs` can run it at a small size.

pub mod budget;
pub mod fanout;
pub mod http;
pub mod shutdown;
pub mod toolbox;
