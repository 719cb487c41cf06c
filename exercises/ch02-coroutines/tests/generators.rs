// Tests for exercise `generators` (chapter 2, "Generators: the coroutines
// Python had first"). The same file grades the stub and the reference
// solution; keep plain `//` comments at the top (it is `include!`d).

use ch02_exercises::generators::{FramesState, LineSplitter, frames};

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

#[test]
fn frames_yields_hello_data_bye_in_order() {
    // `take` keeps a generator that never finishes from hanging the test.
    let got: Vec<String> = frames(strings(&["a", "b"])).take(10).collect();
    assert_eq!(
        got,
        strings(&["HELLO", "DATA a", "DATA b", "BYE"]),
        "the generator yields HELLO, one DATA per payload, then BYE, and then stops"
    );
}

#[test]
fn frames_without_payloads_still_says_hello_and_bye() {
    let got: Vec<String> = frames(Vec::new()).take(10).collect();
    assert_eq!(
        got,
        strings(&["HELLO", "BYE"]),
        "with no payloads the loop body never runs, but the yields before and after it do"
    );
}

#[test]
fn frames_stays_finished() {
    let mut generator = frames(strings(&["x"]));
    let yielded = generator.by_ref().take(10).count();
    assert_eq!(yielded, 3, "HELLO, DATA x, BYE: 3 values, got {yielded}");
    assert_eq!(
        generator.state,
        FramesState::Done,
        "after BYE the state machine must be in its final state"
    );
    assert_eq!(
        generator.next(),
        None,
        "a finished generator keeps returning None, as a Python generator keeps raising \
         StopIteration"
    );
}

#[test]
fn frames_suspends_between_values() {
    let mut generator = frames(strings(&["p", "q"]));
    assert_eq!(generator.next().as_deref(), Some("HELLO"));
    assert_eq!(
        generator.state,
        FramesState::Data { index: 0 },
        "after yielding HELLO the generator is suspended before the first DATA"
    );
    assert_eq!(generator.next().as_deref(), Some("DATA p"));
    assert_eq!(
        generator.state,
        FramesState::Data { index: 1 },
        "after DATA p the generator is suspended before payload #1"
    );
}

#[test]
fn splitter_returns_complete_lines_only() {
    let mut splitter = LineSplitter::new();
    assert_eq!(
        splitter.send("one\ntwo\nthr"),
        strings(&["one", "two"]),
        "a chunk with two newlines completes two lines; `thr` has no newline yet"
    );
    assert_eq!(
        splitter.partial, "thr",
        "the unfinished line must stay in the splitter's state until more input arrives"
    );
}

#[test]
fn splitter_joins_a_line_spread_over_chunks() {
    let mut splitter = LineSplitter::new();
    let mut lines = Vec::new();
    for chunk in ["he", "llo wo", "rld\nbye", "\n"] {
        lines.extend(splitter.send(chunk));
    }
    assert_eq!(
        lines,
        strings(&["hello world", "bye"]),
        "pieces of one line sent separately must come out as one line: the state between \
         two `send` calls is the text after the last newline"
    );
}

#[test]
fn splitter_keeps_empty_lines() {
    let mut splitter = LineSplitter::new();
    assert_eq!(
        splitter.send("a\n\nb\n"),
        strings(&["a", "", "b"]),
        "two newlines in a row end an empty line, which is still a line"
    );
}

#[test]
fn splitter_finish_returns_the_leftover() {
    let mut splitter = LineSplitter::new();
    assert_eq!(
        splitter.send("done\nhalf"),
        strings(&["done"]),
        "\"done\\n\" is a complete line and comes out at once; only \"half\" waits"
    );
    assert_eq!(
        splitter.finish().as_deref(),
        Some("half"),
        "closing the generator hands back the line that never got its newline"
    );
    let mut clean = LineSplitter::new();
    assert_eq!(
        clean.send("x\n"),
        strings(&["x"]),
        "a chunk that ends with a newline completes its last line: nothing is held back"
    );
    assert_eq!(
        clean.finish(),
        None,
        "input that ended with a newline leaves nothing over"
    );
}
