//! Chapter 8 demos: a request traced across tasks, task metrics before and
//! after removing a blocking call, smol and tokio on the same echo load, the
//! runtime knobs, and a `buffered(k)` fan-out. The binaries in `src/bin` are
//! thin; the work lives in these modules so that `tests/smoke.rs` can run it
//! at a small size. `snippets` holds the small listings the page shows.

pub mod echo;
pub mod fanout;
pub mod knobs;
pub mod metrics;
pub mod snippets;
pub mod traced;
