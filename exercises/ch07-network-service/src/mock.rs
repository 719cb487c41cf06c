//! Given code for the tests: a scripted byte stream that records what is
//! written to it, and how.
//!
//! Reads hand out the scripted chunks one per `poll_read` (a 1-byte chunk
//! per byte is how a slow network splits a request), then report end of
//! file or stay pending forever. Writes accept at most `max_write` bytes per
//! call, as a full socket buffer does, and every `poll_write` and
//! `poll_flush` is counted.

use std::collections::VecDeque;
use std::io;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

/// What the read side does once the script is used up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Then {
    /// `poll_read` returns 0 bytes: the peer closed the connection.
    Eof,
    /// `poll_read` never completes: the peer is waiting for us.
    Wait,
}

/// What happened on the write side (shared with the test through `MockLog`).
#[derive(Debug, Default)]
pub struct Record {
    pub written: Vec<u8>,
    /// `poll_write` calls that wrote something.
    pub writes: usize,
    pub flushes: usize,
    pub shutdowns: usize,
    /// How many bytes had been written when each read was attempted after
    /// the script ran out (what the peer had received when we waited on it).
    pub written_when_waiting: Vec<usize>,
}

/// The test's handle on a `MockStream`'s record.
#[derive(Clone, Debug, Default)]
pub struct MockLog(Arc<Mutex<Record>>);

impl MockLog {
    pub fn written(&self) -> Vec<u8> {
        self.0.lock().unwrap().written.clone()
    }
    pub fn writes(&self) -> usize {
        self.0.lock().unwrap().writes
    }
    pub fn flushes(&self) -> usize {
        self.0.lock().unwrap().flushes
    }
    pub fn shutdowns(&self) -> usize {
        self.0.lock().unwrap().shutdowns
    }
    pub fn written_when_waiting(&self) -> Vec<usize> {
        self.0.lock().unwrap().written_when_waiting.clone()
    }
}

pub struct MockStream {
    chunks: VecDeque<Vec<u8>>,
    then: Then,
    max_write: usize,
    log: MockLog,
}

impl MockStream {
    /// A stream that delivers `chunks` in order, then does `then`.
    pub fn new(chunks: impl IntoIterator<Item = Vec<u8>>, then: Then) -> (MockStream, MockLog) {
        let log = MockLog::default();
        let stream = MockStream {
            chunks: chunks.into_iter().collect(),
            then,
            max_write: usize::MAX,
            log: log.clone(),
        };
        (stream, log)
    }

    /// The same input as one chunk per byte.
    pub fn byte_by_byte(input: &[u8], then: Then) -> (MockStream, MockLog) {
        MockStream::new(input.iter().map(|&b| vec![b]), then)
    }

    /// Accept at most `max` bytes per `poll_write`.
    pub fn max_write(mut self, max: usize) -> MockStream {
        self.max_write = max.max(1);
        self
    }
}

impl AsyncRead for MockStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let Some(mut chunk) = self.chunks.pop_front() else {
            let written = self.log.0.lock().unwrap().written.len();
            self.log
                .0
                .lock()
                .unwrap()
                .written_when_waiting
                .push(written);
            return match self.then {
                Then::Eof => Poll::Ready(Ok(())),
                // Nobody will ever wake us: the test's timeout ends the wait.
                Then::Wait => Poll::Pending,
            };
        };
        let room = buf.remaining();
        if chunk.len() > room {
            let rest = chunk.split_off(room);
            self.chunks.push_front(rest);
        }
        buf.put_slice(&chunk);
        Poll::Ready(Ok(()))
    }
}

impl AsyncWrite for MockStream {
    fn poll_write(
        self: Pin<&mut Self>,
        _cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        let taken = data.len().min(self.max_write);
        let mut record = self.log.0.lock().unwrap();
        record.written.extend_from_slice(&data[..taken]);
        if taken > 0 {
            record.writes += 1;
        }
        Poll::Ready(Ok(taken))
    }

    fn poll_flush(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.log.0.lock().unwrap().flushes += 1;
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        self.log.0.lock().unwrap().shutdowns += 1;
        Poll::Ready(Ok(()))
    }
}
