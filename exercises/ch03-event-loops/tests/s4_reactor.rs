// Tests for exercise `s4_reactor` (chapter 3, "Step 4: a reactor").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// Real sockets on the loopback interface, on ports the OS picks (port 0).
// The other end of each connection is a plain blocking `std::net` socket
// on a helper thread; channels, not sleeps, order the two sides.

use ch03_exercises::s4_reactor::{TcpListener, TcpStream, block_on, spawn};
use kit::poll::PollCount;
use kit::watchdog::{GENEROUS, within};
use std::future::{Future, poll_fn};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener as StdListener, TcpStream as StdStream};
use std::pin::pin;
use std::sync::atomic::Ordering;
use std::sync::mpsc;
use std::task::Poll;
use std::thread;
use std::time::Duration;

/// A correct runtime finishes each test in milliseconds; a hang is reported
/// after this long, not after the 10 s CI default.
const DEADLINE: Duration = Duration::from_secs(3);

const HANG_HINT: &str = "the loop is blocked in the reactor and nothing wakes it: does a \
                         WouldBlock store the task's waker under the socket's token, does the \
                         reactor wake the waker of each ready token, and do wakers from other \
                         threads interrupt mio's poll (mio::Waker)?";

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// Reads until `n` bytes have arrived.
async fn read_n(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut data = vec![0u8; n];
    let mut filled = 0;
    while filled < n {
        let got = stream.read(&mut data[filled..]).await.expect("read");
        assert!(got > 0, "the peer closed the connection early");
        filled += got;
    }
    data
}

#[test]
fn accept_read_and_write_over_loopback() {
    let (addr_tx, addr_rx) = mpsc::channel();
    let client = thread::spawn(move || {
        let addr: SocketAddr = addr_rx.recv().unwrap();
        let mut stream = StdStream::connect(addr).unwrap();
        stream.write_all(b"hello").unwrap();
        let mut reply = [0u8; 11];
        stream.read_exact(&mut reply).unwrap();
        reply
    });
    let received = within(
        DEADLINE,
        "an accept, a read and a write",
        HANG_HINT,
        move || {
            block_on(async move {
                let mut listener = TcpListener::bind(loopback()).unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                let (mut stream, _) = listener.accept().await.unwrap();
                let received = read_n(&mut stream, 5).await;
                stream.write_all(b"hello back!").await.unwrap();
                received
            })
        },
    );
    assert_eq!(
        received, b"hello",
        "the server should read what the client sent"
    );
    assert_eq!(
        &client.join().unwrap(),
        b"hello back!",
        "the client should receive what the server wrote"
    );
}

#[test]
fn connect_to_a_server_and_read_its_greeting() {
    let server = StdListener::bind(loopback()).unwrap();
    let addr = server.local_addr().unwrap();
    let helper = thread::spawn(move || {
        let (mut stream, _) = server.accept().unwrap();
        stream.write_all(b"welcome").unwrap();
        let mut answer = [0u8; 6];
        stream.read_exact(&mut answer).unwrap();
        answer
    });
    let greeting = within(DEADLINE, "a connect and a read", HANG_HINT, move || {
        block_on(async move {
            let mut stream = TcpStream::connect(addr).await.unwrap();
            let greeting = read_n(&mut stream, 7).await;
            stream.write_all(b"thanks").await.unwrap();
            greeting
        })
    });
    assert_eq!(greeting, b"welcome");
    assert_eq!(&helper.join().unwrap(), b"thanks");
}

#[test]
fn the_reactor_wakes_only_the_task_whose_socket_is_ready() {
    // The helper connects two clients, then writes to them one at a time
    // when told to.
    let (addr_tx, addr_rx) = mpsc::channel::<SocketAddr>();
    let (connected_tx, connected_rx) = mpsc::channel::<(SocketAddr, SocketAddr)>();
    let (write_tx, write_rx) = mpsc::channel::<char>();
    let helper = thread::spawn(move || {
        let addr = addr_rx.recv().unwrap();
        let mut a = StdStream::connect(addr).unwrap();
        let mut b = StdStream::connect(addr).unwrap();
        connected_tx
            .send((a.local_addr().unwrap(), b.local_addr().unwrap()))
            .unwrap();
        for which in write_rx {
            let stream = if which == 'a' { &mut a } else { &mut b };
            stream.write_all(&[which as u8]).unwrap();
        }
    });
    let (polls_a_after_b, polls_a_at_end) = within(
        DEADLINE,
        "two readers on two sockets",
        HANG_HINT,
        move || {
            block_on(async move {
                let mut listener = TcpListener::bind(loopback()).unwrap();
                addr_tx.send(listener.local_addr().unwrap()).unwrap();
                // Both clients are connected before we accept, so the two
                // accepts need no waiting.
                let (a_addr, _b_addr) = connected_rx.recv().unwrap();
                let (first, first_peer) = listener.accept().await.unwrap();
                let (second, _) = listener.accept().await.unwrap();
                let (mut stream_a, mut stream_b) = if first_peer == a_addr {
                    (first, second)
                } else {
                    (second, first)
                };
                let (reader_a, polls_a) =
                    PollCount::new(async move { read_n(&mut stream_a, 1).await });
                let reader_a = spawn(reader_a);
                // B's data is sent only once B's first poll has found the
                // socket empty, and that poll then returns Pending. So B can
                // finish only on a later poll, and A, spawned first and so
                // queued first, is polled again before it if a WouldBlock
                // re-queues it. (When B was free to finish in its first
                // poll, a fast machine let a busy-polling A go unseen.)
                let tell_helper = write_tx.clone();
                let reader_b = spawn(async move {
                    let mut read = pin!(read_n(&mut stream_b, 1));
                    let mut told_helper = false;
                    poll_fn(move |cx| {
                        let poll = read.as_mut().poll(cx);
                        if told_helper {
                            return poll;
                        }
                        assert!(poll.is_pending(), "socket B has no data yet");
                        tell_helper.send('b').unwrap();
                        told_helper = true;
                        Poll::Pending
                    })
                    .await
                });
                assert_eq!(reader_b.await.unwrap(), b"b");
                let polls_a_after_b = polls_a.load(Ordering::SeqCst);
                write_tx.send('a').unwrap();
                assert_eq!(reader_a.await.unwrap(), b"a");
                drop(write_tx);
                (polls_a_after_b, polls_a.load(Ordering::SeqCst))
            })
        },
    );
    helper.join().unwrap();
    assert_eq!(
        polls_a_after_b, 1,
        "task A waits to read socket A, which stayed silent while socket B got data, yet A was \
         polled {polls_a_after_b} times: the reactor must wake only the waker stored under the \
         ready event's token, and only the reader for a readable event (a writable event is not \
         a reason to wake a reader)"
    );
    assert_eq!(
        polls_a_at_end, 2,
        "task A should be polled twice in all: once to start, once when its data arrived"
    );
}

#[test]
fn a_waker_from_another_thread_interrupts_the_reactor() {
    let (sender, receiver) = futures::channel::oneshot::channel::<&'static str>();
    let (tid_tx, tid_rx) = mpsc::channel::<Option<u32>>();
    // The helper sends only once the loop's thread is asleep in the kernel
    // (blocked in the reactor's poll), so the wake-up must interrupt it: a
    // runtime whose cross-thread wakes cannot do that hangs, and the
    // watchdog reports it. No timing is involved.
    let helper = thread::spawn(move || {
        let loop_thread = tid_rx.recv().unwrap();
        kit::asleep::wait_until_asleep(loop_thread, || false, GENEROUS);
        sender.send("across threads").unwrap();
    });
    let got = within(
        DEADLINE,
        "a task woken from another thread",
        HANG_HINT,
        move || {
            block_on(async move {
                // Keep a listener registered so the reactor has a socket to watch.
                let _listener = TcpListener::bind(loopback()).unwrap();
                tid_tx.send(kit::asleep::current_tid()).unwrap();
                spawn(receiver).await.unwrap()
            })
        },
    );
    helper.join().unwrap();
    assert_eq!(
        got,
        Ok("across threads"),
        "a task woken by another thread must run even while the loop is blocked in mio's poll"
    );
}

#[test]
fn many_connections_are_served_by_one_thread() {
    const CLIENTS: usize = 20;
    let (addr_tx, addr_rx) = mpsc::channel::<SocketAddr>();
    let client_threads = thread::spawn(move || {
        let addr = addr_rx.recv().unwrap();
        let clients: Vec<_> = (0..CLIENTS)
            .map(|i| {
                thread::spawn(move || {
                    let mut stream = StdStream::connect(addr).unwrap();
                    stream.write_all(&[i as u8]).unwrap();
                    let mut reply = [0u8; 1];
                    stream.read_exact(&mut reply).unwrap();
                    reply[0]
                })
            })
            .collect();
        clients
            .into_iter()
            .map(|c| c.join().unwrap())
            .collect::<Vec<u8>>()
    });
    within(DEADLINE, "20 connections", HANG_HINT, move || {
        block_on(async move {
            let mut listener = TcpListener::bind(loopback()).unwrap();
            addr_tx.send(listener.local_addr().unwrap()).unwrap();
            let mut handlers = Vec::new();
            for _ in 0..CLIENTS {
                let (mut stream, _) = listener.accept().await.unwrap();
                handlers.push(spawn(async move {
                    let byte = read_n(&mut stream, 1).await;
                    stream.write_all(&[byte[0] + 100]).await.unwrap();
                }));
            }
            for handler in handlers {
                handler.await.unwrap();
            }
        })
    });
    let replies = client_threads.join().unwrap();
    let expected: Vec<u8> = (0..CLIENTS as u8).map(|i| i + 100).collect();
    assert_eq!(
        replies, expected,
        "each client should get its own byte + 100 back on its own connection"
    );
}

/// Accepts `n` connections from a helper thread and returns them in the
/// order the helper opened them, with the helper's ends.
fn connected_pairs(n: usize) -> (Vec<StdStream>, impl Future<Output = Vec<TcpStream>>) {
    let listener = TcpListener::bind(loopback()).unwrap();
    let addr = listener.local_addr().unwrap();
    // The kernel completes these connects on its own (the backlog); the
    // loop accepts them afterwards.
    let clients: Vec<StdStream> = (0..n).map(|_| StdStream::connect(addr).unwrap()).collect();
    let client_addrs: Vec<SocketAddr> = clients.iter().map(|c| c.local_addr().unwrap()).collect();
    let accepted = async move {
        let mut listener = listener;
        let mut by_peer = Vec::new();
        for _ in 0..client_addrs.len() {
            by_peer.push(listener.accept().await.unwrap());
        }
        client_addrs
            .iter()
            .map(|addr| {
                let at = by_peer.iter().position(|(_, peer)| peer == addr).unwrap();
                by_peer.swap_remove(at).0
            })
            .collect()
    };
    (clients, accepted)
}

#[test]
fn a_read_moved_to_another_task_wakes_the_new_one() {
    let (write_tx, write_rx) = mpsc::channel::<()>();
    let hint = "a socket read first by one task, then by another, never woke the second: the \
                reactor kept the waker of the first WouldBlock. Replace the stored waker on \
                every WouldBlock; the latest poll says who waits now";
    let got = within(
        DEADLINE,
        "a socket read by two tasks in turn",
        hint,
        move || {
            block_on(async move {
                let (mut clients, accepted) = connected_pairs(1);
                let mut stream = accepted.await.pop().unwrap();
                let mut client = clients.pop().unwrap();
                let writer = thread::spawn(move || {
                    write_rx.recv().unwrap();
                    client.write_all(b"x").unwrap();
                    client
                });
                // Another task tries to read once (nothing there yet: its waker is
                // stored), then hands the stream back.
                let first_reader = spawn(async move {
                    let mut byte = [0u8; 1];
                    {
                        let mut read = pin!(stream.read(&mut byte));
                        assert!(
                            futures::poll!(read.as_mut()).is_pending(),
                            "no data was sent yet"
                        );
                    }
                    stream
                });
                let mut stream = first_reader.await.unwrap();
                // The main future reads now; the data is sent only after its
                // first poll left its waker.
                let mut read = pin!(read_n(&mut stream, 1));
                assert!(
                    futures::poll!(read.as_mut()).is_pending(),
                    "no data was sent yet"
                );
                write_tx.send(()).unwrap();
                let got = read.await;
                drop(writer.join().unwrap());
                got
            })
        },
    );
    assert_eq!(got, b"x");
}

#[test]
fn a_stored_waker_is_woken_once_then_forgotten() {
    let hint = "the loop hung while a task waited on one socket and later events came in on it";
    let polls = within(
        DEADLINE,
        "later events on a socket nobody waits on",
        hint,
        || {
            block_on(async {
                let (mut clients, accepted) = connected_pairs(2);
                let mut streams = accepted.await;
                let mut stream_b = streams.pop().unwrap();
                let mut stream_a = streams.pop().unwrap();
                let mut client_b = clients.pop().unwrap();
                let mut client_a = clients.pop().unwrap();
                let (release_tx, release_rx) = futures::channel::oneshot::channel::<()>();
                let (read_tx, read_rx) = futures::channel::oneshot::channel::<()>();
                // Task A reads one byte from socket A, then waits for something
                // else entirely (the release), not for socket A.
                let (task_a, polls_a) = PollCount::new(async move {
                    let first = read_n(&mut stream_a, 1).await;
                    read_tx.send(()).unwrap();
                    release_rx.await.unwrap();
                    (first, stream_a)
                });
                let task_a = spawn(task_a);
                // Task A's first poll finds nothing to read and leaves its waker.
                yield_now().await;
                client_a.write_all(b"1").unwrap();
                read_rx.await.unwrap();
                // More data on socket A, then on socket B, sent from another
                // thread once the loop sleeps in the reactor with the main future
                // waiting on B: the reactor reports A's event with B's, or first.
                let loop_thread = kit::asleep::current_tid();
                let writer = thread::spawn(move || {
                    kit::asleep::wait_until_asleep(loop_thread, || false, DEADLINE);
                    client_a.write_all(b"2").unwrap();
                    client_b.write_all(b"b").unwrap();
                    (client_a, client_b)
                });
                assert_eq!(read_n(&mut stream_b, 1).await, b"b");
                let _clients = writer.join().unwrap();
                // Let any (wrong) wake-up of task A run before releasing it.
                for _ in 0..3 {
                    yield_now().await;
                }
                release_tx.send(()).unwrap();
                let (first, _stream_a) = task_a.await.unwrap();
                assert_eq!(first, b"1");
                polls_a.load(Ordering::SeqCst)
            })
        },
    );
    assert_eq!(
        polls, 3,
        "task A read once from socket A and then waited for something else; more data on socket \
         A should not wake it, yet it was polled {polls} times (expected 3: start, its data, \
         its release). The reactor must *take* a waker out of the table when it wakes it \
         (`Option::take`), not clone it and leave it there"
    );
}

/// Pending once after waking itself.
fn yield_now() -> kit::poll::ReadyAfter<()> {
    kit::poll::ready_after(1, ())
}
