//! # Exercise `s5_echo`: an echo server and client on the home-made runtime
//!
//! Use step 4's runtime as a library: a server that accepts connections and
//! gives each one its own task, a handler that sends back every byte it
//! reads, and a client that sends messages and waits for each echo. One
//! thread serves many connections because no task ever blocks it.
//!
//! Book: chapter 3, "Step 5: an echo server". Check: `cargo workbook check s5_echo`.

use std::io;
use std::net::SocketAddr;

use crate::s4_reactor::{TcpListener, TcpStream, spawn};

// ANCHOR: serve
/// Accepts connections forever, each handled by its own task, so that a
/// slow or silent client never holds up the others.
pub async fn serve(mut listener: TcpListener) -> io::Result<()> {
    // TODO: loop: accept a connection and `spawn` its handler.
    todo!()
}
// ANCHOR_END: serve

// ANCHOR: handle_connection
/// Sends back every byte the peer sends, until the peer closes its side;
/// returns how many bytes were echoed.
pub async fn handle_connection(mut stream: TcpStream) -> io::Result<u64> {
    let mut buf = vec![0u8; 4096];
    // TODO: loop: read into `buf`; `Ok(0)` means the peer is done (return the
    // count); otherwise write back exactly the bytes read (`write_all`).
    todo!()
}
// ANCHOR_END: handle_connection

// ANCHOR: ping
/// Connects to `addr` once, then for each message: sends it, waits for
/// its echo, and keeps the reply. Returns the replies in order.
pub async fn ping(addr: SocketAddr, messages: &[&[u8]]) -> io::Result<Vec<Vec<u8>>> {
    // TODO: connect once; for each message, `write_all` it, then
    // `read_exact` a reply of the same length, and collect the replies.
    todo!()
}

/// Fills `buf` completely: one `read` may return fewer bytes than asked.
async fn read_exact(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<()> {
    // TODO: read into the unfilled part of `buf` until it is full; a read
    // of 0 bytes before that is `io::ErrorKind::UnexpectedEof`.
    todo!()
}
// ANCHOR_END: ping
