// Tests for exercise `s5_echo` (chapter 3, "Step 5: an echo server").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Server and clients run on one home-made runtime (step 4's, so solve that
// step first), over real loopback sockets on ports the OS picks.

use ch03_exercises::s4_reactor::{TcpListener, TcpStream, block_on, spawn};
use ch03_exercises::s5_echo::{handle_connection, ping, serve};
use kit::watchdog::{GENEROUS, within};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream as StdStream};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

/// A correct echo finishes each exchange in milliseconds; a hang is
/// reported after this long, not after the 10 s CI default.
const DEADLINE: Duration = Duration::from_secs(3);

const HANG_HINT: &str = "the echo exchange never finished: does the handler write back what it \
                         read and loop, does the client read until the whole reply is there, and \
                         does the server give each connection its own task?";

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Starts `serve` on a fresh listener and returns the address to ping.
fn start_server() -> SocketAddr {
    let listener = TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    spawn(serve(listener));
    addr
}

#[test]
fn a_client_gets_each_of_its_messages_back_in_order() {
    let replies = within(DEADLINE, "one client, three messages", HANG_HINT, || {
        block_on(async {
            let addr = start_server();
            ping(addr, &[b"hello", b"event", b"loop!"]).await.unwrap()
        })
    });
    assert_eq!(
        replies,
        [b"hello".to_vec(), b"event".to_vec(), b"loop!".to_vec()],
        "each reply must be exactly the message sent on that connection. Extra or stale bytes \
         mean the handler wrote more than it read (write `&buf[..n]`, not the whole buffer)"
    );
}

#[test]
fn a_silent_client_does_not_hold_up_the_others() {
    let hint = "client B's ping never got an answer while client A was connected and silent: \
                does `serve` spawn a task per connection, or does it await each connection's \
                handler before accepting the next?";
    let replies = within(DEADLINE, "a ping next to a silent connection", hint, || {
        block_on(async {
            let addr = start_server();
            let _silent = TcpStream::connect(addr).await.unwrap();
            ping(addr, &[b"anyone there?"]).await.unwrap()
        })
    });
    assert_eq!(replies, [b"anyone there?".to_vec()]);
}

#[test]
fn the_handler_returns_when_the_client_hangs_up() {
    let (addr_tx, addr_rx) = mpsc::channel::<SocketAddr>();
    let client = thread::spawn(move || {
        let mut stream = StdStream::connect(addr_rx.recv().unwrap()).unwrap();
        stream.write_all(b"0123456789").unwrap();
        let mut reply = [0u8; 10];
        stream.read_exact(&mut reply).unwrap();
        // Dropping the stream closes the connection: the server reads 0.
        reply
    });
    let hint = "the handler kept going after the client closed the connection: a read that \
                returns Ok(0) means end of file, and the handler should return then";
    let echoed = within(DEADLINE, "a handler whose client leaves", hint, move || {
        block_on(async move {
            let mut listener = TcpListener::bind(loopback()).unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            let (stream, _) = listener.accept().await.unwrap();
            spawn(handle_connection(stream)).await.unwrap()
        })
    });
    assert_eq!(&client.join().unwrap(), b"0123456789");
    assert_eq!(
        echoed.unwrap(),
        10,
        "handle_connection should return how many bytes it echoed"
    );
}

#[test]
fn fifty_clients_are_echoed_at_once_by_one_thread() {
    let all_ok = within(DEADLINE, "50 concurrent clients", HANG_HINT, || {
        block_on(async {
            let addr = start_server();
            let clients: Vec<_> = (0..50)
                .map(|i| {
                    spawn(async move {
                        let first = format!("client {i} says hi");
                        let second = format!("client {i} says bye");
                        let replies = ping(addr, &[first.as_bytes(), second.as_bytes()])
                            .await
                            .unwrap();
                        replies == [first.into_bytes(), second.into_bytes()]
                    })
                })
                .collect();
            let mut all_ok = true;
            for client in clients {
                all_ok &= client.await.unwrap();
            }
            all_ok
        })
    });
    assert!(
        all_ok,
        "every client should get back exactly its own two messages"
    );
}

#[test]
fn a_large_message_comes_back_whole() {
    let message: Vec<u8> = (0..64 * 1024).map(|i| (i % 251) as u8).collect();
    let expected = message.clone();
    let replies = within(DEADLINE, "a 64 KiB message", HANG_HINT, move || {
        block_on(async move {
            let addr = start_server();
            ping(addr, &[&message]).await.unwrap()
        })
    });
    assert!(
        replies.len() == 1 && replies[0] == expected,
        "a 64 KiB message arrives in several reads: the client must keep reading until it has \
         as many bytes as it sent, and the handler must write back every chunk it reads"
    );
}

/// Shrinks a socket's kernel buffer (`SO_RCVBUF` or `SO_SNDBUF`).
fn shrink_buffer(stream: &StdStream, option: libc::c_int, bytes: libc::c_int) {
    use std::os::fd::AsRawFd;
    // Safety: a valid socket fd, and a pointer to an int of the given size.
    let result = unsafe {
        libc::setsockopt(
            stream.as_raw_fd(),
            libc::SOL_SOCKET,
            option,
            (&bytes as *const libc::c_int).cast(),
            std::mem::size_of::<libc::c_int>() as libc::socklen_t,
        )
    };
    assert_eq!(result, 0, "setsockopt failed");
}

#[test]
fn a_short_write_loses_no_bytes() {
    // 4 MiB through a client that keeps its receive buffer small and reads
    // nothing until its own sending is stuck: the server's socket fills up,
    // and its writes are accepted only in part.
    const SIZE: usize = 4 * 1024 * 1024;
    let message: Vec<u8> = (0..SIZE).map(|i| (i % 253) as u8).collect();
    let expected = message.clone();
    let (addr_tx, addr_rx) = mpsc::channel::<SocketAddr>();
    let client = thread::spawn(move || {
        let stream = StdStream::connect(addr_rx.recv().unwrap()).unwrap();
        // Small enough that the server's replies soon have nowhere to go,
        // large enough (over one loopback segment) that TCP keeps moving.
        shrink_buffer(&stream, libc::SO_RCVBUF, 256 * 1024);
        let mut sending = stream.try_clone().unwrap();
        let (tid_tx, tid_rx) = mpsc::channel();
        let writer = thread::spawn(move || {
            tid_tx.send(kit::asleep::current_tid()).unwrap();
            sending.write_all(&message).unwrap();
            sending.shutdown(std::net::Shutdown::Write).unwrap();
        });
        // Read only once the writer is stuck (or done): until then the
        // server's replies pile up in its socket.
        let writer_tid = tid_rx.recv().unwrap();
        let done = || writer.is_finished();
        kit::asleep::wait_until_asleep(writer_tid, done, GENEROUS);
        let mut reply = Vec::with_capacity(SIZE);
        let mut receiving = stream;
        receiving.read_to_end(&mut reply).unwrap();
        writer.join().unwrap();
        reply
    });
    let echoed = within(
        GENEROUS,
        "a 4 MiB echo through full sockets",
        HANG_HINT,
        move || {
            block_on(async move {
                let mut listener = TcpListener::bind(loopback()).unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let (stream, peer) = listener.accept().await.unwrap();
                shrink_send_buffer_of_socket_connected_to(peer);
                spawn(handle_connection(stream)).await.unwrap()
            })
        },
    );
    let reply = client.join().unwrap();
    assert!(
        reply.len() == SIZE && reply == expected,
        "4 MiB were sent through a socket whose buffers were full, and {} bytes came back{}: a \
         `write` may accept fewer bytes than it was given (it returns how many); write the rest \
         too (`write_all` loops until every byte is out)",
        reply.len(),
        if reply.len() == SIZE {
            ", not in order"
        } else {
            ""
        }
    );
    assert_eq!(
        echoed.unwrap(),
        SIZE as u64,
        "handle_connection returns the bytes echoed"
    );
}

/// Finds this process's socket whose peer is `peer` (the server's end of
/// that connection, which the runtime does not expose) and shrinks its
/// send buffer, so that the kernel takes its writes only in part.
fn shrink_send_buffer_of_socket_connected_to(peer: SocketAddr) {
    let SocketAddr::V4(peer) = peer else {
        panic!("the tests use IPv4 loopback")
    };
    let fds = std::fs::read_dir("/proc/self/fd").expect("list /proc/self/fd");
    for entry in fds.flatten() {
        let Some(fd) = entry
            .file_name()
            .to_str()
            .and_then(|n| n.parse::<i32>().ok())
        else {
            continue;
        };
        // Safety: `sockaddr_in` is plain data; `getpeername` writes at most
        // `len` bytes into it and fails harmlessly on fds that are no socket.
        let matches = unsafe {
            let mut addr: libc::sockaddr_in = std::mem::zeroed();
            let mut len = std::mem::size_of::<libc::sockaddr_in>() as libc::socklen_t;
            libc::getpeername(fd, (&mut addr as *mut libc::sockaddr_in).cast(), &mut len) == 0
                && i32::from(addr.sin_family) == libc::AF_INET
                && u16::from_be(addr.sin_port) == peer.port()
                && u32::from_be(addr.sin_addr.s_addr) == u32::from(*peer.ip())
        };
        if matches {
            let bytes: libc::c_int = 4096;
            // Safety: `fd` is a socket (getpeername worked), `bytes` an int.
            let result = unsafe {
                libc::setsockopt(
                    fd,
                    libc::SOL_SOCKET,
                    libc::SO_SNDBUF,
                    (&bytes as *const libc::c_int).cast(),
                    std::mem::size_of::<libc::c_int>() as libc::socklen_t,
                )
            };
            assert_eq!(result, 0, "setsockopt(SO_SNDBUF) failed");
            return;
        }
    }
    panic!("the server's socket for {peer} was not found among this process's fds");
}

/// A one-connection server on a plain thread: reads `message_len` bytes,
/// sends back the first `send_back` of them, then closes.
fn truncating_server(message_len: usize, send_back: usize) -> (SocketAddr, thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut message = vec![0u8; message_len];
        stream.read_exact(&mut message).unwrap();
        stream.write_all(&message[..send_back]).unwrap();
    });
    (addr, server)
}

#[test]
fn a_reply_cut_short_by_the_server_closing_is_an_error() {
    let (addr, server) = truncating_server(10, 4);
    let result = within(
        DEADLINE,
        "ping a server that hangs up mid-reply",
        HANG_HINT,
        move || block_on(async move { ping(addr, &[b"0123456789"]).await }),
    );
    server.join().unwrap();
    match result {
        Err(error) => assert_eq!(
            error.kind(),
            std::io::ErrorKind::UnexpectedEof,
            "the server closed after 4 of 10 bytes: ping should fail with UnexpectedEof, got \
             {error:?}"
        ),
        Ok(replies) => panic!(
            "the server sent back 4 of the 10 bytes and closed the connection, yet ping returned \
             Ok({replies:?}): a read of 0 bytes before the reply is complete is end of file, an \
             error (`io::ErrorKind::UnexpectedEof`), not a finished reply"
        ),
    }
}

#[test]
fn a_reply_that_arrives_in_two_parts_is_read_whole() {
    // The server sends half the echo, waits until the client's loop sleeps
    // (a correct client waits for the rest), then sends the other half.
    let listener = std::net::TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let (tid_tx, tid_rx) = mpsc::channel::<Option<u32>>();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let loop_thread = tid_rx.recv().unwrap();
        let mut message = [0u8; 10];
        stream.read_exact(&mut message).unwrap();
        stream.write_all(&message[..5]).unwrap();
        // A client that took the half for the whole reply has returned and
        // closed its end; then the wait gives up at once.
        let probe = stream.try_clone().unwrap();
        probe.set_nonblocking(true).unwrap();
        let client_left = || matches!(probe.peek(&mut [0u8; 1]), Ok(0));
        kit::asleep::wait_until_asleep(loop_thread, client_left, GENEROUS);
        let _ = stream.write_all(&message[5..]);
    });
    let replies = within(DEADLINE, "a reply in two parts", HANG_HINT, move || {
        block_on(async move {
            tid_tx.send(kit::asleep::current_tid()).unwrap();
            ping(addr, &[b"0123456789"]).await.unwrap()
        })
    });
    server.join().unwrap();
    assert_eq!(
        replies,
        [b"0123456789".to_vec()],
        "the echo came in two parts of 5 bytes: one `read` returns what has arrived so far, \
         not the whole reply; read until the reply is as long as the message (`read_exact`)"
    );
}

#[test]
fn ping_sends_all_its_messages_on_one_connection() {
    // This server accepts one connection only and echoes on it.
    let listener = std::net::TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        let mut buf = [0u8; 4096];
        loop {
            let n = stream.read(&mut buf).unwrap();
            if n == 0 {
                return;
            }
            stream.write_all(&buf[..n]).unwrap();
        }
    });
    let hint = "ping's second message got no echo from a server that serves one connection: \
                ping connects once and sends every message on that connection";
    let replies = within(DEADLINE, "three pings on one connection", hint, move || {
        block_on(async move { ping(addr, &[b"one", b"two", b"three"]).await.unwrap() })
    });
    server.join().unwrap();
    assert_eq!(
        replies,
        [b"one".to_vec(), b"two".to_vec(), b"three".to_vec()]
    );
}
