//! The same echo workload on tokio and on smol, each on one thread.
//!
//! A server echoes every message back; `connections` clients each make
//! `round_trips` request/response exchanges of `size` bytes over loopback.
//! Both runtimes wait on the same epoll and make the same reads and writes,
//! so the model predicts the same time for both: the runtime is a thin layer
//! over the system calls.

use std::rc::Rc;
use std::time::{Duration, Instant};

/// The workload's knobs.
#[derive(Debug, Clone, Copy)]
pub struct Echo {
    pub connections: usize,
    pub round_trips: usize,
    pub size: usize,
}

impl Echo {
    pub fn total_round_trips(&self) -> usize {
        self.connections * self.round_trips
    }
}

// ANCHOR: tokio_echo
/// Runs the workload on a tokio current-thread runtime; returns the time.
pub fn on_tokio(load: Echo) -> Duration {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_io()
        .build()
        .expect("build runtime");
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        tokio::spawn(async move {
            for _ in 0..load.connections {
                let (mut socket, _) = listener.accept().await.expect("accept");
                tokio::spawn(async move {
                    let mut buffer = vec![0u8; 4096];
                    while let Ok(read) = socket.read(&mut buffer).await {
                        if read == 0 || socket.write_all(&buffer[..read]).await.is_err() {
                            break;
                        }
                    }
                });
            }
        });
        let started = Instant::now();
        let clients: Vec<_> = (0..load.connections)
            .map(|_| {
                tokio::spawn(async move {
                    let mut socket = tokio::net::TcpStream::connect(address)
                        .await
                        .expect("connect");
                    socket.set_nodelay(true).expect("nodelay");
                    let message = vec![7u8; load.size];
                    let mut answer = vec![0u8; load.size];
                    for _ in 0..load.round_trips {
                        socket.write_all(&message).await.expect("write");
                        socket.read_exact(&mut answer).await.expect("read");
                    }
                })
            })
            .collect();
        for client in clients {
            client.await.expect("client panicked");
        }
        started.elapsed()
    })
}
// ANCHOR_END: tokio_echo

// ANCHOR: smol_echo
/// The same workload on smol: a `LocalExecutor` driven by `block_on`.
pub fn on_smol(load: Echo) -> Duration {
    use smol::io::{AsyncReadExt, AsyncWriteExt};
    // Shared by `Rc` so that spawned tasks can spawn more tasks.
    let executor = Rc::new(smol::LocalExecutor::new());
    let spawner = Rc::clone(&executor);
    smol::block_on(executor.run(async move {
        let listener = smol::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind");
        let address = listener.local_addr().expect("address");
        let server_spawner = Rc::clone(&spawner);
        spawner
            .spawn(async move {
                for _ in 0..load.connections {
                    let (mut socket, _) = listener.accept().await.expect("accept");
                    server_spawner
                        .spawn(async move {
                            let mut buffer = vec![0u8; 4096];
                            while let Ok(read) = socket.read(&mut buffer).await {
                                if read == 0 || socket.write_all(&buffer[..read]).await.is_err() {
                                    break;
                                }
                            }
                        })
                        .detach();
                }
            })
            .detach();
        let started = Instant::now();
        let clients: Vec<_> = (0..load.connections)
            .map(|_| {
                spawner.spawn(async move {
                    let mut socket = smol::net::TcpStream::connect(address)
                        .await
                        .expect("connect");
                    socket.set_nodelay(true).expect("nodelay");
                    let message = vec![7u8; load.size];
                    let mut answer = vec![0u8; load.size];
                    for _ in 0..load.round_trips {
                        socket.write_all(&message).await.expect("write");
                        socket.read_exact(&mut answer).await.expect("read");
                    }
                })
            })
            .collect();
        for client in clients {
            client.await;
        }
        started.elapsed()
    }))
}
// ANCHOR_END: smol_echo
