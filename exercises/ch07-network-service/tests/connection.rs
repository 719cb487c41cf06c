// Tests for exercise `connection` (chapter 7, "Step 2: a connection that pipelines").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// The connection runs over `mock::MockStream`, which hands out scripted
// chunks and counts every write and flush, so "one write per pipelined batch"
// is checked exactly. A read that would wait forever is cut by a timeout on
// tokio's paused clock.

use bytes::Bytes;
use ch07_exercises::connection::{ConnConfig, ConnError, Connection, FlushPolicy, tune_socket};
use ch07_exercises::mock::{MockStream, Then};
use ch07_exercises::resp::{Frame, Protocol, ProtocolError};
use std::time::Duration;

fn words(args: &[&str]) -> Vec<Bytes> {
    args.iter()
        .map(|a| Bytes::copy_from_slice(a.as_bytes()))
        .collect()
}

fn ping() -> Vec<u8> {
    b"*1\r\n$4\r\nPING\r\n".to_vec()
}

fn pong() -> Frame {
    Frame::Simple("PONG".into())
}

fn connection(stream: MockStream) -> Connection<MockStream> {
    Connection::new(stream, ConnConfig::default())
}

/// Answers every request with PONG until the client closes; returns how many.
async fn answer_all(conn: &mut Connection<MockStream>) -> usize {
    let mut answered = 0;
    while let Some(request) = conn.read_request().await.expect("valid input") {
        assert_eq!(request, words(&["PING"]), "each request is one PING");
        conn.write_frame(&pong()).await.unwrap();
        answered += 1;
    }
    answered
}

#[tokio::test(start_paused = true)]
async fn a_pipelined_batch_is_answered_in_one_write() {
    let (stream, log) = MockStream::new([ping().repeat(100)], Then::Eof);
    let mut conn = connection(stream);
    assert_eq!(
        answer_all(&mut conn).await,
        100,
        "100 pipelined PINGs are 100 requests"
    );
    assert_eq!(
        log.written(),
        b"+PONG\r\n".repeat(100),
        "every reply, in order"
    );
    assert_eq!(
        log.writes(),
        1,
        "100 requests that arrived together should be answered with one write, but it took {} writes: \
         do you flush after every reply? Flush only when no complete request is left in the buffer \
         (that is, just before reading more)",
        log.writes()
    );
}

#[tokio::test(start_paused = true)]
async fn replies_are_flushed_before_waiting_for_more_input() {
    let (stream, log) = MockStream::new([ping()], Then::Wait);
    let mut conn = connection(stream);
    assert_eq!(conn.read_request().await.unwrap(), Some(words(&["PING"])));
    conn.write_frame(&pong()).await.unwrap();
    let waited = tokio::time::timeout(Duration::from_secs(60), conn.read_request()).await;
    assert!(
        waited.is_err(),
        "no second request comes, so read_request waits"
    );
    assert_eq!(
        log.written_when_waiting().first(),
        Some(&7),
        "when read_request went to wait for the next request, the client had received {:?} bytes of \
         replies, expected the 7 bytes of +PONG: flush the queued replies before awaiting the socket, \
         or the client waits for its reply while the server waits for the next request",
        log.written_when_waiting()
    );
}

#[tokio::test(start_paused = true)]
async fn a_request_split_byte_by_byte_is_read_whole() {
    let input = b"*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$7\r\nhel\r\nlo\r\nPING\r\n\r\nECHO \"a b\"\r\n";
    let (stream, _log) = MockStream::byte_by_byte(input, Then::Eof);
    let mut conn = connection(stream);
    let mut requests = Vec::new();
    while let Some(request) = conn.read_request().await.expect("valid input") {
        requests.push(request);
    }
    assert_eq!(
        requests,
        vec![
            words(&["SET", "k", "hel\r\nlo"]),
            words(&["PING"]),
            words(&["ECHO", "a b"])
        ],
        "a request arriving one byte per read must come out whole, once; inline commands (PING\\r\\n) \
         are requests too, and an empty line is skipped"
    );
}

#[tokio::test(start_paused = true)]
async fn bytes_after_a_request_stay_for_the_next_one() {
    let all = [ping(), b"*2\r\n$4\r\nECHO\r\n$2\r\nhi\r\n".to_vec()].concat();
    let (first, second) = all.split_at(20);
    let (stream, _log) = MockStream::new([first.to_vec(), second.to_vec()], Then::Eof);
    let mut conn = connection(stream);
    assert_eq!(conn.read_request().await.unwrap(), Some(words(&["PING"])));
    assert_eq!(
        conn.read_request().await.unwrap(),
        Some(words(&["ECHO", "hi"])),
        "the read that delivered PING also delivered the start of ECHO: those bytes must stay in the \
         buffer (advance past the request, do not clear the buffer)"
    );
    assert_eq!(
        conn.read_request().await.unwrap(),
        None,
        "then a clean end of the stream"
    );
}

#[tokio::test(start_paused = true)]
async fn partial_writes_are_completed() {
    let (stream, log) = MockStream::new([ping().repeat(3)], Then::Eof);
    let mut conn = Connection::new(stream.max_write(5), ConnConfig::default());
    let big = Frame::Bulk(Bytes::from(vec![b'x'; 1000]));
    let mut expected = Vec::new();
    while let Some(_request) = conn.read_request().await.unwrap() {
        conn.write_frame(&big).await.unwrap();
        expected.extend_from_slice(&big.to_bytes(Protocol::Resp2));
    }
    assert_eq!(
        log.written().len(),
        expected.len(),
        "the stream accepts only 5 bytes per write: keep writing until everything queued is out \
         (a single `write` call is not enough)"
    );
    assert_eq!(log.written(), expected, "and in order");
}

#[tokio::test(start_paused = true)]
async fn a_clean_close_is_none_a_close_mid_request_is_truncated() {
    let (stream, _log) = MockStream::new([ping()], Then::Eof);
    let mut conn = connection(stream);
    conn.read_request().await.unwrap();
    assert!(
        matches!(conn.read_request().await, Ok(None)),
        "the client closed between requests: read_request must return Ok(None)"
    );
    let (stream, _log) = MockStream::new([b"*2\r\n$3\r\nGET\r\n".to_vec()], Then::Eof);
    let mut conn = connection(stream);
    let got = conn.read_request().await;
    assert!(
        matches!(got, Err(ConnError::Truncated)),
        "the client closed half-way through a request: expected ConnError::Truncated, got {got:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn a_protocol_error_comes_after_the_good_requests_before_it() {
    let input = [ping(), b"*1\r\n$-5\r\n".to_vec()].concat();
    let (stream, _log) = MockStream::new([input], Then::Wait);
    let mut conn = connection(stream);
    assert_eq!(
        conn.read_request().await.unwrap(),
        Some(words(&["PING"])),
        "the good request first"
    );
    let got = tokio::time::timeout(Duration::from_secs(60), conn.read_request()).await;
    assert!(
        matches!(
            got,
            Ok(Err(ConnError::Protocol(ProtocolError::InvalidBulkLength)))
        ),
        "then the malformed one is an error at once (no waiting for more input): got {got:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn the_read_buffer_is_capped() {
    let mut chunks = vec![b"*1\r\n$100000\r\n".to_vec()];
    chunks.extend(std::iter::repeat_n(vec![b'a'; 100], 50));
    let (stream, _log) = MockStream::new(chunks, Then::Wait);
    let config = ConnConfig {
        max_buffer: 1024,
        ..ConnConfig::default()
    };
    let mut conn = Connection::new(stream, config);
    let got = tokio::time::timeout(Duration::from_secs(60), conn.read_request()).await;
    assert!(
        matches!(got, Ok(Err(ConnError::BufferFull))),
        "a client sent more than max_buffer (1024) bytes without completing a request: expected \
         ConnError::BufferFull, got {got:?}"
    );
    assert!(
        conn.buffered_input() <= 1024 + 100,
        "the buffer held {} bytes: stop reading once it reaches max_buffer",
        conn.buffered_input()
    );
}

#[tokio::test(start_paused = true)]
async fn per_reply_policy_writes_each_reply_at_once() {
    let (stream, log) = MockStream::new([ping().repeat(3)], Then::Eof);
    let config = ConnConfig {
        flush: FlushPolicy::PerReply,
        ..ConnConfig::default()
    };
    let mut conn = Connection::new(stream, config);
    assert_eq!(answer_all(&mut conn).await, 3);
    assert_eq!(
        log.writes(),
        3,
        "FlushPolicy::PerReply (the --flush-per-reply knob) writes every reply at once: expected 3 writes, got {}",
        log.writes()
    );
}

#[tokio::test(start_paused = true)]
async fn a_long_batch_is_written_out_in_parts() {
    let (stream, log) = MockStream::new([ping().repeat(50)], Then::Eof);
    let config = ConnConfig {
        output_high_water: 100,
        ..ConnConfig::default()
    };
    let mut conn = Connection::new(stream, config);
    assert_eq!(answer_all(&mut conn).await, 50);
    assert_eq!(
        log.written(),
        b"+PONG\r\n".repeat(50),
        "every reply, in order"
    );
    assert!(
        log.writes() >= 3,
        "350 bytes of replies with an output high-water mark of 100 bytes should be written in at least \
         3 parts (got {} writes): a huge pipeline must not grow the output buffer without bound",
        log.writes()
    );
}

#[tokio::test(start_paused = true)]
async fn replies_use_the_connections_protocol() {
    let (stream, log) = MockStream::new([ping()], Then::Eof);
    let mut conn = connection(stream);
    conn.read_request().await.unwrap();
    conn.set_protocol(Protocol::Resp3);
    conn.write_frame(&Frame::Null).await.unwrap();
    conn.write_frame(&Frame::Map(vec![(Frame::Integer(1), Frame::Integer(2))]))
        .await
        .unwrap();
    conn.flush().await.unwrap();
    assert_eq!(
        log.written(),
        b"_\r\n%1\r\n:1\r\n:2\r\n".to_vec(),
        "after set_protocol(Resp3), frames are encoded in RESP3"
    );
}

#[tokio::test]
async fn accepted_sockets_get_tcp_nodelay() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let client = tokio::net::TcpStream::connect(addr).await.unwrap();
    let (server_side, _) = listener.accept().await.unwrap();
    assert!(
        !server_side.nodelay().unwrap(),
        "sockets start with Nagle's algorithm on"
    );
    tune_socket(&server_side).unwrap();
    assert!(
        server_side.nodelay().unwrap(),
        "tune_socket must set TCP_NODELAY: without it, small replies wait for the client's delayed ACK \
         (up to 40 ms each on Linux)"
    );
    drop(client);
}
