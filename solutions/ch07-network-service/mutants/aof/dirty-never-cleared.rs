// wrong: sync_if_dirty never clears the dirty flag, so after one write the everysec task syncs every second forever
//! # Exercise `aof`: an append-only file that survives `kill -9`
//!
//! Log every write command as a RESP array before its reply goes out, force
//! it to disk according to `appendfsync`, and replay the log at start-up. A
//! crash in the middle of a write leaves an incomplete last record: cut it
//! off and start, but refuse a log that is corrupt anywhere else.
//!
//! Book: chapter 7, "Step 7: an append-only file". Check: `cargo workbook check aof`.

use crate::resp::{self, Frame, Limits, Protocol};
use bytes::{Bytes, BytesMut};
use std::fmt;
use std::fs::{File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;
use tokio_util::sync::CancellationToken;

// ANCHOR: policy
/// `appendfsync`: when the log is forced to the disk.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Fsync {
    /// After every write, before the client gets its reply: a write that
    /// was acknowledged survives a crash of the process *and* of the machine.
    Always,
    /// Once a second, by a background task: a machine crash loses at most
    /// about a second of writes (a process crash loses none: the data is in
    /// the kernel's page cache).
    #[default]
    EverySec,
    /// Never: the kernel writes the pages back when it likes (~30 s on Linux).
    No,
}

impl std::str::FromStr for Fsync {
    type Err = String;
    fn from_str(text: &str) -> Result<Fsync, String> {
        match text.to_ascii_lowercase().as_str() {
            "always" => Ok(Fsync::Always),
            "everysec" => Ok(Fsync::EverySec),
            "no" => Ok(Fsync::No),
            other => Err(format!(
                "appendfsync must be always, everysec or no, not {other:?}"
            )),
        }
    }
}

/// Where the log goes: a `File`, or a recording fake in the tests.
pub trait LogFile: Send + 'static {
    /// Writes all of `bytes` (into the page cache, for a file).
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()>;
    /// Forces what was written to the disk (`fdatasync`).
    fn sync(&mut self) -> io::Result<()>;
}

impl LogFile for File {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        Write::write_all(self, bytes)
    }
    fn sync(&mut self) -> io::Result<()> {
        self.sync_data()
    }
}
// ANCHOR_END: policy

// ANCHOR: aof
/// The append-only file. Each write command that changed something is
/// appended as the RESP array of its words, preceded by `SELECT n` whenever
/// the database differs from the previous record's.
pub struct Aof<F: LogFile = File> {
    inner: Mutex<AofState<F>>,
    policy: Fsync,
}

struct AofState<F> {
    file: F,
    /// The database the records written so far leave a replay in; `None`
    /// until the first record, which therefore always starts with a `SELECT`
    /// (the file may already hold records that ended in another database).
    selected: Option<usize>,
    /// Written since the last `sync`.
    dirty: bool,
    scratch: BytesMut,
}
// ANCHOR_END: aof

impl<F: LogFile> Aof<F> {
    /// A log appending to `file`.
    pub fn new(file: F, policy: Fsync) -> Aof<F> {
        Aof {
            inner: Mutex::new(AofState {
                file,
                selected: None,
                dirty: false,
                scratch: BytesMut::new(),
            }),
            policy,
        }
    }

    pub fn policy(&self) -> Fsync {
        self.policy
    }

    // ANCHOR: log
    /// Runs `change` (the command applied to the store) and appends the
    /// record it returns, if any, for database `db`; with `Fsync::Always`
    /// the record is on disk before this returns, so before the reply goes.
    ///
    /// `change` runs under the log's lock, so records are in the order the
    /// changes happened: two clients' `SET k a` and `SET k b` replay to the
    /// value the server had.
    pub fn log<R>(
        &self,
        db: usize,
        change: impl FnOnce() -> (R, Option<Vec<Bytes>>),
    ) -> io::Result<R> {
        // ANCHOR_END: log
        let mut state = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let (result, record) = change();
        if let Some(words) = record {
            let state = &mut *state;
            state.scratch.clear();
            if state.selected != Some(db) {
                let select = [Bytes::from_static(b"SELECT"), Bytes::from(db.to_string())];
                encode_record(&select, &mut state.scratch);
            }
            encode_record(&words, &mut state.scratch);
            state.file.write_all(&state.scratch)?;
            state.selected = Some(db);
            state.dirty = true;
            if self.policy == Fsync::Always {
                state.file.sync()?;
                state.dirty = false;
            }
        }
        Ok(result)
    }

    /// Syncs if anything was written since the last sync; whether it did.
    pub fn sync_if_dirty(&self) -> io::Result<bool> {
        let mut state = self
            .inner
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if !state.dirty {
            return Ok(false);
        }
        state.file.sync()?;
        Ok(true)
    }
}

fn encode_record(words: &[Bytes], out: &mut BytesMut) {
    let frame = Frame::Array(words.iter().cloned().map(Frame::Bulk).collect());
    frame.encode(Protocol::Resp2, out);
}

// ANCHOR: everysec
/// The `everysec` task: once a second, syncs the log if it was written to.
/// Returns when `stop` is cancelled, after a last sync.
pub async fn run_everysec<F: LogFile>(aof: &Aof<F>, stop: CancellationToken) -> io::Result<()> {
    // ANCHOR_END: everysec
    let mut ticks = tokio::time::interval(Duration::from_secs(1));
    ticks.tick().await;
    loop {
        tokio::select! {
            _ = stop.cancelled() => {
                aof.sync_if_dirty()?;
                return Ok(());
            }
            _ = ticks.tick() => {
                aof.sync_if_dirty()?;
            }
        }
    }
}

// ANCHOR: replay_types
/// What a replay found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Replayed {
    /// Records applied (`SELECT`s not counted).
    pub commands: usize,
    /// Bytes of an incomplete last record, cut off the file.
    pub truncated: u64,
}

/// Why a log cannot be replayed.
#[derive(Debug)]
pub enum AofError {
    Io(io::Error),
    /// Bytes that are not a record at `offset`: not a torn tail (that would
    /// be an incomplete record), so refuse to start rather than lose data.
    Corrupt {
        offset: u64,
        reason: String,
    },
}

impl fmt::Display for AofError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AofError::Io(error) => write!(f, "cannot read the append-only file: {error}"),
            AofError::Corrupt { offset, reason } => {
                write!(
                    f,
                    "Bad file format reading the append only file at byte {offset}: {reason}"
                )
            }
        }
    }
}

impl From<io::Error> for AofError {
    fn from(error: io::Error) -> Self {
        AofError::Io(error)
    }
}
// ANCHOR_END: replay_types

// ANCHOR: replay
/// Reads the log at `path` (a missing file is an empty log) and calls
/// `apply(db, words)` for each record in order, tracking `SELECT`s itself.
/// An incomplete last record, what a crash in the middle of a write leaves,
/// is cut off the file so that appending can go on after the last complete
/// one; anything else that does not parse is `AofError::Corrupt`.
pub fn replay(
    path: &Path,
    limits: &Limits,
    mut apply: impl FnMut(usize, Vec<Bytes>),
) -> Result<Replayed, AofError> {
    // ANCHOR_END: replay
    let mut data = Vec::new();
    match File::open(path) {
        Ok(mut file) => {
            file.read_to_end(&mut data)?;
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {}
        Err(error) => return Err(error.into()),
    }
    let mut pos = 0;
    let mut db = 0;
    let mut commands = 0;
    while pos < data.len() {
        match resp::parse(&data[pos..], limits) {
            Ok(Some((frame, used))) => {
                let corrupt = |reason: &str| AofError::Corrupt {
                    offset: pos as u64,
                    reason: reason.to_string(),
                };
                let Frame::Array(items) = frame else {
                    return Err(corrupt("a record is not an array"));
                };
                if items.is_empty() {
                    return Err(corrupt("an empty record"));
                }
                let mut words = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Frame::Bulk(word) => words.push(word),
                        _ => return Err(corrupt("a record word is not a bulk string")),
                    }
                }
                if words[0].eq_ignore_ascii_case(b"SELECT") {
                    db = words
                        .get(1)
                        .and_then(|n| crate::num::parse_u64(n))
                        .ok_or_else(|| corrupt("a SELECT without a database number"))?
                        as usize;
                } else {
                    apply(db, words);
                    commands += 1;
                }
                pos += used;
            }
            Ok(None) => {
                let truncated = (data.len() - pos) as u64;
                let file = OpenOptions::new().write(true).open(path)?;
                file.set_len(pos as u64)?;
                file.sync_all()?;
                return Ok(Replayed {
                    commands,
                    truncated,
                });
            }
            Err(error) => {
                return Err(AofError::Corrupt {
                    offset: pos as u64,
                    reason: error.to_string(),
                });
            }
        }
    }
    Ok(Replayed {
        commands,
        truncated: 0,
    })
}

/// Opens (or creates) the log at `path` for appending.
pub fn open_for_append(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}
