// wrong: a RESP2 map is announced with its number of pairs, not its 2n flat elements
//! # Exercise `resp`: an incremental RESP2 parser and encoder
//!
//! Write `parse`, which reads one frame from the start of a byte buffer and
//! says `Ok(None)` when the frame has not fully arrived yet (so split and
//! pipelined reads both work), and the RESP2 half of `Frame::encode`. Reject
//! malformed input with the right `ProtocolError` as soon as you see it, and
//! never let a length header make you allocate or recurse without limit.
//!
//! Book: chapter 7, "Step 1: frames on a byte stream". Check: `cargo workbook check resp`.

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
    /// The limits a real Redis server applies.
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
    parse_at(buf, limits, 1)
}

/// Finds the CRLF ending the line that starts at `buf[1]`, enforcing `max_line_len`.
fn line_end(buf: &[u8], limits: &Limits) -> Result<Option<usize>, ProtocolError> {
    match buf[1..].windows(2).position(|pair| pair == b"\r\n") {
        Some(pos) if pos <= limits.max_line_len => Ok(Some(pos + 1)),
        Some(_) => Err(ProtocolError::LineTooLong(buf[0])),
        None if buf.len() - 1 > limits.max_line_len => Err(ProtocolError::LineTooLong(buf[0])),
        None => Ok(None),
    }
}

fn parse_at(
    buf: &[u8],
    limits: &Limits,
    depth: usize,
) -> Result<Option<(Frame, usize)>, ProtocolError> {
    let Some(&kind) = buf.first() else {
        return Ok(None);
    };
    if !matches!(kind, b'+' | b'-' | b':' | b'$' | b'*') {
        return Err(ProtocolError::UnexpectedByte(kind));
    }
    if kind == b'*' && depth > limits.max_depth {
        return Err(ProtocolError::TooDeep);
    }
    let Some(end) = line_end(buf, limits)? else {
        return Ok(None);
    };
    let text = &buf[1..end];
    let after = end + 2;
    match kind {
        b'+' => Ok(Some((
            Frame::Simple(String::from_utf8_lossy(text).into_owned()),
            after,
        ))),
        b'-' => Ok(Some((
            Frame::Error(String::from_utf8_lossy(text).into_owned()),
            after,
        ))),
        b':' => {
            let n = crate::num::parse_i64(text).ok_or(ProtocolError::InvalidInteger)?;
            Ok(Some((Frame::Integer(n), after)))
        }
        b'$' => {
            let len = crate::num::parse_i64(text).ok_or(ProtocolError::InvalidBulkLength)?;
            if len == -1 {
                return Ok(Some((Frame::Null, after)));
            }
            if len < 0 || len as u64 > limits.max_bulk_len as u64 {
                return Err(ProtocolError::InvalidBulkLength);
            }
            let len = len as usize;
            if buf.len() < after + len + 2 {
                if buf.len() > after + len && buf[after + len] != b'\r' {
                    return Err(ProtocolError::MissingCrlf);
                }
                return Ok(None);
            }
            if &buf[after + len..after + len + 2] != b"\r\n" {
                return Err(ProtocolError::MissingCrlf);
            }
            let data = Bytes::copy_from_slice(&buf[after..after + len]);
            Ok(Some((Frame::Bulk(data), after + len + 2)))
        }
        _ => {
            let count = crate::num::parse_i64(text).ok_or(ProtocolError::InvalidMultibulkLength)?;
            if count == -1 {
                return Ok(Some((Frame::NullArray, after)));
            }
            if count < 0 || count as u64 > limits.max_array_len as u64 {
                return Err(ProtocolError::InvalidMultibulkLength);
            }
            let mut items = Vec::new();
            let mut pos = after;
            for _ in 0..count {
                match parse_at(&buf[pos..], limits, depth + 1)? {
                    Some((item, used)) => {
                        items.push(item);
                        pos += used;
                    }
                    None => return Ok(None),
                }
            }
            Ok(Some((Frame::Array(items), pos)))
        }
    }
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
                header(out, b'*', pairs.len());
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
