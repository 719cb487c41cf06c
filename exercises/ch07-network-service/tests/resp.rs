// Tests for exercise `resp` (chapter 7, "Step 1: frames on a byte stream").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// A counting allocator records the largest single allocation made on the
// test's own thread, so "never trust a length header" is checked exactly.

use bytes::{Bytes, BytesMut};
use ch07_exercises::resp::{Frame, Limits, Protocol, ProtocolError, parse};
use proptest::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

struct CountingAlloc;

thread_local! {
    static LARGEST: Cell<usize> = const { Cell::new(0) };
}

// Safety: every call is forwarded unchanged to the system allocator; the
// thread-local bookkeeping allocates nothing.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(layout.size())));
        // Safety: same layout contract as our caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // Safety: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let _ = LARGEST.try_with(|largest| largest.set(largest.get().max(new_size)));
        // Safety: `ptr` came from `System.alloc` with this layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: CountingAlloc = CountingAlloc;

/// The largest allocation `work` made on this thread.
fn largest_allocation<T>(work: impl FnOnce() -> T) -> (T, usize) {
    LARGEST.with(|largest| largest.set(0));
    let result = work();
    (result, LARGEST.with(Cell::get))
}

fn bulk(text: &str) -> Frame {
    Frame::Bulk(Bytes::copy_from_slice(text.as_bytes()))
}

fn parse_all(input: &[u8]) -> Result<Option<(Frame, usize)>, ProtocolError> {
    parse(input, &Limits::REDIS)
}

/// Limits small enough to hit in a test.
const SMALL: Limits = Limits {
    max_bulk_len: 100,
    max_array_len: 10,
    max_line_len: 32,
    max_depth: 4,
};

#[test]
fn each_kind_of_frame_parses_and_reports_its_length() {
    let cases: Vec<(&[u8], Frame)> = vec![
        (b"+OK\r\n", Frame::Simple("OK".into())),
        (b"-ERR bad thing\r\n", Frame::Error("ERR bad thing".into())),
        (b":-42\r\n", Frame::Integer(-42)),
        (b":9223372036854775807\r\n", Frame::Integer(i64::MAX)),
        (b"$5\r\nhello\r\n", bulk("hello")),
        (b"$0\r\n\r\n", bulk("")),
        (b"$4\r\na\r\nb\r\n", bulk("a\r\nb")),
        (b"$-1\r\n", Frame::Null),
        (b"*-1\r\n", Frame::NullArray),
        (b"*0\r\n", Frame::Array(vec![])),
        (
            b"*3\r\n$3\r\nSET\r\n:1\r\n*1\r\n+x\r\n",
            Frame::Array(vec![
                bulk("SET"),
                Frame::Integer(1),
                Frame::Array(vec![Frame::Simple("x".into())]),
            ]),
        ),
    ];
    for (input, expected) in cases {
        let shown = String::from_utf8_lossy(input);
        let mut with_more = input.to_vec();
        with_more.extend_from_slice(b"+NEXT\r\n");
        let got = parse_all(&with_more);
        assert_eq!(
            got,
            Ok(Some((expected.clone(), input.len()))),
            "parsing {shown:?} followed by another frame should give {expected:?} and report {} bytes used \
             (only this frame's bytes: the next one stays in the buffer for the next call)",
            input.len()
        );
    }
}

#[test]
fn every_prefix_of_a_frame_is_incomplete_not_an_error() {
    let frame = b"*4\r\n$3\r\nSET\r\n$3\r\nkey\r\n:-7\r\n*2\r\n+OK\r\n$-1\r\n";
    for cut in 0..frame.len() {
        let prefix = &frame[..cut];
        assert_eq!(
            parse_all(prefix),
            Ok(None),
            "the first {cut} bytes of a valid frame ({:?}) are just an early part of it: parse must say \
             Ok(None) (read more), not fail and not return a frame. Did you assume a whole line or a whole \
             bulk string is always in the buffer?",
            String::from_utf8_lossy(prefix)
        );
    }
    assert!(
        matches!(parse_all(frame), Ok(Some((_, used))) if used == frame.len()),
        "the whole frame parses"
    );
}

/// A tiny deterministic generator (xorshift), so the chunk sizes are random
/// but the same on every run.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// Feeds `input` in chunks to a growing buffer and parses as a connection would.
fn parse_stream(input: &[u8], chunk_sizes: &mut impl FnMut() -> usize) -> Vec<Frame> {
    let mut buffer = BytesMut::new();
    let mut frames = Vec::new();
    let mut pos = 0;
    while pos < input.len() {
        let end = (pos + chunk_sizes()).min(input.len());
        buffer.extend_from_slice(&input[pos..end]);
        pos = end;
        while let Some((frame, used)) =
            parse_all(&buffer).expect("valid input never fails to parse")
        {
            let _ = buffer.split_to(used);
            frames.push(frame);
        }
    }
    assert!(
        buffer.is_empty(),
        "bytes left over after the last frame: {:?}",
        buffer
    );
    frames
}

fn pipeline() -> (Vec<u8>, Vec<Frame>) {
    let frames = vec![
        Frame::Array(vec![bulk("SET"), bulk("k"), bulk("v\r\n")]),
        Frame::Simple("OK".into()),
        Frame::Integer(1234567),
        Frame::Null,
        Frame::Array(vec![
            Frame::Array(vec![bulk("nested")]),
            Frame::NullArray,
            Frame::Error("ERR x".into()),
        ]),
        bulk(&"x".repeat(300)),
    ];
    let mut bytes = BytesMut::new();
    for frame in &frames {
        frame.encode(Protocol::Resp2, &mut bytes);
    }
    (bytes.to_vec(), frames)
}

#[test]
fn frames_fed_byte_by_byte_come_out_whole_and_in_order() {
    let (input, expected) = pipeline();
    let frames = parse_stream(&input, &mut || 1);
    assert_eq!(
        frames, expected,
        "fed one byte at a time, the parser must return each frame once it is complete and nothing before"
    );
}

#[test]
fn frames_fed_in_random_chunks_come_out_whole_and_in_order() {
    let (input, expected) = pipeline();
    for seed in 1..=50u64 {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let frames = parse_stream(&input, &mut || 1 + rng.below(40));
        assert_eq!(
            frames, expected,
            "with chunks cut at random places (seed {seed}) the same frames must come out; a chunk can end \
             anywhere, even between \\r and \\n"
        );
    }
}

#[test]
fn resp2_encoding_is_byte_exact() {
    let cases: Vec<(Frame, &[u8])> = vec![
        (Frame::Simple("PONG".into()), b"+PONG\r\n"),
        (Frame::Error("ERR no".into()), b"-ERR no\r\n"),
        (Frame::Integer(-3), b":-3\r\n"),
        (bulk("hi"), b"$2\r\nhi\r\n"),
        (bulk(""), b"$0\r\n\r\n"),
        (Frame::Null, b"$-1\r\n"),
        (Frame::NullArray, b"*-1\r\n"),
        (
            Frame::Array(vec![bulk("GET"), bulk("k")]),
            b"*2\r\n$3\r\nGET\r\n$1\r\nk\r\n",
        ),
        (Frame::Array(vec![]), b"*0\r\n"),
        (
            Frame::Map(vec![(bulk("a"), Frame::Integer(1))]),
            b"*2\r\n$1\r\na\r\n:1\r\n",
        ),
        (
            Frame::Push(vec![bulk("message"), Frame::Null]),
            b"*2\r\n$7\r\nmessage\r\n$-1\r\n",
        ),
    ];
    for (frame, expected) in cases {
        let got = frame.to_bytes(Protocol::Resp2);
        assert_eq!(
            got,
            Bytes::from_static(expected),
            "{frame:?} in RESP2 should be {:?}, got {:?} (a map is a flat array of 2n items in RESP2, \
             a push a plain array, null bulk `$-1`)",
            String::from_utf8_lossy(expected),
            String::from_utf8_lossy(&got)
        );
    }
}

#[test]
fn resp3_frames_nest_resp2_ones_correctly() {
    let frame = Frame::Map(vec![
        (bulk("proto"), Frame::Integer(3)),
        (bulk("mods"), Frame::Array(vec![Frame::Null])),
    ]);
    let got = frame.to_bytes(Protocol::Resp3);
    assert_eq!(
        got,
        Bytes::from_static(b"%2\r\n$5\r\nproto\r\n:3\r\n$4\r\nmods\r\n*1\r\n_\r\n"),
        "inside a RESP3 map, items are encoded in RESP3 too: pass `protocol` down to nested frames"
    );
}

fn frame_strategy() -> impl Strategy<Value = Frame> {
    let leaf = prop_oneof![
        "[a-zA-Z0-9 ]{0,12}".prop_map(Frame::Simple),
        "ERR [a-z ]{0,12}".prop_map(Frame::Error),
        any::<i64>().prop_map(Frame::Integer),
        proptest::collection::vec(any::<u8>(), 0..40).prop_map(|b| Frame::Bulk(Bytes::from(b))),
        Just(Frame::Null),
        Just(Frame::NullArray),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        proptest::collection::vec(inner, 0..6).prop_map(Frame::Array)
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]
    #[test]
    fn encode_then_parse_round_trips(frame in frame_strategy()) {
        let bytes = frame.to_bytes(Protocol::Resp2);
        let parsed = parse_all(&bytes);
        prop_assert_eq!(
            parsed,
            Ok(Some((frame.clone(), bytes.len()))),
            "encoding {:?} gave {:?}, which must parse back to the same frame using every byte",
            frame,
            String::from_utf8_lossy(&bytes)
        );
    }
}

fn assert_rejected(input: &[u8], limits: &Limits, expected: ProtocolError, idea: &str) {
    let got = parse(input, limits);
    assert_eq!(
        got,
        Err(expected.clone()),
        "{:?} should be rejected with {expected:?} (\"{expected}\"), got {got:?}: {idea}",
        String::from_utf8_lossy(input)
    );
}

#[test]
fn negative_lengths_other_than_minus_one_are_rejected() {
    assert_rejected(
        b"$-2\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "only -1 means null",
    );
    assert_rejected(
        b"*-5\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidMultibulkLength,
        "only -1 means null",
    );
    assert_rejected(
        b"*2\r\n$-7\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "inside an array too",
    );
}

#[test]
fn non_numeric_lengths_are_rejected() {
    assert_rejected(
        b"$abc\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "a length must be digits",
    );
    assert_rejected(
        b"$\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "an empty length is no number",
    );
    assert_rejected(
        b"$+3\r\nabc\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "no sign but '-'",
    );
    assert_rejected(
        b"*1x\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidMultibulkLength,
        "a count must be digits",
    );
    assert_rejected(
        b"*1\n$4\r\nPING\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidMultibulkLength,
        "a bare LF does not end a line: the count here is \"1\\n$4\"",
    );
    assert_rejected(
        b":12a\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidInteger,
        "an integer is digits only",
    );
    assert_rejected(
        b"$004\r\nPING\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "Redis refuses leading zeros: parse numbers with `num::parse_i64`",
    );
    assert_rejected(
        b"*01\r\n$4\r\nPING\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidMultibulkLength,
        "Redis refuses leading zeros: parse numbers with `num::parse_i64`",
    );
}

#[test]
fn a_huge_bulk_header_is_rejected_at_once() {
    // 1 GiB, twice Redis's limit: rejected from the header alone.
    assert_rejected(
        b"$1073741824\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "check max_bulk_len as soon as the header is read",
    );
    assert_rejected(
        b"$101\r\n",
        &SMALL,
        ProtocolError::InvalidBulkLength,
        "the limit is the one passed in",
    );
    assert_rejected(
        b"$99999999999999999999999\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "a length that overflows is invalid too",
    );
    assert!(
        matches!(parse(b"$100\r\n", &SMALL), Ok(None)),
        "a bulk of exactly max_bulk_len is allowed"
    );
}

#[test]
fn an_array_longer_than_the_limit_is_rejected_at_once() {
    assert_rejected(
        b"*11\r\n",
        &SMALL,
        ProtocolError::InvalidMultibulkLength,
        "check max_array_len before reading the elements",
    );
    assert_rejected(
        b"*3000000000\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidMultibulkLength,
        "Redis's own out-of-range count",
    );
    assert!(
        matches!(parse(b"*10\r\n", &SMALL), Ok(None)),
        "an array of exactly max_array_len is allowed"
    );
}

#[test]
fn bulk_data_must_end_with_crlf() {
    assert_rejected(
        b"$3\r\nabcXY",
        &Limits::REDIS,
        ProtocolError::MissingCrlf,
        "the 2 bytes after the data must be \\r\\n",
    );
    assert_rejected(
        b"$3\r\nabc\rX",
        &Limits::REDIS,
        ProtocolError::MissingCrlf,
        "both of them",
    );
    assert_rejected(
        b"$3\r\nabcd",
        &Limits::REDIS,
        ProtocolError::MissingCrlf,
        "a wrong first byte is enough to know",
    );
}

#[test]
fn a_line_without_crlf_is_capped() {
    let mut long_header = b"$".to_vec();
    long_header.extend(std::iter::repeat_n(b'1', 40));
    assert_rejected(
        &long_header,
        &SMALL,
        ProtocolError::LineTooLong(b'$'),
        "no CRLF within max_line_len bytes: stop waiting for one",
    );
    let mut long_count = b"*".to_vec();
    long_count.extend(std::iter::repeat_n(b'1', 40));
    assert_rejected(
        &long_count,
        &SMALL,
        ProtocolError::LineTooLong(b'*'),
        "the same for an array's count",
    );
    let mut long_status = b"+".to_vec();
    long_status.extend(std::iter::repeat_n(b'a', 40));
    assert_rejected(
        &long_status,
        &SMALL,
        ProtocolError::LineTooLong(b'+'),
        "and for any line",
    );
    let short = b"+aaaaaaaaaa";
    assert_eq!(
        parse(short, &SMALL),
        Ok(None),
        "a short line without CRLF yet is just incomplete"
    );
}

#[test]
fn an_unknown_type_byte_is_rejected() {
    assert_rejected(
        b"!oops\r\n",
        &Limits::REDIS,
        ProtocolError::UnexpectedByte(b'!'),
        "only + - : $ * start a RESP2 frame",
    );
    assert_rejected(
        b"*2\r\n$1\r\na\r\n\x00\x01",
        &Limits::REDIS,
        ProtocolError::UnexpectedByte(0),
        "binary garbage inside an array",
    );
}

#[test]
fn errors_are_reported_before_the_rest_of_the_frame_arrives() {
    assert_rejected(
        b"*3\r\n$3\r\nSET\r\n$-5\r\n",
        &Limits::REDIS,
        ProtocolError::InvalidBulkLength,
        "a bad element is an error even though the array is not complete",
    );
    assert_rejected(
        b"*2\r\n?",
        &Limits::REDIS,
        ProtocolError::UnexpectedByte(b'?'),
        "the first bad byte decides",
    );
}

#[test]
fn deep_nesting_is_an_error_not_a_stack_overflow() {
    let deep = b"*1\r\n".repeat(200_000);
    let got = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || parse(&deep, &Limits::REDIS))
        .unwrap()
        .join()
        .expect("the parser crashed (stack overflow?) on 200000 nested arrays: check max_depth before recursing");
    assert_eq!(
        got,
        Err(ProtocolError::TooDeep),
        "arrays nested deeper than max_depth must be ProtocolError::TooDeep"
    );
    let ok_depth = b"*1\r\n*1\r\n*1\r\n:1\r\n";
    assert!(
        matches!(parse(ok_depth, &SMALL), Ok(Some(_))),
        "3 nested arrays are within max_depth 4 and parse"
    );
    assert_eq!(
        parse(&b"*1\r\n".repeat(5), &SMALL),
        Err(ProtocolError::TooDeep),
        "5 nested arrays exceed max_depth 4"
    );
}

#[test]
fn a_length_header_alone_allocates_nothing_big() {
    let (result, largest) =
        largest_allocation(|| parse(b"*1048576\r\n$1\r\nx\r\n", &Limits::REDIS));
    assert_eq!(
        result,
        Ok(None),
        "an array of 1Mi elements with one element there is incomplete"
    );
    assert!(
        largest < 64 * 1024,
        "parsing the header `*1048576` allocated {largest} bytes at once: the count comes from the network, \
         do not `Vec::with_capacity(count)` before the elements have arrived (cap it, or grow as they come)"
    );
    let (result, largest) = largest_allocation(|| parse(b"$536870912\r\nabc", &Limits::REDIS));
    assert_eq!(
        result,
        Ok(None),
        "a 512 MiB bulk with 3 bytes there is incomplete"
    );
    assert!(
        largest < 64 * 1024,
        "parsing the header `$536870912` allocated {largest} bytes: copy the data out only once it has all arrived"
    );
}
