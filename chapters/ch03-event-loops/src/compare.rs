//! The same three workloads on the home-made runtime and on tokio.
//!
//! Each function builds its runtime, runs the workload once and returns
//! the wall time the workload took inside the runtime.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::s4_reactor as home;
use crate::s5_echo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::yield_now::yield_many;

/// Which runtime runs a workload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// The chapter's runtime: one thread, a run queue, a timer heap, mio.
    HomeMade,
    /// `tokio::runtime::Builder::new_current_thread`.
    TokioCurrentThread,
    /// `tokio::runtime::Builder::new_multi_thread`, one worker per core.
    TokioMultiThread,
}

impl Runtime {
    pub const ALL: [Runtime; 3] = [
        Runtime::HomeMade,
        Runtime::TokioCurrentThread,
        Runtime::TokioMultiThread,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Runtime::HomeMade => "home-made",
            Runtime::TokioCurrentThread => "tokio current-thread",
            Runtime::TokioMultiThread => "tokio multi-thread",
        }
    }
}

// ANCHOR: tokio_runtimes
/// Builds one of tokio's two flavours, with timers and sockets enabled.
fn tokio_runtime(runtime: Runtime) -> tokio::runtime::Runtime {
    let mut builder = match runtime {
        Runtime::TokioCurrentThread => tokio::runtime::Builder::new_current_thread(),
        Runtime::TokioMultiThread => tokio::runtime::Builder::new_multi_thread(),
        Runtime::HomeMade => unreachable!("not a tokio runtime"),
    };
    builder.enable_all().build().expect("build a tokio runtime")
}
// ANCHOR_END: tokio_runtimes

// ANCHOR: yields
/// `tasks` tasks that each yield `yields` times: pure scheduling cost.
pub fn spawn_and_yield(runtime: Runtime, tasks: usize, yields: usize) -> Duration {
    match runtime {
        Runtime::HomeMade => home::block_on(async move {
            let start = Instant::now();
            let handles: Vec<_> = (0..tasks)
                .map(|_| home::spawn(yield_many(yields)))
                .collect();
            for handle in handles {
                handle.await.expect("task panicked");
            }
            start.elapsed()
        }),
        tokio_flavour => tokio_runtime(tokio_flavour).block_on(async move {
            let start = Instant::now();
            let handles: Vec<_> = (0..tasks)
                .map(|_| tokio::spawn(yield_many(yields)))
                .collect();
            for handle in handles {
                handle.await.expect("task panicked");
            }
            start.elapsed()
        }),
    }
}
// ANCHOR_END: yields

/// `tasks` tasks that each sleep `sleeps` times for `period`: timer cost.
/// The model says `sleeps * period`, since the tasks' sleeps overlap.
pub fn many_timers(runtime: Runtime, tasks: usize, sleeps: usize, period: Duration) -> Duration {
    match runtime {
        Runtime::HomeMade => home::block_on(async move {
            let start = Instant::now();
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    home::spawn(async move {
                        for _ in 0..sleeps {
                            home::sleep(period).await;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.await.expect("task panicked");
            }
            start.elapsed()
        }),
        tokio_flavour => tokio_runtime(tokio_flavour).block_on(async move {
            let start = Instant::now();
            let handles: Vec<_> = (0..tasks)
                .map(|_| {
                    tokio::spawn(async move {
                        for _ in 0..sleeps {
                            tokio::time::sleep(period).await;
                        }
                    })
                })
                .collect();
            for handle in handles {
                handle.await.expect("task panicked");
            }
            start.elapsed()
        }),
    }
}

// ANCHOR: echo
/// `connections` clients each make `round_trips` 64-byte round trips to an
/// echo server over loopback; server and clients share one runtime.
pub fn echo_ping_pong(runtime: Runtime, connections: usize, round_trips: usize) -> Duration {
    let message = [b'x'; 64];
    match runtime {
        Runtime::HomeMade => home::block_on(async move {
            let listener = home::TcpListener::bind(loopback()).expect("bind");
            let addr = listener.local_addr().expect("local address");
            home::spawn(s5_echo::serve(listener));
            let start = Instant::now();
            let clients: Vec<_> = (0..connections)
                .map(|_| {
                    home::spawn(async move {
                        let messages = vec![&message[..]; round_trips];
                        s5_echo::ping(addr, &messages).await.expect("ping")
                    })
                })
                .collect();
            for client in clients {
                client.await.expect("client panicked");
            }
            start.elapsed()
        }),
        tokio_flavour => tokio_runtime(tokio_flavour).block_on(async move {
            let listener = tokio::net::TcpListener::bind(loopback())
                .await
                .expect("bind");
            let addr = listener.local_addr().expect("local address");
            tokio::spawn(tokio_echo_server(listener));
            let start = Instant::now();
            let clients: Vec<_> = (0..connections)
                .map(|_| tokio::spawn(tokio_ping(addr, message, round_trips)))
                .collect();
            for client in clients {
                client.await.expect("client panicked");
            }
            start.elapsed()
        }),
    }
}
// ANCHOR_END: echo

fn loopback() -> SocketAddr {
    "127.0.0.1:0".parse().expect("a valid address")
}

/// The tokio twin of `s5_echo::serve` + `handle_connection`.
async fn tokio_echo_server(listener: tokio::net::TcpListener) {
    loop {
        let Ok((mut stream, _)) = listener.accept().await else {
            return;
        };
        tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            loop {
                match stream.read(&mut buf).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => {
                        if stream.write_all(&buf[..n]).await.is_err() {
                            return;
                        }
                    }
                }
            }
        });
    }
}

/// The tokio twin of `s5_echo::ping`.
async fn tokio_ping(addr: SocketAddr, message: [u8; 64], round_trips: usize) {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let mut reply = [0u8; 64];
    for _ in 0..round_trips {
        stream.write_all(&message).await.expect("write");
        stream.read_exact(&mut reply).await.expect("read");
    }
}
