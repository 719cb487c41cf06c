//! # Exercise `poll_loop`: read many non-blocking sources on one thread
//!
//! Read every source to its end on a single thread. The sources never block:
//! when no data is ready, `read` fails at once with `ErrorKind::WouldBlock`.
//! Go round the sources in turn and never get stuck on one that has nothing
//! while another has data.
//!
//! Book: chapter 1, "Blocking and non-blocking reads". Check: `cargo workbook check poll_loop`.

use std::io::{ErrorKind, Read, Result};

// ANCHOR: read_all
/// Reads every source until it reports its end (`Ok(0)`); `result[i]` holds
/// all the bytes of `sources[i]`. Returns the first real error.
pub fn read_all<R: Read>(mut sources: Vec<R>) -> Result<Vec<Vec<u8>>> {
    // TODO: loop over the unfinished sources in turn. For each `read`:
    // Ok(0) means that source is finished, Ok(n) is data to keep,
    // WouldBlock (and Interrupted) mean "try again later", any other error
    // is returned.
    todo!()
}
// ANCHOR_END: read_all
