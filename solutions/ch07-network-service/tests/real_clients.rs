// The reference server against clients nobody here wrote: the `redis` crate,
// redis-py, `redis-cli` and `redis-benchmark`, plus malformed input on raw
// sockets and a reply-by-reply comparison with a real `redis-server`.
//
// Not part of any exercise: this file runs the solution crate's server (in
// this process, on a port the OS picks) in `cargo test` at the root. Tools
// that are not installed are skipped with a printed note (`apt-get install
// redis-server redis-tools`, `python3 -m pip install --user redis`).

use bytes::BytesMut;
use ch07_solutions::config::Config;
use ch07_solutions::resp::{Frame, Limits, Protocol, parse};
use ch07_solutions::server::{Running, start};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A server on a free loopback port, shut down when the test's runtime ends.
async fn server_with(config: Config) -> Running {
    start(Config { port: 0, ..config })
        .await
        .expect("the reference server starts")
}

async fn server() -> Running {
    server_with(Config::default()).await
}

fn url(running: &Running) -> String {
    format!("redis://{}/", running.addr)
}

fn installed(program: &str) -> bool {
    Command::new(program)
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

// --- a raw client ------------------------------------------------------------

/// A blocking client that speaks raw bytes and reads whole frames.
struct Raw {
    stream: TcpStream,
    buffer: BytesMut,
}

impl Raw {
    fn connect(addr: impl std::net::ToSocketAddrs) -> Raw {
        let stream = TcpStream::connect(addr).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Raw {
            stream,
            buffer: BytesMut::new(),
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.stream.write_all(bytes).unwrap();
    }

    fn send_command(&mut self, words: &[&[u8]]) {
        let frame = Frame::Array(
            words
                .iter()
                .map(|w| Frame::Bulk(bytes::Bytes::copy_from_slice(w)))
                .collect(),
        );
        self.send(&frame.to_bytes(Protocol::Resp2));
    }

    /// The next frame, or None if the server closed the connection first.
    fn frame(&mut self) -> Option<Frame> {
        loop {
            if let Ok(Some((frame, used))) = parse(&self.buffer, &Limits::REDIS) {
                let _ = self.buffer.split_to(used);
                return Some(frame);
            }
            if let Ok(Some((frame, used))) = parse_resp3(&self.buffer) {
                let _ = self.buffer.split_to(used);
                return Some(frame);
            }
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) | Err(_) => return None,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
            }
        }
    }

    /// True once the server has closed the connection (nothing more to read).
    fn closed(&mut self) -> bool {
        let mut rest = Vec::new();
        match self.stream.read_to_end(&mut rest) {
            Ok(_) => rest.is_empty(),
            // Closing with unread input makes the kernel reset the connection.
            Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
        }
    }

    fn call(&mut self, words: &[&str]) -> Option<Frame> {
        let words: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        self.send_command(&words);
        self.frame()
    }
}

/// Just enough RESP3 for the comparison (`_`, `%`, `>`, `#`, `,`): our parser is RESP2 only.
fn parse_resp3(buf: &[u8]) -> Result<Option<(Frame, usize)>, ()> {
    let Some(&kind) = buf.first() else {
        return Ok(None);
    };
    let Some(end) = buf.windows(2).position(|w| w == b"\r\n") else {
        return Ok(None);
    };
    let line = std::str::from_utf8(&buf[1..end]).map_err(|_| ())?;
    match kind {
        b'_' => Ok(Some((Frame::Null, end + 2))),
        b'#' => Ok(Some((Frame::Simple(format!("bool:{line}")), end + 2))),
        b',' => Ok(Some((Frame::Simple(format!("double:{line}")), end + 2))),
        b'%' | b'>' | b'~' | b'*' => {
            let count: usize = line.parse().map_err(|_| ())?;
            let items = if kind == b'%' { count * 2 } else { count };
            let mut pos = end + 2;
            let mut frames = Vec::new();
            for _ in 0..items {
                let rest = &buf[pos..];
                let parsed = match parse(rest, &Limits::REDIS) {
                    Ok(Some(parsed)) => Some(parsed),
                    _ => parse_resp3(rest)?,
                };
                let Some((frame, used)) = parsed else {
                    return Ok(None);
                };
                frames.push(frame);
                pos += used;
            }
            let frame = match kind {
                b'%' => Frame::Map(
                    frames
                        .chunks(2)
                        .map(|p| (p[0].clone(), p[1].clone()))
                        .collect(),
                ),
                b'>' => Frame::Push(frames),
                _ => Frame::Array(frames),
            };
            Ok(Some((frame, pos)))
        }
        _ => Err(()),
    }
}

fn error(text: &str) -> Option<Frame> {
    Some(Frame::Error(text.into()))
}

// --- the redis crate -----------------------------------------------------------

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redis_crate_sets_gets_and_pipelines() {
    let running = server().await;
    let client = redis::Client::open(url(&running)).unwrap();
    let mut conn = client
        .get_multiplexed_async_connection()
        .await
        .expect("the redis crate connects");
    let _: () = redis::cmd("SET")
        .arg("greeting")
        .arg("hello")
        .query_async(&mut conn)
        .await
        .unwrap();
    let got: String = redis::cmd("GET")
        .arg("greeting")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(got, "hello");
    let missing: Option<String> = redis::cmd("GET")
        .arg("nope")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(missing, None, "a missing key is nil");
    let mut pipe = redis::pipe();
    for i in 0..200 {
        pipe.cmd("SET").arg(format!("k{i}")).arg(i).ignore();
    }
    for i in 0..200 {
        pipe.cmd("GET").arg(format!("k{i}"));
    }
    let values: Vec<i64> = pipe.query_async(&mut conn).await.unwrap();
    assert_eq!(
        values,
        (0..200).collect::<Vec<i64>>(),
        "a pipeline of 400 commands is answered in order"
    );
    let values: Vec<Option<String>> = redis::cmd("MGET")
        .arg("k1")
        .arg("nope")
        .arg("k2")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(values, vec![Some("1".into()), None, Some("2".into())]);
    let err = redis::cmd("INCR")
        .arg("greeting")
        .query_async::<i64>(&mut conn)
        .await
        .unwrap_err();
    assert!(
        err.to_string()
            .contains("value is not an integer or out of range"),
        "{err}"
    );
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_incr_from_many_clients_loses_no_update() {
    let running = server().await;
    let clients = 20;
    let each = 100;
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let client = redis::Client::open(url(&running)).unwrap();
        tasks.push(tokio::spawn(async move {
            let mut conn = client.get_multiplexed_async_connection().await.unwrap();
            for _ in 0..each {
                let _: i64 = redis::cmd("INCR")
                    .arg("counter")
                    .query_async(&mut conn)
                    .await
                    .unwrap();
            }
        }));
    }
    for task in tasks {
        task.await.unwrap();
    }
    let client = redis::Client::open(url(&running)).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let total: i64 = redis::cmd("GET")
        .arg("counter")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(
        total,
        (clients * each) as i64,
        "{clients} clients x {each} INCR: no lost update"
    );
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_redis_crate_subscribes_and_receives() {
    let running = server().await;
    let client = redis::Client::open(url(&running)).unwrap();
    let mut pubsub = client.get_async_pubsub().await.unwrap();
    pubsub.subscribe("news").await.unwrap();
    pubsub.psubscribe("sport.*").await.unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let receivers: i64 = redis::cmd("PUBLISH")
        .arg("news")
        .arg("extra")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(receivers, 1, "PUBLISH counts the one subscriber");
    let _: i64 = redis::cmd("PUBLISH")
        .arg("sport.f1")
        .arg("lap")
        .query_async(&mut conn)
        .await
        .unwrap();
    let mut messages = pubsub.on_message();
    use futures::StreamExt as _;
    let first = tokio::time::timeout(Duration::from_secs(10), messages.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (
            first.get_channel_name(),
            first.get_payload::<String>().unwrap()
        ),
        ("news", "extra".to_string())
    );
    let second = tokio::time::timeout(Duration::from_secs(10), messages.next())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(second.get_channel_name(), "sport.f1");
    assert_eq!(
        second.get_pattern::<String>().unwrap(),
        "sport.*",
        "a pattern message says its pattern"
    );
    drop(messages);
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn keys_expire_for_real_clients() {
    let running = server().await;
    let client = redis::Client::open(url(&running)).unwrap();
    let mut conn = client.get_multiplexed_async_connection().await.unwrap();
    let _: () = redis::cmd("SET")
        .arg("short")
        .arg("v")
        .arg("PX")
        .arg(100)
        .query_async(&mut conn)
        .await
        .unwrap();
    let _: () = redis::cmd("SET")
        .arg("long")
        .arg("v")
        .arg("EX")
        .arg(100)
        .query_async(&mut conn)
        .await
        .unwrap();
    let ttl: i64 = redis::cmd("TTL")
        .arg("long")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(ttl, 100);
    // Wait (bounded) for the purge task: DBSIZE does not expire keys itself.
    let give_up = Instant::now() + Duration::from_secs(10);
    loop {
        let size: i64 = redis::cmd("DBSIZE").query_async(&mut conn).await.unwrap();
        if size == 1 {
            break;
        }
        assert!(
            Instant::now() < give_up,
            "the 100 ms key was still counted after 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let gone: Option<String> = redis::cmd("GET")
        .arg("short")
        .query_async(&mut conn)
        .await
        .unwrap();
    assert_eq!(gone, None);
    running.stop.cancel();
    running.finished().await;
}

// --- bad input -------------------------------------------------------------------

/// Sends `bad` on a fresh connection: expects `reply`, then a closed connection,
/// while a second client is served before and after.
fn rejects(addr: std::net::SocketAddr, bad: &[u8], reply: &str) {
    let mut bystander = Raw::connect(addr);
    assert_eq!(
        bystander.call(&["PING"]),
        Some(Frame::Simple("PONG".into()))
    );
    let mut attacker = Raw::connect(addr);
    attacker.send(bad);
    let got = attacker.frame();
    assert_eq!(
        got,
        error(reply),
        "{:?} should get Redis's error reply {reply:?}",
        String::from_utf8_lossy(&bad[..bad.len().min(60)])
    );
    assert!(
        attacker.closed(),
        "after a protocol error the server closes the connection"
    );
    assert_eq!(
        bystander.call(&["PING"]),
        Some(Frame::Simple("PONG".into())),
        "and keeps serving everyone else"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_kind_of_malformed_frame_gets_redis_error_and_a_closed_connection() {
    let running = server().await;
    let addr = running.addr;
    tokio::task::spawn_blocking(move || {
        rejects(
            addr,
            b"*1\r\n$-5\r\n",
            "ERR Protocol error: invalid bulk length",
        );
        rejects(
            addr,
            b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\n$2000000000\r\n",
            "ERR Protocol error: invalid bulk length",
        );
        rejects(
            addr,
            b"*1\r\n$1073741824\r\n",
            "ERR Protocol error: invalid bulk length",
        );
        rejects(
            addr,
            b"*1\r\n$blabla\r\n",
            "ERR Protocol error: invalid bulk length",
        );
        rejects(
            addr,
            b"*3000000000\r\n",
            "ERR Protocol error: invalid multibulk length",
        );
        rejects(
            addr,
            b"*abc\r\n",
            "ERR Protocol error: invalid multibulk length",
        );
        rejects(
            addr,
            b"*3\r\n$3\r\nSET\r\n$1\r\nx\r\nfooz\r\n",
            "ERR Protocol error: expected '$', got 'f'",
        );
        rejects(
            addr,
            b"*1\r\nfoo\r\n",
            "ERR Protocol error: expected '$', got 'f'",
        );
        rejects(
            addr,
            b"*2\r\n$4\r\nECHO\r\n$2\r\nhiXX",
            "ERR Protocol error: expected CRLF after bulk data",
        );
        rejects(
            addr,
            b"set \"\"\"test-key\"\"\" test-value\r\n",
            "ERR Protocol error: unbalanced quotes in request",
        );
        let mut garbage = b"*1\r\n$".to_vec();
        garbage.extend(std::iter::repeat_n(b'7', 70_000));
        rejects(
            addr,
            &garbage,
            "ERR Protocol error: too big bulk count string",
        );
        let mut long_inline = vec![b'a'; 70_000];
        long_inline.push(b' ');
        rejects(
            addr,
            &long_inline,
            "ERR Protocol error: too big inline request",
        );
        let mut binary = b"*2\r\n$4\r\nECHO\r\n".to_vec();
        binary.extend([0xff, 0x00, 0x13, 0x37, b'\r', b'\n']);
        rejects(
            addr,
            &binary,
            &format!("ERR Protocol error: expected '$', got '{}'", 0xff as char),
        );
    })
    .await
    .unwrap();
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn harmless_oddities_are_answered_like_redis() {
    let running = server().await;
    let addr = running.addr;
    tokio::task::spawn_blocking(move || {
        let mut raw = Raw::connect(addr);
        // An empty line and a negative count are skipped without a reply.
        raw.send(b"\r\n*-10\r\nPING\r\n");
        assert_eq!(raw.frame(), Some(Frame::Simple("PONG".into())));
        raw.send(b"ping x y z\r\n");
        assert_eq!(
            raw.frame(),
            error("ERR wrong number of arguments for 'ping' command")
        );
        raw.send(b"SET k \"a\\x41\\n\"\r\nGET k\r\n");
        assert_eq!(raw.frame(), Some(Frame::Simple("OK".into())));
        assert_eq!(
            raw.frame(),
            Some(Frame::Bulk("aA\n".into())),
            "inline quotes and escapes as in redis-cli"
        );
    })
    .await
    .unwrap();
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_over_maxclients_is_refused_with_redis_error() {
    let running = server_with(Config {
        maxclients: 2,
        ..Config::default()
    })
    .await;
    let addr = running.addr;
    tokio::task::spawn_blocking(move || {
        let mut first = Raw::connect(addr);
        let mut second = Raw::connect(addr);
        assert_eq!(first.call(&["PING"]), Some(Frame::Simple("PONG".into())));
        assert_eq!(second.call(&["PING"]), Some(Frame::Simple("PONG".into())));
        let mut third = Raw::connect(addr);
        assert_eq!(third.frame(), error("ERR max number of clients reached"));
        drop(first);
        let give_up = Instant::now() + Duration::from_secs(10);
        loop {
            let mut again = Raw::connect(addr);
            match again.call(&["PING"]) {
                Some(Frame::Simple(pong)) if pong == "PONG" => break,
                _ => assert!(
                    Instant::now() < give_up,
                    "the freed slot was never given to a new client"
                ),
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    })
    .await
    .unwrap();
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_answers_in_flight_clients_and_stops() {
    let running = server().await;
    let addr = running.addr;
    let stop = running.stop.clone();
    tokio::task::spawn_blocking(move || {
        let mut raw = Raw::connect(addr);
        raw.send(b"SET a 1\r\nSHUTDOWN\r\n");
        assert_eq!(
            raw.frame(),
            Some(Frame::Simple("OK".into())),
            "the command before SHUTDOWN is answered"
        );
        assert!(
            raw.closed(),
            "SHUTDOWN closes the connection without a reply, as Redis does"
        );
    })
    .await
    .unwrap();
    tokio::time::timeout(Duration::from_secs(10), running.finished())
        .await
        .expect("the server stops after SHUTDOWN");
    assert!(stop.is_cancelled());
}

// --- redis-cli, redis-benchmark, redis-py ---------------------------------------------

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .stderr(Stdio::inherit())
        .output()
        .expect(program);
    assert!(
        output.status.success(),
        "{program} {args:?} failed: {output:?}"
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_cli_sets_gets_expires_and_subscribes() {
    if !installed("redis-cli") {
        println!("note: redis-cli is not installed (apt-get install redis-tools): skipped");
        return;
    }
    let running = server().await;
    let port = running.addr.port().to_string();
    let port2 = port.clone();
    tokio::task::spawn_blocking(move || {
        let cli = |args: &[&str]| {
            let mut all = vec!["-p", port2.as_str()];
            all.extend_from_slice(args);
            run("redis-cli", &all).trim().to_string()
        };
        assert_eq!(cli(&["SET", "k", "v"]), "OK");
        assert_eq!(cli(&["GET", "k"]), "v");
        assert_eq!(cli(&["EXPIRE", "k", "100"]), "1");
        assert_eq!(cli(&["TTL", "k"]), "100");
        assert_eq!(cli(&["INCRBY", "n", "5"]), "5");
        assert_eq!(
            cli(&["NOSUCH"]),
            "ERR unknown command 'NOSUCH', with args beginning with:"
        );
        let mut subscriber = Command::new("redis-cli")
            .args(["-p", port2.as_str(), "SUBSCRIBE", "ch"])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut out = subscriber.stdout.take().unwrap();
        // Wait (bounded) until the subscription is registered.
        let give_up = Instant::now() + Duration::from_secs(10);
        while cli(&["PUBLISH", "ch", "hello"]) != "1" {
            assert!(
                Instant::now() < give_up,
                "redis-cli SUBSCRIBE never registered"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        let mut seen = Vec::new();
        let mut byte = [0u8; 1];
        while !String::from_utf8_lossy(&seen).contains("hello") {
            assert!(
                out.read(&mut byte).unwrap() == 1,
                "redis-cli SUBSCRIBE ended early: {:?}",
                String::from_utf8_lossy(&seen)
            );
            seen.push(byte[0]);
        }
        let _ = subscriber.kill();
        let _ = subscriber.wait();
    })
    .await
    .unwrap();
    running.stop.cancel();
    running.finished().await;
    let _ = port;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_benchmark_completes_against_the_server() {
    if !installed("redis-benchmark") {
        println!("note: redis-benchmark is not installed (apt-get install redis-tools): skipped");
        return;
    }
    let running = server().await;
    let port = running.addr.port().to_string();
    let out = tokio::task::spawn_blocking(move || {
        run(
            "redis-benchmark",
            &[
                "-p",
                &port,
                "-q",
                "-t",
                "set,get,incr,ping_inline,ping_mbulk",
                "-n",
                "2000",
                "-c",
                "10",
                "-P",
                "4",
            ],
        )
    })
    .await
    .unwrap();
    for test in ["SET", "GET", "INCR", "PING_INLINE", "PING_MBULK"] {
        assert!(
            out.contains(&format!("{test}: ")),
            "redis-benchmark did not report {test}: {out}"
        );
    }
    running.stop.cancel();
    running.finished().await;
}

fn python_has_redis() -> bool {
    let check = |_: ()| {
        Command::new("python3")
            .args(["-c", "import redis"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if check(()) {
        return true;
    }
    let _ = Command::new("python3")
        .args(["-m", "pip", "install", "--user", "--quiet", "redis"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    check(())
}

const PY_SCRIPT: &str = r#"
import sys, time, redis
port = int(sys.argv[1])
for kwargs in ({}, {"protocol": 3}, {"protocol": 2}):
    r = redis.Redis(port=port, decode_responses=True, **kwargs)
    assert r.ping()
    assert r.set("py", "thon") is True
    assert r.get("py") == "thon"
    assert r.incr("pyn") >= 1
    assert r.expire("py", 100) is True
    assert r.ttl("py") == 100
    assert r.mget(["py", "missing"]) == ["thon", None]
    assert r.set("py", "x", nx=True) is None
    assert r.exists("py", "missing") == 1
    pipe = r.pipeline()
    for i in range(50):
        pipe.set(f"p{i}", i)
    assert all(pipe.execute())
    assert r.dbsize() >= 51
    assert "redis_version" in r.info()
    p = r.pubsub()
    p.subscribe("pych")
    deadline = time.time() + 10
    while p.get_message(timeout=1) is None and time.time() < deadline:
        pass
    assert r.publish("pych", "hi") == 1
    msg = None
    while msg is None and time.time() < deadline:
        msg = p.get_message(timeout=1)
    assert msg and msg["data"] == "hi", msg
    p.close()
    try:
        r.execute_command("NOSUCH")
        raise SystemExit("an unknown command must fail")
    except redis.ResponseError as e:
        assert "unknown command" in str(e)
    r.flushall()
    r.close()
print("ok")
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn redis_py_works_with_default_settings_and_resp3() {
    let has = tokio::task::spawn_blocking(python_has_redis).await.unwrap();
    if !has {
        println!(
            "note: python3 with the redis package is not available (python3 -m pip install --user redis): skipped"
        );
        return;
    }
    let running = server().await;
    let port = running.addr.port().to_string();
    let out = tokio::task::spawn_blocking(move || {
        let output = Command::new("python3")
            .args(["-c", PY_SCRIPT, &port])
            .output()
            .unwrap();
        (
            output.status.success(),
            String::from_utf8_lossy(&output.stdout).into_owned()
                + &String::from_utf8_lossy(&output.stderr),
        )
    })
    .await
    .unwrap();
    assert!(
        out.0 && out.1.contains("ok"),
        "redis-py against the server failed:\n{}",
        out.1
    );
    running.stop.cancel();
    running.finished().await;
}

// --- against the real redis-server ------------------------------------------------------

/// A real redis-server on a free port, killed when dropped.
struct RealRedis {
    child: std::process::Child,
    port: u16,
}

impl Drop for RealRedis {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn real_redis() -> Option<RealRedis> {
    if !installed("redis-server") {
        return None;
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .ok()?
        .local_addr()
        .ok()?
        .port();
    let child = Command::new("redis-server")
        .args([
            "--port",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
        ])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    let give_up = Instant::now() + Duration::from_secs(10);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > give_up {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(RealRedis { child, port })
}

/// Commands whose replies must be byte-for-byte those of redis-server, with
/// how many frames each one answers with.
fn compat_script() -> Vec<(Vec<&'static str>, usize)> {
    let one = |s: &'static str| {
        (
            s.split(' ').filter(|w| !w.is_empty()).collect::<Vec<_>>(),
            1,
        )
    };
    let mut script: Vec<(Vec<&str>, usize)> = [
        "PING",
        "PING hello",
        "PING a b",
        "ECHO hi",
        "ECHO",
        "FLUSHALL",
        "DBSIZE",
        "GET missing",
        "SET k v",
        "GET k",
        "SET k v2 GET",
        "SET k v3 NX",
        "SET k v4 XX",
        "SET nk v XX",
        "SET nk v NX GET",
        "GET nk",
        "SET k v EX 0",
        "SET k v EX -5",
        "SET k v EX abc",
        "SET k v PX 100 EX 100",
        "SET k v NX XX",
        "SET k v FOO",
        "SET k v EX",
        "SET k",
        "SET k v KEEPTTL EX 10",
        "SET t v EX 100",
        "TTL t",
        "SET t v2 KEEPTTL",
        "TTL t",
        "SET t v3",
        "TTL t",
        "DEL k t nk missing",
        "EXISTS k",
        "SET a 1",
        "EXISTS a a missing",
        "INCR a",
        "INCRBY a 10",
        "DECR a",
        "DECRBY a 3",
        "INCRBY a x",
        "INCRBY a 1.5",
        "SET big 9223372036854775807",
        "INCR big",
        "SET neg -9223372036854775808",
        "DECR neg",
        "DECRBY a -9223372036854775808",
        "SET s hello",
        "INCR s",
        "INCR nothere",
        "APPEND s _world",
        "APPEND newkey abc",
        "STRLEN s",
        "STRLEN nope",
        "MSET m1 a m2 b",
        "MGET m1 m2 nope",
        "MSET m1",
        "MSET m1 a m2",
        "MGET",
        "TYPE m1",
        "TYPE nope",
        "EXPIRE m1 100",
        "TTL m1",
        "PTTL nope",
        "TTL m2",
        "EXPIRE m1 100 NX",
        "EXPIRE m1 200 XX",
        "EXPIRE m1 50 GT",
        "EXPIRE m1 500 GT",
        "EXPIRE m1 600 LT",
        "EXPIRE m2 100 GT",
        "EXPIRE m2 100 LT",
        "EXPIRE m1 100 NX XX",
        "EXPIRE m1 100 GT LT",
        "EXPIRE m1 100 FOO",
        "EXPIRE m1 abc",
        "EXPIRE nope 100",
        "PERSIST m1",
        "PERSIST m1",
        "TTL m1",
        "PEXPIRE m1 100000",
        "PERSIST nope",
        "EXPIRE m1 0",
        "EXISTS m1",
        "EXPIREAT m2 1",
        "EXISTS m2",
        "EXPIRE",
        "TTL",
        "SELECT 1",
        "GET s",
        "SET s other",
        "SELECT 0",
        "GET s",
        "SELECT 99",
        "SELECT abc",
        "SELECT -1",
        "FLUSHDB",
        "DBSIZE",
        "SELECT 1",
        "DBSIZE",
        "FLUSHALL ASYNC",
        "FLUSHALL FOO",
        "SELECT 0",
        "NOSUCH",
        "NOSUCH a b",
        "GET a b",
        "CLIENT SETNAME myname",
        "CLIENT GETNAME",
        "CLIENT SETNAME",
        "CLIENT FOO",
        "CLIENT SETNAME \"bad name\"",
        "CONFIG GET maxmemory",
        "CONFIG FOO",
        "CONFIG SET nosuchoption 1",
        "FUNCTION FLUSH",
        "PUBLISH nobody msg",
        "SCAN 0 COUNT 0",
        "SCAN abc",
        "KEYS nomatch*",
        "HELLO 4",
        "HELLO abc",
        "RESET",
        "GETDEL nope",
        "SET gd v",
        "GETDEL gd",
        "GETSET gs v",
        "GETSET gs w",
        "SETNX gs x",
        "SETNX sn x",
        "SETEX se 0 v",
        "SETEX se 100 v",
        "TTL se",
        "PSETEX pe 100000 v",
        "MSETNX m9 a m10 b",
        "MSETNX m9 a m11 c",
        "UNLINK m9 m10 m11",
        "PEXPIRETIME nope",
        "EXPIRETIME sn",
        "PUBSUB NUMPAT",
        "INCRBY",
        "APPEND k",
        // Strings: ranges, in-place writes, floats, GETEX.
        "SET r Hello,World",
        "GETRANGE r 0 4",
        "GETRANGE r -5 -1",
        "GETRANGE r -1 -5",
        "GETRANGE r 5 2",
        "GETRANGE r -100 100",
        "GETRANGE r 100 200",
        "GETRANGE r 0 -100",
        "GETRANGE nope 0 -1",
        "GETRANGE r a 1",
        "GETRANGE r 0",
        "SUBSTR r 1 3",
        "SETRANGE r 6 Redis",
        "GET r",
        "SETRANGE r 15 !",
        "GET r",
        "SETRANGE sr 3 abc",
        "GET sr",
        "SETRANGE r -1 x",
        "SETRANGE r abc x",
        "SETRANGE r 536870912 x",
        "SETRANGE r 1",
        "SET f 10.50",
        "INCRBYFLOAT f 0.1",
        "INCRBYFLOAT f 0.15",
        "INCRBYFLOAT f -5",
        "INCRBYFLOAT f 2.0e2",
        "INCRBYFLOAT f abc",
        "INCRBYFLOAT f inf",
        "INCRBYFLOAT nf 3",
        "INCRBYFLOAT nf 1.5e3",
        "SET fi 0.1",
        "INCRBYFLOAT fi 0.2",
        "INCRBYFLOAT r 1",
        "INCRBYFLOAT f",
        "SET ge v",
        "GETEX ge",
        "TTL ge",
        "GETEX ge EX 100",
        "TTL ge",
        "GETEX ge PERSIST",
        "TTL ge",
        "GETEX ge PX 100000",
        "TTL ge",
        "GETEX ge EX 0",
        "GETEX ge EX -1",
        "GETEX ge EX abc",
        "GETEX ge EX 10 PX 10",
        "GETEX ge PERSIST EX 10",
        "GETEX ge FOO",
        "GETEX ge EX",
        "GETEX nope EX 10",
        "GETEX",
        "GETEX ge EXAT 1",
        "EXISTS ge",
        "DECRBY",
        "DECRBY a abc",
        // Keys: rename, copy, touch, object.
        "SET rn v",
        "EXPIRE rn 100",
        "RENAME rn rn2",
        "TTL rn2",
        "EXISTS rn",
        "RENAME rn rn2",
        "RENAME rn2 rn2",
        "RENAME nope nope",
        "SET other o",
        "RENAMENX rn2 other",
        "RENAMENX rn2 rn2",
        "RENAMENX rn2 rn3",
        "RENAMENX nope x",
        "RENAME rn3",
        "COPY rn3 cp",
        "GET cp",
        "TTL cp",
        "COPY rn3 cp",
        "COPY rn3 cp REPLACE",
        "COPY rn3 rn3",
        "COPY nope cp",
        "COPY rn3 cp DB 1",
        "SELECT 1",
        "GET cp",
        "SELECT 0",
        "COPY rn3 rn3 DB 1",
        "COPY rn3 cp DB 99",
        "COPY rn3 cp DB -1",
        "COPY rn3 cp DB abc",
        "COPY rn3 cp DB",
        "COPY rn3 cp FOO",
        "COPY rn3",
        "TOUCH rn3 cp nope rn3",
        "TOUCH",
        "SET oi 12345",
        "OBJECT ENCODING oi",
        "OBJECT ENCODING rn3",
        "SET olong aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "OBJECT ENCODING olong",
        "OBJECT ENCODING nope",
        "OBJECT REFCOUNT oi",
        "OBJECT ENCODING",
        "OBJECT ENCODING a b",
        "OBJECT FOO k",
        "OBJECT",
        // LCS, Redis's own documentation example and edges.
        "MSET l1 ohmytext l2 mynewtext",
        "LCS l1 l2",
        "LCS l1 l2 LEN",
        "LCS l1 l2 IDX",
        "LCS l1 l2 IDX MINMATCHLEN 4",
        "LCS l1 l2 IDX MINMATCHLEN 4 WITHMATCHLEN",
        "LCS l1 l2 IDX WITHMATCHLEN",
        "LCS l1 l2 LEN IDX",
        "LCS l1 nope",
        "LCS nope nope2 IDX",
        "LCS l1 l2 FOO",
        "LCS l1 l2 MINMATCHLEN abc",
        "LCS l1",
        "LASTSAVE x",
        "TIME x",
        "RANDOMKEY x",
        "EXPIRETIME",
        "UNLINK",
    ]
    .into_iter()
    .map(one)
    .collect();
    // Subscribed mode (RESP2): the commands allowed and the error for the others.
    script.extend([
        (vec!["SUBSCRIBE", "c1", "c2"], 2),
        (vec!["PSUBSCRIBE", "p*"], 1),
        (vec!["PING"], 1),
        (vec!["PING", "x"], 1),
        (vec!["GET", "k"], 1),
        (vec!["UNSUBSCRIBE", "c1"], 1),
        (vec!["PUNSUBSCRIBE"], 1),
        (vec!["UNSUBSCRIBE"], 1),
        (vec!["UNSUBSCRIBE"], 1),
        (vec!["PING"], 1),
        (vec!["PUNSUBSCRIBE", "nope"], 1),
    ]);
    script
}

/// Replies to a script, frame by frame, rendered for a readable diff.
fn replies(port: u16, script: &[(Vec<&str>, usize)]) -> Vec<String> {
    let mut raw = Raw::connect(("127.0.0.1", port));
    let mut out = Vec::new();
    for (words, frames) in script {
        let words: Vec<String> = words.iter().map(|w| w.replace('"', "")).collect();
        // `"bad name"` keeps its space as one word.
        let joined = words.join(" ");
        let words: Vec<&str> = if joined.contains("bad name") {
            vec!["CLIENT", "SETNAME", "bad name"]
        } else {
            words.iter().map(String::as_str).collect()
        };
        let bytes: Vec<&[u8]> = words.iter().map(|w| w.as_bytes()).collect();
        raw.send_command(&bytes);
        for _ in 0..*frames {
            let frame = raw
                .frame()
                .map(|f| String::from_utf8_lossy(&f.to_bytes(Protocol::Resp2)).into_owned());
            out.push(format!(
                "{:<40} -> {}",
                words.join(" "),
                frame.unwrap_or_else(|| "(closed)".into())
            ));
        }
    }
    assert!(
        !out.iter().any(|line| line.ends_with("(closed)")),
        "a reply never came from the server on port {port}: {out:#?}"
    );
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn replies_match_redis_server_byte_for_byte() {
    let Some(redis) = tokio::task::spawn_blocking(real_redis).await.unwrap() else {
        println!(
            "note: redis-server is not installed (apt-get install redis-server): comparison skipped"
        );
        return;
    };
    let running = server().await;
    let ours = running.addr.port();
    let theirs = redis.port;
    let (expected, got) = tokio::task::spawn_blocking(move || {
        let script = compat_script();
        (replies(theirs, &script), replies(ours, &script))
    })
    .await
    .unwrap();
    let differences: Vec<String> = expected
        .iter()
        .zip(&got)
        .filter(|(a, b)| a != b)
        .map(|(a, b)| format!("redis-server: {a:?}\n        ours: {b:?}"))
        .collect();
    assert!(
        differences.is_empty(),
        "{} replies differ from redis-server:\n{}",
        differences.len(),
        differences.join("\n")
    );
    assert_eq!(expected.len(), got.len());
    drop(redis);
    running.stop.cancel();
    running.finished().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resp3_replies_match_redis_server() {
    let Some(redis) = tokio::task::spawn_blocking(real_redis).await.unwrap() else {
        println!(
            "note: redis-server is not installed (apt-get install redis-server): comparison skipped"
        );
        return;
    };
    let running = server().await;
    let ours = running.addr.port();
    let theirs = redis.port;
    let script: Vec<(Vec<&str>, usize)> = vec![
        (vec!["HELLO", "3"], 1),
        (vec!["GET", "nope"], 1),
        (vec!["SET", "k", "v"], 1),
        (vec!["MGET", "k", "nope"], 1),
        (vec!["CONFIG", "GET", "maxmemory"], 1),
        (vec!["SUBSCRIBE", "c"], 1),
        (vec!["PING"], 1),
        (vec!["GET", "k"], 1),
        (vec!["UNSUBSCRIBE"], 1),
        (vec!["HELLO", "2"], 1),
        (vec!["GET", "nope"], 1),
    ];
    let (expected, got) = tokio::task::spawn_blocking(move || {
        let render = |port| {
            let mut lines = replies(port, &script);
            // HELLO's map has the server's own version and client id.
            for line in &mut lines {
                if line.starts_with("HELLO") {
                    *line = "HELLO (map)".into();
                }
            }
            lines
        };
        (render(theirs), render(ours))
    })
    .await
    .unwrap();
    assert_eq!(got, expected, "RESP3 replies differ from redis-server");
    drop(redis);
    running.stop.cancel();
    running.finished().await;
}
