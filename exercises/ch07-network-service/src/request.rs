//! Given code: cutting the next request out of a connection's read buffer.
//!
//! A request is either a RESP array of bulk strings (what client libraries
//! send) or an *inline* command, one line of space-separated words (what you
//! type into `telnet`, and what `redis-benchmark -t ping_inline` sends).
//! Redis tells them apart by the first byte: `*` starts an array, anything
//! else a line. The array case uses your `resp::parse`; the rules here follow
//! Redis's `processMultibulkBuffer` and `processInlineBuffer`.

use crate::resp::{self, Frame, Limits, ProtocolError};
use bytes::Bytes;

// ANCHOR: next_request
/// The next request at the start of `buf`: `Ok(Some((args, used)))` with the
/// request's words and the bytes it took, `Ok(None)` if it is incomplete.
/// `args` can be empty (an empty line, `*0`, `*-1`): consume `used` bytes
/// and answer nothing, as Redis does.
pub fn next_request(
    buf: &[u8],
    limits: &Limits,
) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
    match buf.first() {
        None => Ok(None),
        Some(b'*') => multibulk(buf, limits),
        Some(_) => inline(buf, limits),
    }
}
// ANCHOR_END: next_request

fn multibulk(buf: &[u8], limits: &Limits) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
    // Redis skips `*0` and any negative count without a reply.
    if let Some(end) = find_crlf(buf)
        && let Some(count) = std::str::from_utf8(&buf[1..end])
            .ok()
            .and_then(|s| s.parse::<i64>().ok())
        && count <= 0
    {
        return Ok(Some((Vec::new(), end + 2)));
    }
    // A request cannot nest arrays: depth 1 means "this array only".
    let request_limits = Limits {
        max_depth: 1,
        ..*limits
    };
    let (frame, used) = match resp::parse(buf, &request_limits) {
        Ok(Some(parsed)) => parsed,
        Ok(None) => return Ok(None),
        Err(ProtocolError::TooDeep) => return Err(ProtocolError::UnexpectedByte(b'*')),
        Err(other) => return Err(other),
    };
    let Frame::Array(items) = frame else {
        return Err(ProtocolError::InvalidMultibulkLength);
    };
    let mut args = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Frame::Bulk(data) => args.push(data),
            Frame::Null => return Err(ProtocolError::InvalidBulkLength),
            other => return Err(ProtocolError::UnexpectedByte(type_byte(&other))),
        }
    }
    Ok(Some((args, used)))
}

/// The byte a frame starts with on the wire, for "expected '$', got '+'".
fn type_byte(frame: &Frame) -> u8 {
    match frame {
        Frame::Simple(_) => b'+',
        Frame::Error(_) => b'-',
        Frame::Integer(_) => b':',
        Frame::Bulk(_) | Frame::Null => b'$',
        Frame::Array(_) | Frame::NullArray => b'*',
        Frame::Map(_) => b'%',
        Frame::Push(_) => b'>',
    }
}

fn find_crlf(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|pair| pair == b"\r\n")
}

fn inline(buf: &[u8], limits: &Limits) -> Result<Option<(Vec<Bytes>, usize)>, ProtocolError> {
    let Some(newline) = buf.iter().position(|&b| b == b'\n') else {
        if buf.len() > limits.max_line_len {
            return Err(ProtocolError::LineTooLong(0));
        }
        return Ok(None);
    };
    let mut line = &buf[..newline];
    if let Some(stripped) = line.strip_suffix(b"\r") {
        line = stripped;
    }
    let args = split_args(line).ok_or(ProtocolError::UnbalancedQuotes)?;
    Ok(Some((args, newline + 1)))
}

// ANCHOR: split_args
/// Splits an inline command into words like Redis's `sdssplitargs`: spaces
/// separate words; `"..."` understands `\n \r \t \b \a \\ \" \xHH`; `'...'`
/// understands `\'`; a closing quote must end the word. `None` if a quote
/// is left open.
pub fn split_args(line: &[u8]) -> Option<Vec<Bytes>> {
    // ANCHOR_END: split_args
    let mut args = Vec::new();
    let mut pos = 0;
    loop {
        while pos < line.len() && line[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos == line.len() {
            return Some(args);
        }
        let mut word = Vec::new();
        let mut quote: Option<u8> = None;
        loop {
            match (quote, line.get(pos).copied()) {
                (Some(_), None) => return None,
                (None, None) => break,
                (None, Some(b)) if b.is_ascii_whitespace() => break,
                (None, Some(b @ (b'"' | b'\''))) => quote = Some(b),
                (None, Some(b)) => word.push(b),
                (Some(b'"'), Some(b'\\'))
                    if pos + 3 < line.len()
                        && line[pos + 1] == b'x'
                        && hex_pair(line[pos + 2], line[pos + 3]).is_some() =>
                {
                    word.extend(hex_pair(line[pos + 2], line[pos + 3]));
                    pos += 3;
                }
                (Some(b'"'), Some(b'\\')) if pos + 1 < line.len() => {
                    pos += 1;
                    word.push(match line[pos] {
                        b'n' => b'\n',
                        b'r' => b'\r',
                        b't' => b'\t',
                        b'b' => 8,
                        b'a' => 7,
                        other => other,
                    });
                }
                (Some(b'\''), Some(b'\\')) if line.get(pos + 1) == Some(&b'\'') => {
                    pos += 1;
                    word.push(b'\'');
                }
                (Some(q), Some(b)) if b == q => {
                    // The closing quote must be followed by a space or the end.
                    if line
                        .get(pos + 1)
                        .is_some_and(|next| !next.is_ascii_whitespace())
                    {
                        return None;
                    }
                    pos += 1;
                    break;
                }
                (Some(_), Some(b)) => word.push(b),
            }
            pos += 1;
        }
        args.push(Bytes::from(word));
    }
}

fn hex_pair(high: u8, low: u8) -> Option<u8> {
    let digit = |c: u8| (c as char).to_digit(16);
    Some((digit(high)? * 16 + digit(low)?) as u8)
}
