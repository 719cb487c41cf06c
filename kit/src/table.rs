//! A small table printer for demos.
//!
//! Every demo prints what it measured next to what the model predicted and
//! the ratio of the two. [`Table::comparison`] builds exactly that table:
//!
//! ```
//! use std::time::Duration;
//! use kit::table::Table;
//!
//! let mut table = Table::comparison("strategy");
//! table.compare("sequential", Duration::from_millis(1010), Duration::from_millis(1000));
//! let text = table.to_string();
//! assert!(text.contains("1.01x"));
//! ```

use std::fmt;
use std::time::Duration;

/// Rows of text cells printed with aligned columns.
#[derive(Debug, Clone, Default)]
pub struct Table {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with the given column headers.
    pub fn new<S: Into<String>>(headers: impl IntoIterator<Item = S>) -> Self {
        Table {
            headers: headers.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// The standard demo table: `label | measured | predicted | ratio`.
    pub fn comparison(label: &str) -> Self {
        Table::new([label, "measured", "predicted", "ratio"])
    }

    /// Appends a row; missing cells print empty, extra cells are kept.
    pub fn row<S: Into<String>>(&mut self, cells: impl IntoIterator<Item = S>) -> &mut Self {
        self.rows.push(cells.into_iter().map(Into::into).collect());
        self
    }

    /// Appends a `label | measured | predicted | ratio` row of durations.
    pub fn compare(&mut self, label: &str, measured: Duration, predicted: Duration) -> &mut Self {
        let ratio = ratio(measured.as_secs_f64(), predicted.as_secs_f64());
        self.row([
            label.to_string(),
            duration(measured),
            duration(predicted),
            ratio,
        ])
    }

    /// Prints the table to standard output, followed by a blank line.
    ///
    /// With `--json` on the command line the table is printed as one line of
    /// JSON instead (see [`Table::to_json`]), among whatever else the demo
    /// prints on stdout: a quick look, not for programs. With the `KIT_JSON`
    /// environment variable set to a path, every table printed so far is
    /// also written to that file as one document, and stdout stays the
    /// readable text: that file is what `cargo workbook measure` reads.
    pub fn print(&self) {
        if crate::args::flag("json") {
            println!("{}", json_document(&[self.to_json()]));
        } else {
            println!("{self}");
        }
        if let Ok(path) = std::env::var("KIT_JSON") {
            record_to_file(&path, self.to_json());
        }
    }

    /// The table as a JSON object: its title (the first header), headers,
    /// and one object per row with the figure, measured and predicted values
    /// (durations in seconds, sizes in bytes), the ratio and the unit.
    pub fn to_json(&self) -> String {
        let measured = self.column(|h| h.contains("measured"));
        let predicted = self.column(|h| h.contains("predict") || h.contains("model"));
        let ratio_column = self.column(|h| h.contains("ratio"));
        let rows: Vec<String> = self
            .rows
            .iter()
            .map(|row| {
                let cell = |column: Option<usize>| column.and_then(|c| row.get(c));
                let parsed = |column| cell(column).and_then(|text| parse_figure(text));
                let measured_value = parsed(measured);
                let predicted_value = parsed(predicted);
                let unit = measured_value
                    .as_ref()
                    .or(predicted_value.as_ref())
                    .map(|(_, unit)| unit.clone())
                    .filter(|unit| !unit.is_empty())
                    .or_else(|| measured.and_then(|c| unit_from_header(&self.headers[c])));
                let cells: Vec<String> = self
                    .headers
                    .iter()
                    .enumerate()
                    .map(|(i, header)| {
                        let text = row.get(i).map_or("", String::as_str);
                        format!("{}:{}", json_string(header), json_string(text))
                    })
                    .collect();
                format!(
                    "{{\"figure\":{},\"measured\":{},\"predicted\":{},\"ratio\":{},\"unit\":{},\"cells\":{{{}}}}}",
                    json_string(row.first().map_or("", String::as_str)),
                    json_number(measured_value.map(|(v, _)| v)),
                    json_number(predicted_value.map(|(v, _)| v)),
                    json_number(parsed(ratio_column).map(|(v, _)| v)),
                    unit.map_or("null".to_string(), |u| json_string(&u)),
                    cells.join(",")
                )
            })
            .collect();
        let headers: Vec<String> = self.headers.iter().map(|h| json_string(h)).collect();
        format!(
            "{{\"title\":{},\"headers\":[{}],\"rows\":[{}]}}",
            json_string(self.headers.first().map_or("", String::as_str)),
            headers.join(","),
            rows.join(",")
        )
    }

    /// The first column whose lower-case header satisfies `wanted`.
    fn column(&self, wanted: impl Fn(&str) -> bool) -> Option<usize> {
        self.headers
            .iter()
            .skip(1)
            .position(|h| wanted(&h.to_lowercase()))
            .map(|i| i + 1)
    }

    fn widths(&self) -> Vec<usize> {
        let columns = self
            .rows
            .iter()
            .map(Vec::len)
            .chain([self.headers.len()])
            .max()
            .unwrap_or(0);
        (0..columns)
            .map(|column| {
                std::iter::once(&self.headers)
                    .chain(&self.rows)
                    .filter_map(|row| row.get(column))
                    .map(|cell| cell.chars().count())
                    .max()
                    .unwrap_or(0)
            })
            .collect()
    }
}

impl fmt::Display for Table {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let widths = self.widths();
        let write_row = |f: &mut fmt::Formatter<'_>, row: &[String]| -> fmt::Result {
            let cells: Vec<String> = widths
                .iter()
                .enumerate()
                .map(|(i, width)| {
                    let cell = row.get(i).map_or("", String::as_str);
                    // First column (labels) left-aligned, figures right-aligned.
                    if i == 0 {
                        format!("{cell:<width$}")
                    } else {
                        format!("{cell:>width$}")
                    }
                })
                .collect();
            writeln!(f, "  {}", cells.join("  ").trim_end())
        };
        write_row(f, &self.headers)?;
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        writeln!(f, "  {}", rule.join("  "))?;
        for row in &self.rows {
            write_row(f, row)?;
        }
        Ok(())
    }
}

/// Formats a duration with a unit that keeps three significant figures.
pub fn duration(d: Duration) -> String {
    let secs = d.as_secs_f64();
    if secs >= 1.0 {
        format!("{secs:.3} s")
    } else if secs >= 1e-3 {
        format!("{:.1} ms", secs * 1e3)
    } else if secs >= 1e-6 {
        format!("{:.1} µs", secs * 1e6)
    } else {
        format!("{} ns", d.as_nanos())
    }
}

/// Formats a byte count as B, KiB, MiB or GiB.
pub fn bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut value = n as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{value:.1} {}", UNITS[unit])
    }
}

/// `measured / predicted` as `1.02x`; `-` when the prediction is zero.
pub fn ratio(measured: f64, predicted: f64) -> String {
    if predicted == 0.0 {
        "-".to_string()
    } else {
        format!("{:.2}x", measured / predicted)
    }
}

/// Tables printed so far by this process, for the `KIT_JSON` file.
static RECORDED: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Rewrites the whole `KIT_JSON` document, so a demo that dies half-way
/// still leaves valid JSON with the tables it had printed.
fn record_to_file(path: &str, table: String) {
    let mut tables = RECORDED
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    tables.push(table);
    if let Err(error) = std::fs::write(path, json_document(&tables)) {
        eprintln!("warning: could not write {path}: {error}");
    }
}

/// `{"demo": ..., "machine": {...}, "tables": [...]}`.
fn json_document(tables: &[String]) -> String {
    format!(
        "{{\"demo\":{},\"machine\":{},\"tables\":[{}]}}",
        json_string(&demo_name()),
        Machine::current().to_json(),
        tables.join(",")
    )
}

/// The running binary's name: the demo's name under `cargo run --bin`.
fn demo_name() -> String {
    std::env::current_exe()
        .ok()
        .and_then(|exe| exe.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .unwrap_or_default()
}

/// The machine a demo ran on, recorded beside its figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Machine {
    /// Logical cores available to this process.
    pub cores: usize,
    /// `model name` from `/proc/cpuinfo` (empty when unknown).
    pub cpu: String,
    /// `PRETTY_NAME` from `/etc/os-release`, else the OS family.
    pub os: String,
    /// `rustc -V` of the compiler that built the demo.
    pub rustc: String,
    /// `python3 --version`, when Python is installed (ch04 uses it).
    pub python: Option<String>,
}

impl Machine {
    /// Reads the current machine (a few small files and one `python3 -V`).
    pub fn current() -> Machine {
        let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
        let os_release = std::fs::read_to_string("/etc/os-release").unwrap_or_default();
        let python = std::process::Command::new("python3")
            .arg("--version")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| {
                let text = if out.stdout.is_empty() {
                    out.stderr
                } else {
                    out.stdout
                };
                String::from_utf8_lossy(&text).trim().to_string()
            });
        Machine {
            cores: crate::measure::cores(),
            cpu: field(&cpuinfo, "model name", ':').unwrap_or_default(),
            os: field(&os_release, "PRETTY_NAME", '=')
                .map(|name| name.trim_matches('"').to_string())
                .unwrap_or_else(|| std::env::consts::OS.to_string()),
            rustc: env!("KIT_RUSTC_VERSION").to_string(),
            python,
        }
    }

    /// The machine as a JSON object.
    pub fn to_json(&self) -> String {
        format!(
            "{{\"cores\":{},\"cpu\":{},\"os\":{},\"rustc\":{},\"python\":{}}}",
            self.cores,
            json_string(&self.cpu),
            json_string(&self.os),
            json_string(&self.rustc),
            self.python
                .as_deref()
                .map_or("null".to_string(), json_string)
        )
    }
}

/// The value of the first `key<sep>value` line of `text`.
fn field(text: &str, key: &str, separator: char) -> Option<String> {
    text.lines().find_map(|line| {
        let (name, value) = line.split_once(separator)?;
        (name.trim() == key).then(|| value.trim().to_string())
    })
}

/// Reads a cell such as `1.010 s`, `950.0 ms`, `2.0 KiB`, `1.02x` or `12.5`
/// as a number in a base unit: durations in seconds, sizes in bytes, ratios
/// in `x`; a plain number has an empty unit (the header names it).
/// Thousands separators are read as such: `455,273` is 455273.
pub fn parse_figure(text: &str) -> Option<(f64, String)> {
    let text = text.trim();
    let is_group = |at: usize| {
        let group = text.as_bytes().get(at + 1..at + 4);
        group.is_some_and(|g| g.iter().all(u8::is_ascii_digit))
            && !text.as_bytes().get(at + 4).is_some_and(u8::is_ascii_digit)
    };
    let end = text
        .char_indices()
        .find(|&(at, c)| {
            !(c.is_ascii_digit()
                || matches!(c, '.' | '-' | '+' | 'e')
                || (c == ',' && is_group(at)))
        })
        .map_or(text.len(), |(at, _)| at);
    let (number, unit) = text.split_at(end);
    let value: f64 = number.replace(',', "").parse().ok()?;
    let (divisor, base) = match unit.trim() {
        "s" => (1.0, "s"),
        // Dividing (not multiplying by 1e-3) keeps 950.0 ms exactly 0.95 s.
        "ms" => (1e3, "s"),
        "µs" | "us" => (1e6, "s"),
        "ns" => (1e9, "s"),
        "B" => (1.0, "B"),
        // Sizes are multiples, so these scales are exact.
        "KiB" => (1.0 / 1024.0, "B"),
        "MiB" => (1.0 / (1024.0 * 1024.0), "B"),
        "GiB" => (1.0 / (1024.0 * 1024.0 * 1024.0), "B"),
        "x" | "×" => (1.0, "x"),
        other => (1.0, other),
    };
    Some((value / divisor, base.to_string()))
}

/// `Mops/s measured` -> `Mops/s`: the unit a header puts before the word.
fn unit_from_header(header: &str) -> Option<String> {
    let unit = header.split_whitespace().next()?;
    (!unit.eq_ignore_ascii_case("measured")).then(|| unit.to_string())
}

fn json_number(value: Option<f64>) -> String {
    match value {
        // Six significant figures: 13.8 ms is 0.0138 s, not 0.013800000000000002.
        Some(v) if v.is_finite() => {
            let rounded: f64 = format!("{v:.5e}").parse().unwrap_or(v);
            format!("{rounded}")
        }
        _ => "null".to_string(),
    }
}

/// A JSON string literal, escaping quotes, backslashes and control characters.
pub fn json_string(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_rows_carry_figures_in_base_units() {
        let mut table = Table::comparison("10 requests \"quoted\"");
        table.compare(
            "sequential",
            Duration::from_millis(1010),
            Duration::from_millis(1000),
        );
        table.row(["threads", "950.0 ms", "1.000 s", "0.95x"]);
        let json = table.to_json();
        assert!(
            json.starts_with("{\"title\":\"10 requests \\\"quoted\\\"\""),
            "expected the first header as an escaped title, got {json}"
        );
        assert!(
            json.contains("\"figure\":\"threads\",\"measured\":0.95,\"predicted\":1,\"ratio\":0.95,\"unit\":\"s\""),
            "expected 950.0 ms read as 0.95 s beside its prediction and ratio, got {json}"
        );
    }

    #[test]
    fn json_unit_comes_from_the_header_for_plain_numbers() {
        let mut table = Table::new([
            "counter",
            "threads",
            "Mops/s measured",
            "Mops/s predicted",
            "ratio",
        ]);
        table.row(["mutex", "2", "12.5", "25.0", "0.50x"]);
        let json = table.to_json();
        assert!(
            json.contains("\"measured\":12.5,\"predicted\":25,\"ratio\":0.5,\"unit\":\"Mops/s\""),
            "expected the unit taken from the header, got {json}"
        );
        assert!(
            json.contains("\"threads\":\"2\""),
            "expected every cell kept by header, got {json}"
        );
    }

    #[test]
    fn figures_parse_in_base_units() {
        assert_eq!(parse_figure("2.0 KiB"), Some((2048.0, "B".to_string())));
        assert_eq!(parse_figure("250 ns"), Some((250e-9, "s".to_string())));
        assert_eq!(parse_figure("-"), None, "a dash is no figure");
        assert_eq!(
            parse_figure("1,234,567 req/s"),
            Some((1234567.0, "req/s".to_string())),
            "a rate with thousands separators"
        );
        assert_eq!(
            parse_figure("12,3456").map(|(value, _)| value),
            Some(12.0),
            "a comma not followed by exactly three digits ends the number"
        );
        assert_eq!(parse_figure("pinning failed"), None);
    }

    #[test]
    fn machine_is_described() {
        let machine = Machine::current();
        assert!(
            machine.cores >= 1,
            "expected at least one core, got {machine:?}"
        );
        assert!(
            machine.rustc.starts_with("rustc "),
            "expected `rustc -V` output, got {machine:?}"
        );
        let json = machine.to_json();
        assert!(
            json.starts_with("{\"cores\":"),
            "expected a JSON object, got {json}"
        );
    }

    #[test]
    fn columns_align() {
        let mut table = Table::new(["a", "bb"]);
        table.row(["long label", "1"]);
        let text = table.to_string();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "  a           bb");
        assert_eq!(lines[2], "  long label   1");
    }

    #[test]
    fn units() {
        assert_eq!(duration(Duration::from_millis(1500)), "1.500 s");
        assert_eq!(duration(Duration::from_micros(2500)), "2.5 ms");
        assert_eq!(bytes(2048), "2.0 KiB");
        assert_eq!(ratio(2.0, 1.0), "2.00x");
    }
}
