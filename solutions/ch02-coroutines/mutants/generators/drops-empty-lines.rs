// wrong: empty lines are filtered out, so "a\n\nb\n" gives ["a", "b"] instead of ["a", "", "b"].
//! # Exercise `generators`: Python generators as Rust state machines
//!
//! Translate two Python generators by hand. `Frames` is a generator that
//! only yields values out: write its `Iterator::next` as moves between the
//! states of `FramesState`. `LineSplitter` also takes values in, like
//! `gen.send(chunk)`: its state between calls is the partial line it holds.
//!
//! Book: chapter 2, "Generators: the coroutines Python had first".
//! Check: `cargo workbook check generators`.

// ANCHOR: frames
/// Where the `frames` generator is suspended: each `yield` in the Python
/// version is one state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FramesState {
    /// Not started: the next value is `"HELLO"`.
    Hello,
    /// Inside the loop: the next value is `"DATA <payloads[index]>"`.
    Data { index: usize },
    /// After the loop: the next value is `"BYE"`.
    Bye,
    /// Finished: every later call returns `None`.
    Done,
}

/// Yields `"HELLO"`, then `"DATA <p>"` for each payload, then `"BYE"`.
#[derive(Debug)]
pub struct Frames {
    pub payloads: Vec<String>,
    pub state: FramesState,
}

pub fn frames(payloads: Vec<String>) -> Frames {
    Frames {
        payloads,
        state: FramesState::Hello,
    }
}

impl Iterator for Frames {
    type Item = String;

    fn next(&mut self) -> Option<String> {
        match self.state {
            FramesState::Hello => {
                self.state = FramesState::Data { index: 0 };
                Some("HELLO".to_string())
            }
            FramesState::Data { index } if index < self.payloads.len() => {
                self.state = FramesState::Data { index: index + 1 };
                Some(format!("DATA {}", self.payloads[index]))
            }
            FramesState::Data { .. } | FramesState::Bye => {
                self.state = FramesState::Done;
                Some("BYE".to_string())
            }
            FramesState::Done => None,
        }
    }
}
// ANCHOR_END: frames

// ANCHOR: line_splitter
/// A generator that takes chunks of text in (`send`) and gives back the
/// complete lines they finish. The partial last line waits for more input.
#[derive(Debug, Default)]
pub struct LineSplitter {
    /// The text received after the last `'\n'`: the generator's local state.
    pub partial: String,
}

impl LineSplitter {
    pub fn new() -> Self {
        LineSplitter::default()
    }

    /// Feeds one chunk and returns the lines it completed, without their
    /// `'\n'`, in order. A line may be spread over many chunks.
    pub fn send(&mut self, chunk: &str) -> Vec<String> {
        self.partial.push_str(chunk);
        let Some(last_newline) = self.partial.rfind('\n') else {
            return Vec::new();
        };
        // Everything after the last newline waits for the next chunk.
        let rest = self.partial.split_off(last_newline + 1);
        let complete = std::mem::replace(&mut self.partial, rest);
        complete
            .lines()
            .filter(|line| !line.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Ends the input, like `gen.close()`: returns the unfinished last line,
    /// or `None` if the input ended with a newline.
    pub fn finish(self) -> Option<String> {
        if self.partial.is_empty() {
            None
        } else {
            Some(self.partial)
        }
    }
}
// ANCHOR_END: line_splitter
