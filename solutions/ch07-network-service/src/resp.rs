//! Reference solution for `resp`: an incremental RESP2 parser and encoder.

use bytes::{BufMut, Bytes, BytesMut};
use std::fmt;

// ANCHOR: frame
/// One RESP value. Requests are arrays of bulk strings; replies can be any of
/// these. `Map` and `Push` exist in RESP3 only: in RESP2 a map is sent as a
/// flat array of key, value, key, value... and a push as a plain array.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Frame {
    /// `+OK\r\n`: a short status line, never containing CR or LF.
    Simple(String),
    /// `-ERR message\r\n`: the first word is the error's kind.
    Error(String),
    /// `:42\r\n`
    Integer(i64),
    /// `$5\r\nhello\r\n`: binary-safe, length-prefixed.
    Bulk(Bytes),
    /// The null bulk string, `$-1\r\n` (RESP3 `_\r\n`): GET of a missing key.
    Null,
    /// The null array, `*-1\r\n` (RESP3 `_\r\n`).
    NullArray,
    /// `*2\r\n...`: any frames, nested arrays included.
    Array(Vec<Frame>),
    /// RESP3 `%n\r\n` followed by n key/value pairs.
    Map(Vec<(Frame, Frame)>),
    /// RESP3 `>n\r\n`: out-of-band data such as a pub/sub message.
    Push(Vec<Frame>),
}
// ANCHOR_END: frame

/// Which protocol a connection speaks: RESP2 until the client sends `HELLO 3`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Resp2,
    Resp3,
}

// ANCHOR: limits
/// What the parser accepts before it calls the input malformed. Without
/// limits a 10-byte header (`$999999999999\r\n`) could make the server
/// reserve any amount of memory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// The longest bulk string (Redis's `proto-max-bulk-len`, 512 MiB).
    pub max_bulk_len: usize,
    /// The most elements in one array (Redis accepts up to `i32::MAX`; we stop at 1 Mi).
    pub max_array_len: usize,
    /// The longest line (`+...`, `-...`, `:...`, a `*`/`$` header, an inline
    /// command) still without its CRLF before the input is rejected (64 KiB).
    pub max_line_len: usize,
    /// How deeply arrays may nest. Each level is a recursive call: without a
    /// cap, `*1\r\n` repeated a million times overflows the stack.
    pub max_depth: usize,
}

impl Limits {
    /// The defaults: Redis's own bulk and line limits, and our caps on array
    /// length and nesting (Redis has none this tight; see the fields).
    pub const REDIS: Limits = Limits {
        max_bulk_len: 512 * 1024 * 1024,
        max_array_len: 1024 * 1024,
        max_line_len: 64 * 1024,
        max_depth: 32,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::REDIS
    }
}
// ANCHOR_END: limits

// ANCHOR: protocol_error
/// Why some input is not RESP. `Display` gives Redis's own wording; the
/// server replies `-ERR <that>` and closes the connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProtocolError {
    /// A `*` count that is not a number, is below -1, or is above `max_array_len`.
    InvalidMultibulkLength,
    /// A `$` length that is not a number, is below -1, or is above `max_bulk_len`.
    InvalidBulkLength,
    /// A `:` line that is not a 64-bit integer.
    InvalidInteger,
    /// A frame starting with a byte that is no RESP type (`+ - : $ *`).
    UnexpectedByte(u8),
    /// A bulk string whose data is not followed by `\r\n`.
    MissingCrlf,
    /// No `\r\n` within `max_line_len` bytes. The byte is the line's type
    /// (`b'*'`, `b'$'`, ...) or `0` for an inline command.
    LineTooLong(u8),
    /// Arrays nested deeper than `max_depth`.
    TooDeep,
    /// An inline command with a quote that is never closed.
    UnbalancedQuotes,
}

impl fmt::Display for ProtocolError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Protocol error: ")?;
        match self {
            ProtocolError::InvalidMultibulkLength => f.write_str("invalid multibulk length"),
            ProtocolError::InvalidBulkLength => f.write_str("invalid bulk length"),
            ProtocolError::InvalidInteger => f.write_str("invalid integer"),
            ProtocolError::UnexpectedByte(byte) => {
                write!(f, "expected '$', got '{}'", *byte as char)
            }
            ProtocolError::MissingCrlf => f.write_str("expected CRLF after bulk data"),
            ProtocolError::LineTooLong(b'*') => f.write_str("too big mbulk count string"),
            ProtocolError::LineTooLong(b'$') => f.write_str("too big bulk count string"),
            ProtocolError::LineTooLong(0) => f.write_str("too big inline request"),
            ProtocolError::LineTooLong(_) => f.write_str("too big line"),
            ProtocolError::TooDeep => f.write_str("arrays nested too deeply"),
            ProtocolError::UnbalancedQuotes => f.write_str("unbalanced quotes in request"),
        }
    }
}

impl std::error::Error for ProtocolError {}
// ANCHOR_END: protocol_error

/// Why parsing stopped: the frame is not all there yet, or it never will be.
enum Stop {
    Incomplete,
    Bad(ProtocolError),
}

impl From<ProtocolError> for Stop {
    fn from(error: ProtocolError) -> Self {
        Stop::Bad(error)
    }
}

// ANCHOR: parse_signature
/// Parses one frame from the start of `buf`.
///
/// Returns `Ok(Some((frame, used)))` when a whole frame is there (`used` is
/// its length in bytes; more frames may follow it), `Ok(None)` when `buf`
/// holds only the beginning of a frame (read more and call again), and
/// `Err` as soon as the bytes seen so far cannot start a valid frame (even
/// if the rest has not arrived).
pub fn parse(buf: &[u8], limits: &Limits) -> Result<Option<(Frame, usize)>, ProtocolError> {
    // ANCHOR_END: parse_signature
    let mut cursor = Cursor {
        buf,
        pos: 0,
        limits,
    };
    match cursor.frame(0) {
        Ok(frame) => Ok(Some((frame, cursor.pos))),
        Err(Stop::Incomplete) => Ok(None),
        Err(Stop::Bad(error)) => Err(error),
    }
}

/// A read position in the input; every method either consumes a complete
/// piece or returns `Stop`, and the caller throws the cursor away.
struct Cursor<'a> {
    buf: &'a [u8],
    pos: usize,
    limits: &'a Limits,
}

impl Cursor<'_> {
    fn frame(&mut self, depth: usize) -> Result<Frame, Stop> {
        let Some(&kind) = self.buf.get(self.pos) else {
            return Err(Stop::Incomplete);
        };
        self.pos += 1;
        match kind {
            b'+' => Ok(Frame::Simple(self.text_line(kind)?)),
            b'-' => Ok(Frame::Error(self.text_line(kind)?)),
            b':' => {
                let line = self.line(kind)?;
                parse_i64(line)
                    .map(Frame::Integer)
                    .ok_or(ProtocolError::InvalidInteger.into())
            }
            b'$' => self.bulk(),
            b'*' => self.array(depth),
            other => Err(ProtocolError::UnexpectedByte(other).into()),
        }
    }

    /// The bytes up to the next CRLF, which is consumed too.
    fn line(&mut self, kind: u8) -> Result<&[u8], Stop> {
        let rest = &self.buf[self.pos..];
        match rest.windows(2).position(|pair| pair == b"\r\n") {
            Some(end) if end <= self.limits.max_line_len => {
                self.pos += end + 2;
                Ok(&rest[..end])
            }
            // A CR-LF too far away, or none yet and already too much waiting.
            Some(_) => Err(ProtocolError::LineTooLong(kind).into()),
            None if rest.len() > self.limits.max_line_len => {
                Err(ProtocolError::LineTooLong(kind).into())
            }
            None => Err(Stop::Incomplete),
        }
    }

    fn text_line(&mut self, kind: u8) -> Result<String, Stop> {
        let line = self.line(kind)?;
        Ok(String::from_utf8_lossy(line).into_owned())
    }

    /// A length header: a number from -1 up to `max`, or `invalid`.
    fn length(
        &mut self,
        kind: u8,
        max: usize,
        invalid: ProtocolError,
    ) -> Result<Option<usize>, Stop> {
        let line = self.line(kind)?;
        match parse_i64(line) {
            Some(-1) => Ok(None),
            Some(n) if n >= 0 && n as u64 <= max as u64 => Ok(Some(n as usize)),
            _ => Err(invalid.into()),
        }
    }

    fn bulk(&mut self) -> Result<Frame, Stop> {
        let max = self.limits.max_bulk_len;
        let Some(len) = self.length(b'$', max, ProtocolError::InvalidBulkLength)? else {
            return Ok(Frame::Null);
        };
        let rest = &self.buf[self.pos..];
        if rest.len() < len + 2 {
            // Check the terminator as soon as its first byte is there.
            if rest.len() > len && rest[len] != b'\r' {
                return Err(ProtocolError::MissingCrlf.into());
            }
            return Err(Stop::Incomplete);
        }
        if &rest[len..len + 2] != b"\r\n" {
            return Err(ProtocolError::MissingCrlf.into());
        }
        let data = Bytes::copy_from_slice(&rest[..len]);
        self.pos += len + 2;
        Ok(Frame::Bulk(data))
    }

    fn array(&mut self, depth: usize) -> Result<Frame, Stop> {
        if depth >= self.limits.max_depth {
            return Err(ProtocolError::TooDeep.into());
        }
        let max = self.limits.max_array_len;
        let Some(count) = self.length(b'*', max, ProtocolError::InvalidMultibulkLength)? else {
            return Ok(Frame::NullArray);
        };
        // Never trust the count for an allocation: `*1000000\r\n` is 10 bytes.
        let mut items = Vec::with_capacity(count.min(64));
        for _ in 0..count {
            items.push(self.frame(depth + 1)?);
        }
        Ok(Frame::Array(items))
    }
}

/// A decimal `i64` by Redis's rules: no `+`, no leading zeros, no spaces.
fn parse_i64(text: &[u8]) -> Option<i64> {
    crate::num::parse_i64(text)
}

// ANCHOR: encode
impl Frame {
    /// Appends this frame's bytes to `out`, in the connection's protocol.
    pub fn encode(&self, protocol: Protocol, out: &mut BytesMut) {
        match (self, protocol) {
            // RESP3's own types, given: the exercise is the RESP2 part below.
            (Frame::Null | Frame::NullArray, Protocol::Resp3) => out.put_slice(b"_\r\n"),
            (Frame::Map(pairs), Protocol::Resp3) => {
                header(out, b'%', pairs.len());
                for (key, value) in pairs {
                    key.encode(protocol, out);
                    value.encode(protocol, out);
                }
            }
            (Frame::Push(items), Protocol::Resp3) => {
                header(out, b'>', items.len());
                for item in items {
                    item.encode(protocol, out);
                }
            }
            (frame, _) => frame.encode_resp2(protocol, out),
        }
    }
    // ANCHOR_END: encode

    // ANCHOR: encode_resp2
    /// The RESP2 encoding; nested frames are encoded with `protocol`.
    fn encode_resp2(&self, protocol: Protocol, out: &mut BytesMut) {
        // ANCHOR_END: encode_resp2
        match self {
            Frame::Simple(text) => line(out, b'+', text.as_bytes()),
            Frame::Error(text) => line(out, b'-', text.as_bytes()),
            Frame::Integer(n) => line(out, b':', n.to_string().as_bytes()),
            Frame::Bulk(data) => {
                header(out, b'$', data.len());
                out.put_slice(data);
                out.put_slice(b"\r\n");
            }
            Frame::Null => out.put_slice(b"$-1\r\n"),
            Frame::NullArray => out.put_slice(b"*-1\r\n"),
            Frame::Array(items) | Frame::Push(items) => {
                header(out, b'*', items.len());
                for item in items {
                    item.encode(protocol, out);
                }
            }
            Frame::Map(pairs) => {
                header(out, b'*', pairs.len() * 2);
                for (key, value) in pairs {
                    key.encode(protocol, out);
                    value.encode(protocol, out);
                }
            }
        }
    }

    /// The frame's bytes in a fresh buffer (handy in tests).
    pub fn to_bytes(&self, protocol: Protocol) -> Bytes {
        let mut out = BytesMut::new();
        self.encode(protocol, &mut out);
        out.freeze()
    }
}

/// `<kind><count>\r\n`, the start of a bulk string, array, map or push.
fn header(out: &mut BytesMut, kind: u8, count: usize) {
    line(out, kind, count.to_string().as_bytes());
}

/// `<kind><text>\r\n`.
fn line(out: &mut BytesMut, kind: u8, text: &[u8]) {
    out.put_u8(kind);
    out.put_slice(text);
    out.put_slice(b"\r\n");
}
