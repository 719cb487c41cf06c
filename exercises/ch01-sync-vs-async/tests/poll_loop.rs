// Tests for exercise `poll_loop` (chapter 1, "Blocking and non-blocking reads").
// Most sources here are scripted: each `read` returns the next step of a
// script (data, "would block", end, or an error), so every test is exact.

use ch01_exercises::poll_loop::read_all;
use std::cell::Cell;
use std::io::{self, ErrorKind, Read, Write};
use std::rc::Rc;

enum Step {
    Data(&'static [u8]),
    WouldBlock,
    Error(ErrorKind),
}

/// A non-blocking source that plays a script, then reports its end.
struct Scripted {
    steps: std::collections::VecDeque<Step>,
}

impl Scripted {
    fn new(steps: Vec<Step>) -> Self {
        Scripted {
            steps: steps.into(),
        }
    }
}

impl Read for Scripted {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self.steps.pop_front() {
            None => Ok(0),
            Some(Step::Data(bytes)) => {
                buffer[..bytes.len()].copy_from_slice(bytes);
                Ok(bytes.len())
            }
            Some(Step::WouldBlock) => Err(ErrorKind::WouldBlock.into()),
            Some(Step::Error(kind)) => Err(kind.into()),
        }
    }
}

use Step::{Data, Error, WouldBlock};

#[test]
fn reads_every_source_to_its_end() {
    let sources = vec![
        Scripted::new(vec![Data(b"hel"), Data(b"lo")]),
        Scripted::new(vec![Data(b"wor"), Data(b"ld"), Data(b"!")]),
    ];
    let got = read_all(sources).expect("no source failed");
    assert_eq!(
        got,
        vec![b"hello".to_vec(), b"world!".to_vec()],
        "result[i] holds all of source i's bytes"
    );
}

#[test]
fn would_block_means_not_yet() {
    let sources = vec![Scripted::new(vec![
        WouldBlock,
        Data(b"late "),
        WouldBlock,
        Data(b"data"),
    ])];
    let got = read_all(sources);
    let got = got.unwrap_or_else(|e| {
        panic!("read_all returned the error {e:?}, but WouldBlock is not a failure: it means \"no data yet, try again later\"")
    });
    assert_eq!(
        got,
        vec![b"late data".to_vec()],
        "data arrived after WouldBlock was lost: WouldBlock is not the end of the source (only Ok(0) is)"
    );
}

#[test]
fn interrupted_reads_are_retried() {
    let sources = vec![Scripted::new(vec![
        Error(ErrorKind::Interrupted),
        Data(b"ok"),
    ])];
    let got = read_all(sources)
        .expect("Interrupted means a signal arrived: retry the read, it is not a failure");
    assert_eq!(got, vec![b"ok".to_vec()]);
}

#[test]
fn real_errors_are_returned() {
    let sources = vec![
        Scripted::new(vec![Data(b"fine")]),
        Scripted::new(vec![Data(b"par"), Error(ErrorKind::ConnectionReset)]),
    ];
    match read_all(sources) {
        Err(e) => assert_eq!(
            e.kind(),
            ErrorKind::ConnectionReset,
            "return the source's own error"
        ),
        Ok(got) => panic!(
            "a source failed with ConnectionReset but read_all returned Ok({got:?}): errors other \
             than WouldBlock and Interrupted must be returned, not treated as the end"
        ),
    }
}

/// A source with nothing to say until `gate` opens; it counts how often it
/// was asked in a row while closed.
struct Gated {
    gate: Rc<Cell<bool>>,
    sent: bool,
    asked_while_closed: u32,
}

impl Read for Gated {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if !self.gate.get() {
            self.asked_while_closed += 1;
            assert!(
                self.asked_while_closed < 10_000,
                "source 0 answered WouldBlock 10000 times in a row while source 1 had data \
                 waiting: on WouldBlock, move on to the next source instead of retrying the same one"
            );
            return Err(ErrorKind::WouldBlock.into());
        }
        if self.sent {
            return Ok(0);
        }
        self.sent = true;
        buffer[..4].copy_from_slice(b"open");
        Ok(4)
    }
}

/// Opens the gate once its own data has been read.
struct Opener {
    gate: Rc<Cell<bool>>,
    done: bool,
}

impl Read for Opener {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        if self.done {
            return Ok(0);
        }
        self.done = true;
        self.gate.set(true);
        buffer[..3].copy_from_slice(b"key");
        Ok(3)
    }
}

/// Either kind of source, so both fit in one `Vec`.
enum Either {
    Gated(Gated),
    Opener(Opener),
}

impl Read for Either {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        match self {
            Either::Gated(g) => g.read(buffer),
            Either::Opener(o) => o.read(buffer),
        }
    }
}

#[test]
fn one_quiet_source_does_not_stall_the_others() {
    let gate = Rc::new(Cell::new(false));
    let sources = vec![
        Either::Gated(Gated {
            gate: Rc::clone(&gate),
            sent: false,
            asked_while_closed: 0,
        }),
        Either::Opener(Opener { gate, done: false }),
    ];
    let got = read_all(sources).expect("no source failed");
    assert_eq!(
        got,
        vec![b"open".to_vec(), b"key".to_vec()],
        "result[i] holds source i's bytes (source 0 sends \"open\" only after source 1 has \
         finished): keep one buffer per source, in the sources' order, not in finishing order"
    );
}

#[test]
fn works_on_real_non_blocking_sockets() {
    use std::os::unix::net::UnixStream;
    let (mut writer_a, reader_a) = UnixStream::pair().unwrap();
    let (mut writer_b, reader_b) = UnixStream::pair().unwrap();
    reader_a.set_nonblocking(true).unwrap();
    reader_b.set_nonblocking(true).unwrap();
    let writer = std::thread::spawn(move || {
        writer_b.write_all(b"second").unwrap();
        writer_a.write_all(b"first").unwrap();
        // Dropping the writers closes the sockets: the readers then see Ok(0).
    });
    let got = kit::watchdog::within(
        kit::watchdog::GENEROUS,
        "reading two sockets",
        "Once both writers are closed every read returns data or Ok(0): does your loop stop when all sources have ended?",
        move || read_all(vec![reader_a, reader_b]),
    )
    .expect("reading sockets failed");
    writer.join().unwrap();
    assert_eq!(got, vec![b"first".to_vec(), b"second".to_vec()]);
}
