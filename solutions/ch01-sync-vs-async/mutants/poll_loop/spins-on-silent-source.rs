// wrong: on WouldBlock the loop retries the same source until it answers, so it gets stuck on a silent source while another one has data.
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
    let mut received = vec![Vec::new(); sources.len()];
    let mut finished = vec![false; sources.len()];
    let mut buf = [0u8; 4096];
    while finished.iter().any(|done| !done) {
        for (index, source) in sources.iter_mut().enumerate() {
            if finished[index] {
                continue;
            }
            // Keep reading this source until it has something to say.
            loop {
                match source.read(&mut buf) {
                    Ok(0) => finished[index] = true,
                    Ok(n) => received[index].extend_from_slice(&buf[..n]),
                    Err(e) if e.kind() == ErrorKind::WouldBlock => continue,
                    Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                    Err(e) => return Err(e),
                }
                break;
            }
        }
    }
    Ok(received)
}
// ANCHOR_END: read_all
