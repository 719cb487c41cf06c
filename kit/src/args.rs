//! Minimal option parsing for demos: `--name value` pairs with defaults.
//!
//! Demos take a handful of numeric knobs (`--requests 100 --latency-ms 50`).
//! A full argument parser would be noise in teaching code, so demos call
//! [`opt`] and get the default when the flag is absent.

use std::str::FromStr;

/// Returns the value following `--name` on the command line, or `default`.
///
/// Exits with a one-line message when the value does not parse, so that a
/// typo never turns into a panic with a backtrace.
pub fn opt<T: FromStr>(name: &str, default: T) -> T {
    let args: Vec<String> = std::env::args().collect();
    opt_from(&args, name, default)
}

/// Like [`opt`], over an explicit argument list (used by tests).
pub fn opt_from<T: FromStr>(args: &[String], name: &str, default: T) -> T {
    let flag = format!("--{name}");
    let Some(position) = args.iter().position(|arg| *arg == flag) else {
        return default;
    };
    let Some(text) = args.get(position + 1) else {
        eprintln!("error: {flag} needs a value");
        std::process::exit(2);
    };
    text.parse().unwrap_or_else(|_| {
        eprintln!("error: {flag} {text}: not a valid value");
        std::process::exit(2);
    })
}

/// True when `--name` appears on the command line.
pub fn flag(name: &str) -> bool {
    let flag = format!("--{name}");
    std::env::args().any(|arg| arg == flag)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn reads_value_or_default() {
        let argv = args(&["demo", "--requests", "7"]);
        assert_eq!(opt_from(&argv, "requests", 100u32), 7);
        assert_eq!(opt_from(&argv, "latency-ms", 50u64), 50);
    }
}
