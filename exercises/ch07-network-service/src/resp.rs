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
    // TODO: read the type byte, then the frame: `+`/`-` a line up to CRLF, `:` an i64
    // (numbers and lengths by Redis's strict rules: `crate::num::parse_i64`),
    // `$len` then `len` bytes then CRLF (`$-1` is `Frame::Null`), `*count` then that many
    // frames (`*-1` is `Frame::NullArray`). Return Ok(None) whenever the buffer ends early,
    // and check each limit (`max_line_len`, `max_bulk_len`, `max_array_len`, `max_depth`)
    // before the bytes it guards have arrived. Don't `Vec::with_capacity(count)` a count
    // you have not checked: it comes from the network.
    todo!()
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
        // TODO: `+text\r\n`, `-text\r\n`, `:n\r\n`, `$len\r\n` + bytes + `\r\n`, `$-1\r\n` for Null,
        // `*-1\r\n` for NullArray, `*n\r\n` + each item (`item.encode(protocol, out)`) for Array and
        // Push, and a Map as an array of 2n items: key, value, key, value... The helpers
        // `header` and `line` below write the `<kind><number>\r\n` parts.
        todo!()
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
