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
    pub fn print(&self) {
        println!("{self}");
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

#[cfg(test)]
mod tests {
    use super::*;

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
