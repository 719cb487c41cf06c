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
    let mut buffer = [0u8; 4096];
    while finished.contains(&false) {
        let mut progressed = false;
        for (index, source) in sources.iter_mut().enumerate() {
            if finished[index] {
                continue;
            }
            match source.read(&mut buffer) {
                Ok(0) => {
                    finished[index] = true;
                    progressed = true;
                }
                Ok(n) => {
                    received[index].extend_from_slice(&buffer[..n]);
                    progressed = true;
                }
                // Nothing ready yet: not an error, not the end. Try the next
                // source instead of waiting on this one.
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                // A signal interrupted the call: simply try again later.
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        if !progressed {
            // Every source said "not yet". Without a way to sleep until one
            // is ready (that is what epoll is for, chapter 3), the best a
            // poll loop can do is let other threads run before trying again.
            std::thread::yield_now();
        }
    }
    Ok(received)
}
// ANCHOR_END: read_all
