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
    loop {
        let (stream, _peer) = listener.accept().await?;
        spawn(handle_connection(stream));
    }
}
// ANCHOR_END: serve

// ANCHOR: handle_connection
/// Sends back every byte the peer sends, until the peer closes its side;
/// returns how many bytes were echoed.
pub async fn handle_connection(mut stream: TcpStream) -> io::Result<u64> {
    let mut buf = vec![0u8; 4096];
    let mut echoed = 0;
    loop {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            // End of file: the client is done.
            return Ok(echoed);
        }
        stream.write_all(&buf[..n]).await?;
        echoed += n as u64;
    }
}
// ANCHOR_END: handle_connection

// ANCHOR: ping
/// Connects to `addr` once, then for each message: sends it, waits for
/// its echo, and keeps the reply. Returns the replies in order.
pub async fn ping(addr: SocketAddr, messages: &[&[u8]]) -> io::Result<Vec<Vec<u8>>> {
    let mut stream = TcpStream::connect(addr).await?;
    let mut replies = Vec::with_capacity(messages.len());
    for message in messages {
        stream.write_all(message).await?;
        let mut reply = vec![0u8; message.len()];
        read_exact(&mut stream, &mut reply).await?;
        replies.push(reply);
    }
    Ok(replies)
}

/// Fills `buf` completely: one `read` may return fewer bytes than asked.
async fn read_exact(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<()> {
    let mut filled = 0;
    while filled < buf.len() {
        let n = stream.read(&mut buf[filled..]).await?;
        if n == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        filled += n;
    }
    Ok(())
}
// ANCHOR_END: ping
