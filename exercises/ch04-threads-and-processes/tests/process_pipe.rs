// Tests for exercise `process_pipe` (chapter 4, "Processes, pipes and messages").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
// The commands are small `sh` scripts, present on every Unix system.

use ch04_exercises::process_pipe::pipe;
use kit::watchdog::{GENEROUS, within};
use std::process::Command;

fn sh(script: &str) -> Command {
    let mut command = Command::new("sh");
    command.args(["-c", script]);
    command
}

#[test]
fn lines_flow_from_first_to_second() {
    let output = within(GENEROUS, "printf | sort", "", || {
        pipe(sh("printf 'pear\\napple\\nfig\\n'"), Command::new("sort")).unwrap()
    });
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "apple\nfig\npear\n",
        "`sort` should have received the three lines of `printf` on its standard input: \
         the first child's stdout must become the second child's stdin"
    );
    assert!(output.first_status.success() && output.second_status.success());
}

#[test]
fn both_exit_statuses_are_reported() {
    let output = within(GENEROUS, "a failing first command", "", || {
        pipe(sh("echo partial; exit 3"), sh("cat; exit 5")).unwrap()
    });
    assert_eq!(
        (output.first_status.code(), output.second_status.code()),
        (Some(3), Some(5)),
        "the first command exits with 3 and the second with 5: wait for each child and keep \
         its own status"
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "partial\n");
}

#[test]
fn a_large_stream_does_not_deadlock() {
    // About 2 MB: far more than an OS pipe buffers (64 KiB on Linux).
    let output = within(
        GENEROUS,
        "a pipeline carrying 2 MB",
        "A pipe holds only about 64 KiB. If your program collects all of the first \
         command's output and then writes it into the second one's stdin before reading \
         the second one's stdout, both sides wait for each other. Give the first child's \
         stdout straight to the second child with `Stdio::from`.",
        || {
            pipe(
                sh("i=0; while [ $i -lt 2000 ]; do printf '%01000d\\n' $i; i=$((i+1)); done"),
                Command::new("cat"),
            )
            .unwrap()
        },
    );
    assert_eq!(
        output.stdout.len(),
        2_000 * 1_001,
        "all 2 000 lines of 1 001 bytes must come out of `cat`"
    );
}

#[test]
fn the_second_command_sees_end_of_input() {
    // `wc -l` prints only once its input ends: if a copy of the pipe's write
    // end stayed open somewhere, it would wait forever.
    let output = within(
        GENEROUS,
        "seq | wc -l",
        "`wc -l` never saw the end of its input: some copy of the pipe stayed open. Move the \
         first child's `ChildStdout` into the second command instead of keeping it.",
        || pipe(sh("seq 1 25"), sh("wc -l")).unwrap(),
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), "25");
}
