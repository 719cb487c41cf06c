// wrong: one write call is assumed to take the whole output buffer, so the bytes a short write did not take are dropped
//! # Exercise `connection`: requests in, replies out, over one byte stream
//!
//! Fill in `Connection`: `read_request` cuts requests out of a growing read
//! buffer (reading more only when no complete request is left), `write_frame`
//! queues replies in an output buffer, and `flush` writes them however many
//! partial writes it takes. Flush before waiting for input, not after each
//! reply: a pipelined batch then costs one write. Also set `TCP_NODELAY`.
//!
//! Book: chapter 7, "Step 2: a connection that pipelines". Check: `cargo workbook check connection`.

use crate::request;
use crate::resp::{Frame, Limits, Protocol, ProtocolError};
use bytes::{Buf, Bytes, BytesMut};
use std::fmt;
use std::io;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;

// ANCHOR: config
/// When replies leave the output buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum FlushPolicy {
    /// Flush only when no complete request is left to answer: a pipelined
    /// batch of 100 requests gets its 100 replies in one write.
    #[default]
    WhenIdle,
    /// Flush after every reply (mini-redis's behaviour): one write system
    /// call, and without `TCP_NODELAY` one small packet, per reply.
    PerReply,
}

/// How a connection buffers and frames.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ConnConfig {
    pub limits: Limits,
    /// The most unanswered input kept (Redis's `client-query-buffer-limit`,
    /// 1 GiB): a client that sends more without completing a request is cut off.
    pub max_buffer: usize,
    /// Above this many bytes of pending replies, write them out even in the
    /// middle of a batch, so a huge pipeline cannot grow the output forever.
    pub output_high_water: usize,
    pub flush: FlushPolicy,
}

impl Default for ConnConfig {
    fn default() -> Self {
        ConnConfig {
            limits: Limits::REDIS,
            max_buffer: 1024 * 1024 * 1024,
            output_high_water: 64 * 1024,
            flush: FlushPolicy::WhenIdle,
        }
    }
}
// ANCHOR_END: config

// ANCHOR: conn_error
/// Why `read_request` gave up on a connection.
#[derive(Debug)]
pub enum ConnError {
    /// The socket failed (reset by the peer, ...).
    Io(io::Error),
    /// The input is not RESP: reply `-ERR <error>`, then close.
    Protocol(ProtocolError),
    /// `max_buffer` bytes arrived without a complete request: close.
    BufferFull,
    /// The peer closed the connection in the middle of a request.
    Truncated,
}

impl fmt::Display for ConnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnError::Io(error) => write!(f, "i/o error: {error}"),
            ConnError::Protocol(error) => write!(f, "{error}"),
            ConnError::BufferFull => {
                f.write_str("closing client that reached max query buffer length")
            }
            ConnError::Truncated => f.write_str("connection closed in the middle of a request"),
        }
    }
}

impl From<io::Error> for ConnError {
    fn from(error: io::Error) -> Self {
        ConnError::Io(error)
    }
}

impl From<ProtocolError> for ConnError {
    fn from(error: ProtocolError) -> Self {
        ConnError::Protocol(error)
    }
}
// ANCHOR_END: conn_error

// ANCHOR: connection
/// One client's connection: the stream, what was read but not yet parsed,
/// and the replies not yet written.
///
/// Both buffers live in the struct, not in local variables of an `async fn`,
/// so `read_request` and `flush` are cancellation-safe: if a `select!`
/// drops them half-way, whatever they read or wrote so far is recorded here
/// and the next call carries on.
pub struct Connection<S> {
    stream: S,
    input: BytesMut,
    output: BytesMut,
    config: ConnConfig,
    protocol: Protocol,
}
// ANCHOR_END: connection

impl<S: AsyncRead + AsyncWrite + Unpin> Connection<S> {
    pub fn new(stream: S, config: ConnConfig) -> Self {
        Connection {
            stream,
            input: BytesMut::with_capacity(4096),
            output: BytesMut::with_capacity(4096),
            config,
            protocol: Protocol::Resp2,
        }
    }

    // ANCHOR: read_request
    /// The next request's words, `Ok(None)` when the client closed the
    /// connection cleanly between requests.
    ///
    /// Pending replies are flushed before waiting for more input, and only
    /// then: that is the whole flush policy (plus `PerReply` and the high
    /// water mark in `write_frame`).
    pub async fn read_request(&mut self) -> Result<Option<Vec<Bytes>>, ConnError> {
        // ANCHOR_END: read_request
        loop {
            if let Some((args, used)) = request::next_request(&self.input, &self.config.limits)? {
                self.input.advance(used);
                if args.is_empty() {
                    continue;
                }
                return Ok(Some(args));
            }
            if self.input.len() >= self.config.max_buffer {
                return Err(ConnError::BufferFull);
            }
            self.flush().await?;
            if self.stream.read_buf(&mut self.input).await? == 0 {
                if self.input.is_empty() {
                    return Ok(None);
                }
                return Err(ConnError::Truncated);
            }
        }
    }

    // ANCHOR: write_frame
    /// Queues a reply. It is written at the next `flush`, which
    /// `read_request` does once the batch is answered; `PerReply` and a full
    /// output buffer write it at once.
    pub async fn write_frame(&mut self, frame: &Frame) -> io::Result<()> {
        // ANCHOR_END: write_frame
        frame.encode(self.protocol, &mut self.output);
        if self.config.flush == FlushPolicy::PerReply
            || self.output.len() >= self.config.output_high_water
        {
            self.flush().await?;
        }
        Ok(())
    }

    // ANCHOR: flush
    /// Writes every queued reply, however many partial writes that takes,
    /// then flushes the stream.
    pub async fn flush(&mut self) -> io::Result<()> {
        // ANCHOR_END: flush
        if self.output.is_empty() {
            return Ok(());
        }
        let n = self.stream.write(&self.output).await?;
        if n == 0 {
            return Err(io::ErrorKind::WriteZero.into());
        }
        self.output.clear();
        self.stream.flush().await
    }

    /// The protocol replies are encoded in (`HELLO 3` switches to RESP3).
    pub fn protocol(&self) -> Protocol {
        self.protocol
    }

    pub fn set_protocol(&mut self, protocol: Protocol) {
        self.protocol = protocol;
    }

    /// Bytes read but not yet consumed by a request.
    pub fn buffered_input(&self) -> usize {
        self.input.len()
    }

    /// Bytes of replies queued but not yet written.
    pub fn pending_output(&self) -> usize {
        self.output.len()
    }

    /// The stream, for tests and for shutting it down.
    pub fn get_mut(&mut self) -> &mut S {
        &mut self.stream
    }
}

// ANCHOR: tune_socket
/// Sets a freshly accepted socket up for request/reply traffic.
///
/// `TCP_NODELAY` turns off Nagle's algorithm, which holds back a small
/// segment while an earlier one is unacknowledged; together with the
/// client's delayed ACKs, that costs up to 40 ms per reply on Linux.
pub fn tune_socket(stream: &TcpStream) -> io::Result<()> {
    // ANCHOR_END: tune_socket
    stream.set_nodelay(true)
}
