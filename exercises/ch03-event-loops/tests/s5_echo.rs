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
    let replies = within(GENEROUS, "one client, three messages", HANG_HINT, || {
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
    let replies = within(GENEROUS, "a ping next to a silent connection", hint, || {
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
    let echoed = within(GENEROUS, "a handler whose client leaves", hint, move || {
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
    let all_ok = within(GENEROUS, "50 concurrent clients", HANG_HINT, || {
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
    let replies = within(GENEROUS, "a 64 KiB message", HANG_HINT, move || {
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
