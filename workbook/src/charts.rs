//! Charts of the demos' results, drawn as SVG with `plotters`.
//!
//! One module serves both the book (the committed sample charts under
//! `book/src/charts/`) and the learner (`cargo workbook measure`, then the
//! "Your machine" page of `cargo workbook book`). Each chart is two steps:
//! a function that reads a demo's [`Results`] (the JSON that `kit::table`
//! writes) into a [`Figure`], plain data that tests can inspect, and one
//! renderer that turns any figure into SVG.

use anyhow::{Context, Result};
use plotters::prelude::*;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::Path;

/// What one demo printed: the document `kit::table` writes for `KIT_JSON`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Results {
    pub demo: String,
    pub machine: Machine,
    pub tables: Vec<TableData>,
    /// Where the figures come from, for the caption (set for imported samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

/// The machine a demo ran on.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Machine {
    pub cores: usize,
    #[serde(default)]
    pub cpu: String,
    #[serde(default)]
    pub os: String,
    #[serde(default)]
    pub rustc: String,
    #[serde(default)]
    pub python: Option<String>,
}

/// One printed table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TableData {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Row>,
}

/// One row: the figure's name, its values in base units, and every cell.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Row {
    pub figure: String,
    pub measured: Option<f64>,
    pub predicted: Option<f64>,
    pub ratio: Option<f64>,
    pub unit: Option<String>,
    #[serde(default)]
    pub cells: BTreeMap<String, String>,
}

impl Row {
    /// The number in the cell under `header` (durations in seconds).
    pub fn value(&self, header: &str) -> Option<f64> {
        self.cells
            .get(header)
            .and_then(|text| kit::table::parse_figure(text))
            .map(|(value, _)| value)
    }
}

impl Results {
    /// Reads a results file.
    pub fn load(path: &Path) -> Result<Results> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not demo results", path.display()))
    }

    /// Every row of every table, with its table.
    fn rows(&self) -> impl Iterator<Item = (&TableData, &Row)> {
        self.tables
            .iter()
            .flat_map(|table| table.rows.iter().map(move |row| (table, row)))
    }

    /// One line saying where and on what the figures were measured.
    pub fn caption(&self) -> String {
        let machine = &self.machine;
        let mut parts = vec![format!("{} cores", machine.cores)];
        for part in [&machine.cpu, &machine.os, &machine.rustc] {
            if !part.is_empty() {
                parts.push(part.clone());
            }
        }
        if let Some(python) = &machine.python {
            parts.push(python.clone());
        }
        let machine = parts.join(", ");
        match &self.source {
            Some(source) => source.clone(),
            None => format!("{} on {machine}", self.demo),
        }
    }
}

/// A chart's content, independent of how it is drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum Figure {
    /// Lines over a numeric x axis (solid: measured, dashed: the model).
    Lines {
        x_label: String,
        y_label: String,
        log_x: bool,
        log_y: bool,
        series: Vec<Series>,
    },
    /// Horizontal bars, one group per category, one bar per series.
    Bars {
        value_label: String,
        log: bool,
        categories: Vec<String>,
        series: Vec<BarSeries>,
    },
}

/// One line of a [`Figure::Lines`].
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub name: String,
    pub points: Vec<(f64, f64)>,
    /// Dashed lines are predictions; solid lines with markers are measurements.
    pub model: bool,
    /// Index into the palette: a measurement and its model share a colour.
    pub colour: usize,
}

/// One kind of bar of a [`Figure::Bars`]: a value per category.
#[derive(Debug, Clone, PartialEq)]
pub struct BarSeries {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

impl Figure {
    /// How many data points (or bars) the figure holds.
    pub fn points(&self) -> usize {
        match self {
            Figure::Lines { series, .. } => series.iter().map(|s| s.points.len()).sum(),
            Figure::Bars { series, .. } => series
                .iter()
                .flat_map(|s| &s.values)
                .filter(|v| v.is_some())
                .count(),
        }
    }
}

/// A chart of the book: which demo it reads and how.
pub struct Chart {
    /// File stem of the SVG, e.g. `ch01-requests`.
    pub id: &'static str,
    pub chapter: &'static str,
    pub demo: &'static str,
    pub title: &'static str,
    /// One sentence under the chart: what to look at.
    pub lesson: &'static str,
    pub figure: fn(&Results) -> Option<Figure>,
}

/// Every chart, in chapter order.
pub fn all() -> Vec<Chart> {
    vec![
        Chart {
            id: "ch01-requests",
            chapter: "ch01",
            demo: "requests",
            title: "Total time vs number of requests",
            lesson: "Sequential time grows with every request; threads and tasks stay near one wait until spawning costs show.",
            figure: requests,
        },
        Chart {
            id: "ch01-cpu_bound",
            chapter: "ch01",
            demo: "cpu_bound",
            title: "CPU-bound jobs: tasks on one thread do not run in parallel",
            lesson: "Only more threads (or cores) shorten CPU-bound work; tasks on one thread take as long as the loop.",
            figure: measured_vs_predicted_bars,
        },
        Chart {
            id: "ch01-amdahl",
            chapter: "ch01",
            demo: "amdahl",
            title: "Amdahl's law: speedup of a 90% parallel job",
            lesson: "The speedup stops at the number of cores, below Amdahl's ceiling of 1/(1-p).",
            figure: amdahl,
        },
        Chart {
            id: "ch03-vs_tokio",
            chapter: "ch03",
            demo: "vs_tokio",
            title: "Home-made runtime vs tokio",
            lesson: "A small single-threaded loop keeps up with tokio's current-thread runtime on these workloads.",
            figure: vs_tokio,
        },
        Chart {
            id: "ch03-idle_cpu",
            chapter: "ch03",
            demo: "idle_cpu",
            title: "CPU used while waiting one second (log scale)",
            lesson: "A loop that blocks in the kernel uses microseconds of CPU (predicted: none, so no bar); a spin loop burns a core.",
            figure: idle_cpu,
        },
        Chart {
            id: "ch04-cpu_scaling",
            chapter: "ch04",
            demo: "cpu_scaling",
            title: "CPU-bound speedup by number of workers",
            lesson: "Rust threads and Python processes scale up to the core count; Python threads gain little (the GIL).",
            figure: cpu_scaling,
        },
        Chart {
            id: "ch04-spawn_cost",
            chapter: "ch04",
            demo: "spawn_cost",
            title: "Cost of creating and joining one unit (log scale)",
            lesson: "Each step from task to thread to process costs one to two orders of magnitude.",
            figure: log_bars,
        },
        Chart {
            id: "ch04-memory_per_unit",
            chapter: "ch04",
            demo: "memory_per_unit",
            title: "Resident memory per unit",
            lesson: "A parked thread costs kilobytes of resident stack; a pending task, hundreds of bytes.",
            figure: measured_vs_predicted_bars,
        },
        Chart {
            id: "ch05-contention",
            chapter: "ch05",
            demo: "contention",
            title: "Throughput of a shared counter by thread count",
            lesson: "Every strategy that shares one cache line gets slower with more threads; only sharding scales.",
            figure: contention,
        },
        Chart {
            id: "ch06-http_fanout",
            chapter: "ch06",
            demo: "http_fanout",
            title: "Fan-out time vs concurrency limit",
            lesson: "The time follows ceil(n/limit) x latency: each doubling of the limit halves the rounds.",
            figure: http_fanout,
        },
        Chart {
            id: "ch07-vs_redis",
            chapter: "ch07",
            demo: "vs_redis",
            title: "Requests per second: our server vs redis-server",
            lesson: "Unpipelined, both servers wait on round trips and land close together; pipelines of 16 multiply both five- to tenfold, and the gap between them moves from run to run (GET and SET at 0.69x to 1.18x of Redis over three idle runs).",
            figure: vs_redis,
        },
        Chart {
            id: "ch07-flush_policy",
            chapter: "ch07",
            demo: "vs_redis",
            title: "Flush when drained vs flush per reply, 50 clients",
            lesson: "One request in flight: no difference. Pipelined, flushing per reply with Nagle on falls to the delayed-ACK ceiling, clients x depth / 40 ms.",
            figure: flush_policy,
        },
        Chart {
            id: "ch08-buffered_fanout",
            chapter: "ch08",
            demo: "buffered_fanout",
            title: "Requests through a stream: time by combinator",
            lesson: "buffered(k) and buffer_unordered(k) follow ceil(n/k) x latency, like a semaphore of k.",
            figure: measured_vs_predicted_bars,
        },
    ]
}

/// The leading number of a text (`"10 requests of 20ms"` -> 10).
fn leading_number(text: &str) -> Option<f64> {
    let digits: String = text
        .trim()
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '.')
        .collect();
    digits.parse().ok()
}

/// Adds `(x, y)` to the series called `name`, creating it with `colour`.
fn push_point(series: &mut Vec<Series>, name: &str, model: bool, point: (f64, f64)) {
    if let Some(existing) = series.iter_mut().find(|s| s.name == name) {
        existing.points.push(point);
        return;
    }
    let colour = series.iter().filter(|s| s.model == model).count();
    series.push(Series {
        name: name.to_string(),
        points: vec![point],
        model,
        colour,
    });
}

/// Sorts each series by x and drops the empty ones.
fn lines(
    x_label: &str,
    y_label: &str,
    log: (bool, bool),
    mut series: Vec<Series>,
) -> Option<Figure> {
    series.retain(|s| !s.points.is_empty());
    for s in &mut series {
        s.points.sort_by(|a, b| a.0.total_cmp(&b.0));
    }
    (!series.is_empty()).then(|| Figure::Lines {
        x_label: x_label.to_string(),
        y_label: y_label.to_string(),
        log_x: log.0,
        log_y: log.1,
        series,
    })
}

/// ch01 `requests`, run for several request counts: one table per count.
fn requests(results: &Results) -> Option<Figure> {
    let mut series = Vec::new();
    let mut models = Vec::new();
    for (table, row) in results.rows() {
        let Some(count) = leading_number(&table.title) else {
            continue;
        };
        if let Some(measured) = row.measured {
            push_point(&mut series, &row.figure, false, (count, measured));
        }
        if let Some(predicted) = row.predicted {
            push_point(
                &mut models,
                &format!("model: {}", row.figure),
                true,
                (count, predicted),
            );
        }
    }
    series.extend(models);
    lines("number of requests", "total time (s)", (true, true), series)
}

/// ch01 `amdahl`: speedup by thread count, measured and predicted.
fn amdahl(results: &Results) -> Option<Figure> {
    let mut series = Vec::new();
    for (_, row) in results.rows() {
        let Some(threads) = leading_number(&row.figure) else {
            continue;
        };
        if let Some(measured) = row.measured {
            push_point(&mut series, "measured speedup", false, (threads, measured));
        }
        if let Some(predicted) = row.predicted {
            push_point(
                &mut series,
                "Amdahl's prediction, min(threads, cores)",
                true,
                (threads, predicted),
            );
        }
    }
    lines("threads", "speedup (x)", (false, false), series)
}

/// ch04 `cpu_scaling`: speedup by workers for each kind of worker.
fn cpu_scaling(results: &Results) -> Option<Figure> {
    let mut series = Vec::new();
    let mut max_workers: f64 = 1.0;
    for (_, row) in results.rows() {
        // "Rust, 2 thread(s)", "Python, 4 processes"; "Rust, rayon" has no count.
        let Some((language, rest)) = row.figure.split_once(", ") else {
            continue;
        };
        let Some(workers) = leading_number(rest) else {
            continue;
        };
        let Some(speedup) = row.value("speedup") else {
            continue;
        };
        let kind = if rest.contains("process") {
            "processes"
        } else {
            "threads"
        };
        max_workers = max_workers.max(workers);
        push_point(
            &mut series,
            &format!("{language} {kind}"),
            false,
            (workers, speedup),
        );
    }
    let cores = results.machine.cores.max(1) as f64;
    let ideal: Vec<(f64, f64)> = (1..=max_workers as usize)
        .map(|n| (n as f64, (n as f64).min(cores)))
        .collect();
    series.push(Series {
        name: "model: min(workers, cores)".to_string(),
        points: ideal,
        model: true,
        colour: 99,
    });
    lines("workers", "speedup (x)", (false, false), series)
}

/// ch05 `contention`: Mops/s by thread count for each counter.
fn contention(results: &Results) -> Option<Figure> {
    let mut series = Vec::new();
    let mut models = Vec::new();
    for (_, row) in results.rows() {
        let Some(threads) = row.value("threads") else {
            continue;
        };
        if let Some(measured) = row.measured {
            push_point(&mut series, &row.figure, false, (threads, measured));
        }
        if let Some(predicted) = row.predicted {
            push_point(
                &mut models,
                &format!("model: {}", row.figure),
                true,
                (threads, predicted),
            );
        }
    }
    // Only the perfect-scaling line of the fastest counter: the others are
    // the same shape and would hide the measurements.
    models.sort_by(|a, b| {
        let top = |s: &Series| s.points.iter().map(|p| p.1).fold(0.0, f64::max);
        top(b).total_cmp(&top(a))
    });
    models.truncate(1);
    if let Some(model) = models.first_mut() {
        model.name = "model: 1-thread rate x min(threads, cores)".to_string();
        model.colour = 99;
    }
    series.extend(models);
    lines(
        "threads",
        "million increments per second",
        (false, false),
        series,
    )
}

/// ch06 `http_fanout`, run for several limits: time by limit against
/// `ceil(n / limit) x latency` ("one by one" is limit 1, "join_all" is n).
fn http_fanout(results: &Results) -> Option<Figure> {
    let mut measured = Vec::new();
    let mut latency = None;
    let mut requests = None;
    for (_, row) in results.rows() {
        let limit = match row.figure.as_str() {
            "one by one" => Some(1.0),
            "join_all" => {
                latency = row.predicted;
                None
            }
            other => other.strip_prefix("semaphore(").and_then(leading_number),
        };
        if row.figure == "one by one" {
            requests = row.predicted;
        }
        if let (Some(limit), Some(time)) = (limit, row.measured) {
            measured.push((limit, time));
        }
        if let ("join_all", Some(time)) = (row.figure.as_str(), row.measured) {
            measured.push((f64::NAN, time));
        }
    }
    let latency = latency?;
    let count = (requests? / latency).round();
    for point in &mut measured {
        if point.0.is_nan() {
            point.0 = count;
        }
    }
    measured.sort_by(|a, b| a.0.total_cmp(&b.0));
    measured.dedup_by(|a, b| a.0 == b.0);
    let model = (1..=count as usize)
        .map(|limit| (limit as f64, (count / limit as f64).ceil() * latency))
        .collect();
    let series = vec![
        Series {
            name: "measured (1 = one by one, n = join_all)".to_string(),
            points: measured,
            model: false,
            colour: 0,
        },
        Series {
            name: "model: ceil(n / limit) x latency".to_string(),
            points: model,
            model: true,
            colour: 99,
        },
    ];
    lines("concurrency limit", "total time (s)", (true, true), series)
}

/// Bars of measured and predicted per row (ch01 `cpu_bound`, ch04 memory).
fn measured_vs_predicted_bars(results: &Results) -> Option<Figure> {
    bars(results, false)
}

/// The same on a log scale (ch04 `spawn_cost`).
fn log_bars(results: &Results) -> Option<Figure> {
    bars(results, true)
}

fn bars(results: &Results, log: bool) -> Option<Figure> {
    let table = results.tables.first()?;
    let unit = table
        .rows
        .iter()
        .find_map(|r| r.unit.clone())
        .unwrap_or_default();
    let categories = table.rows.iter().map(|r| r.figure.clone()).collect();
    let series = vec![
        BarSeries {
            name: "measured".to_string(),
            values: table.rows.iter().map(|r| r.measured).collect(),
        },
        BarSeries {
            name: "predicted".to_string(),
            values: table.rows.iter().map(|r| r.predicted).collect(),
        },
    ];
    let value_label = match unit.as_str() {
        "s" => "time (s)".to_string(),
        "B" => "bytes".to_string(),
        other => other.to_string(),
    };
    Some(Figure::Bars {
        value_label,
        log,
        categories,
        series,
    })
    .filter(|f| f.points() > 0)
}

/// ch03 `vs_tokio`: time per workload, one bar per runtime.
fn vs_tokio(results: &Results) -> Option<Figure> {
    let table = results.tables.first()?;
    let mut categories: Vec<String> = Vec::new();
    let mut runtimes: Vec<String> = Vec::new();
    for row in &table.rows {
        let workload = row.figure.clone();
        if !categories.contains(&workload) {
            categories.push(workload);
        }
        let runtime = row.cells.get("runtime").cloned().unwrap_or_default();
        if !runtimes.contains(&runtime) {
            runtimes.push(runtime);
        }
    }
    let series = runtimes
        .iter()
        .map(|runtime| BarSeries {
            name: runtime.clone(),
            values: categories
                .iter()
                .map(|workload| {
                    table
                        .rows
                        .iter()
                        .find(|r| &r.figure == workload && r.cells.get("runtime") == Some(runtime))
                        .and_then(|r| r.measured)
                })
                .collect(),
        })
        .collect();
    Some(Figure::Bars {
        value_label: "time (s)".to_string(),
        log: false,
        categories,
        series,
    })
    .filter(|f| f.points() > 0)
}

/// The table whose headers include `header`.
fn table_with<'a>(results: &'a Results, header: &str) -> Option<&'a TableData> {
    results
        .tables
        .iter()
        .find(|table| table.headers.iter().any(|h| h == header))
}

/// ch07 `vs_redis`, first table: requests per second per test and pipeline
/// depth, our server beside `redis-server` (the reference, not a model).
fn vs_redis(results: &Results) -> Option<Figure> {
    let table = table_with(results, "redis-server req/s")?;
    let column = |header: &str| table.rows.iter().map(|r| r.value(header)).collect();
    Some(Figure::Bars {
        value_label: "requests per second".to_string(),
        log: false,
        categories: table.rows.iter().map(|r| r.figure.clone()).collect(),
        series: vec![
            BarSeries {
                name: "our server".to_string(),
                values: column("ours req/s"),
            },
            BarSeries {
                name: "redis-server".to_string(),
                values: column("redis-server req/s"),
            },
        ],
    })
    .filter(|f| f.points() > 0)
}

/// ch07 `vs_redis`, the flush-policy tables: SET and GET at depth 1 and 16
/// on the fixed server and on mini-redis's configuration, with the
/// delayed-ACK prediction beside the one row it is about.
fn flush_policy(results: &Results) -> Option<Figure> {
    const SLOW: &str = "flush per reply, Nagle on (req/s)";
    let table = table_with(results, SLOW)?;
    let model = results
        .tables
        .iter()
        .find(|t| t.title == SLOW)
        .and_then(|t| t.rows.first());
    // The model row is "GET -P 16, 50 clients": it belongs to "GET -P 16".
    let model_for = |test: &str| {
        model
            .filter(|m| m.figure.split(',').next() == Some(test))
            .and_then(|m| m.predicted)
    };
    Some(Figure::Bars {
        value_label: "requests per second".to_string(),
        log: false,
        categories: table.rows.iter().map(|r| r.figure.clone()).collect(),
        series: vec![
            BarSeries {
                name: "flush when drained, TCP_NODELAY (ours)".to_string(),
                values: table.rows.iter().map(|r| r.value("fixed req/s")).collect(),
            },
            BarSeries {
                name: "flush per reply, Nagle on (mini-redis)".to_string(),
                values: table.rows.iter().map(|r| r.value(SLOW)).collect(),
            },
            BarSeries {
                name: "model: clients x depth / 40 ms delayed ACK".to_string(),
                values: table.rows.iter().map(|r| model_for(&r.figure)).collect(),
            },
        ],
    })
    .filter(|f| f.points() > 0)
}

/// ch03 `idle_cpu`: CPU time used during the wait, measured and predicted.
fn idle_cpu(results: &Results) -> Option<Figure> {
    let table = results.tables.first()?;
    let categories = table.rows.iter().map(|r| r.figure.clone()).collect();
    let column = |header: &str| table.rows.iter().map(|r| r.value(header)).collect();
    Some(Figure::Bars {
        value_label: "CPU time (s)".to_string(),
        log: true,
        categories,
        series: vec![
            BarSeries {
                name: "CPU time measured".to_string(),
                values: column("CPU time"),
            },
            BarSeries {
                name: "CPU time predicted".to_string(),
                values: column("predicted CPU"),
            },
        ],
    })
    .filter(|f| f.points() > 0)
}

/// Chart size: legible when the page shows it 750-1280 px wide.
const WIDTH: u32 = 1000;
const HEIGHT: u32 = 560;
const FONT: &str = "sans-serif";

/// Colours that stay apart for colour-blind readers (Okabe-Ito), then grey
/// for the model lines that are not tied to one measurement.
fn colour(index: usize) -> RGBColor {
    const PALETTE: [RGBColor; 7] = [
        RGBColor(0, 114, 178),
        RGBColor(230, 159, 0),
        RGBColor(0, 158, 115),
        RGBColor(204, 121, 167),
        RGBColor(86, 180, 233),
        RGBColor(213, 94, 0),
        RGBColor(120, 100, 0),
    ];
    PALETTE.get(index).copied().unwrap_or(RGBColor(90, 90, 90))
}

/// A unit that keeps axis labels short: `(divide by, unit name)`.
fn display_unit(label: &str, max: f64) -> (f64, String) {
    if label.contains("(s)") {
        let (scale, unit) = if max < 1e-3 {
            (1e-6, "µs")
        } else if max < 1.0 {
            (1e-3, "ms")
        } else {
            (1.0, "s")
        };
        return (scale, label.replace("(s)", &format!("({unit})")));
    }
    if label == "bytes" {
        return if max >= 2048.0 {
            (1024.0, "resident memory (KiB)".to_string())
        } else {
            (1.0, "resident memory (bytes)".to_string())
        };
    }
    (1.0, label.to_string())
}

/// Draws `figure` as an SVG document.
pub fn render(figure: &Figure, title: &str, caption: &str) -> Result<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(draw_error)?;
        let (plot_area, caption_area) = root.split_vertically(HEIGHT - 36);
        caption_area
            .draw_text(
                &format!("Measured on: {caption}"),
                &(FONT, 17).into_font().color(&RGBColor(70, 70, 70)),
                (14, 8),
            )
            .map_err(draw_error)?;
        match figure {
            Figure::Lines { .. } => draw_lines(&plot_area, figure, title)?,
            Figure::Bars { .. } => draw_bars(&plot_area, figure, title)?,
        }
        root.present().map_err(draw_error)?;
    }
    // Say how many data points the chart holds, for the browser test.
    if let Some(end) = svg.find('>') {
        let points = figure.points();
        svg.insert_str(
            end + 1,
            &format!("\n<desc>{title}: {points} data points</desc>"),
        );
    }
    Ok(svg)
}

fn draw_error<E: std::fmt::Debug>(error: E) -> anyhow::Error {
    anyhow::anyhow!("cannot draw the chart: {error:?}")
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// The padded range of a set of values, for linear or log axes.
fn range(values: impl Iterator<Item = f64>, log: bool, from_zero: bool) -> (f64, f64) {
    let values: Vec<f64> = values
        .filter(|v| v.is_finite() && (!log || *v > 0.0))
        .collect();
    let min = values.iter().copied().fold(f64::INFINITY, f64::min);
    let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if !min.is_finite() {
        return (if log { 0.1 } else { 0.0 }, 1.0);
    }
    // The top band is left free for the legend.
    if log {
        (min / 1.6, max * 6.0)
    } else if from_zero {
        (0.0, max * 1.45 + f64::EPSILON)
    } else {
        let pad = ((max - min) * 0.06).max(max.abs() * 0.02).max(f64::EPSILON);
        (min - pad, max + pad)
    }
}

fn draw_lines(area: &Area<'_>, figure: &Figure, title: &str) -> Result<()> {
    let Figure::Lines {
        x_label,
        y_label,
        log_x,
        log_y,
        series,
    } = figure
    else {
        return Ok(());
    };
    let points = || series.iter().flat_map(|s| s.points.iter());
    let whole_x = points().all(|p| (p.0 - p.0.round()).abs() < 1e-9);
    let (x_min, x_max) = match range(points().map(|p| p.0), *log_x, false) {
        // The legend room goes above the data, not to the right of it.
        (min, max) if *log_x => (min * 1.6 / 1.25, max / 6.0 * 1.25),
        other => other,
    };
    let (y_min, y_max) = range(points().map(|p| p.1), *log_y, !*log_y);
    let data_max = points().map(|p| p.1).fold(0.0, f64::max);
    let (scale, y_label) = display_unit(y_label, data_max);
    let (y_min, y_max) = (y_min / scale, y_max / scale);
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, (FONT, 28))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(90);
    // Four axis combinations are four types in plotters: one macro body.
    macro_rules! plot {
        ($x:expr, $y:expr) => {{
            let mut chart = builder.build_cartesian_2d($x, $y).map_err(draw_error)?;
            chart
                .configure_mesh()
                .x_desc(x_label.as_str())
                .y_desc(y_label.as_str())
                .axis_desc_style((FONT, 22))
                .label_style((FONT, 18))
                .light_line_style(WHITE)
                .x_label_formatter(&|x| {
                    // Counts (threads, requests): no tick at 1.5 workers.
                    if whole_x && (x - x.round()).abs() > 1e-9 {
                        String::new()
                    } else {
                        short_number(*x)
                    }
                })
                .y_label_formatter(&|y| short_number(*y))
                .draw()
                .map_err(draw_error)?;
            for s in series {
                let style = ShapeStyle::from(&colour(s.colour)).stroke_width(3);
                let scaled: Vec<(f64, f64)> = s.points.iter().map(|p| (p.0, p.1 / scale)).collect();
                if s.model {
                    chart
                        .draw_series(DashedLineSeries::new(scaled.clone(), 10, 6, style))
                        .map_err(draw_error)?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 24, y)], style.stroke_width(2))
                        });
                } else {
                    chart
                        .draw_series(LineSeries::new(scaled.clone(), style))
                        .map_err(draw_error)?
                        .label(s.name.as_str())
                        .legend(move |(x, y)| {
                            PathElement::new(vec![(x, y), (x + 24, y)], style.stroke_width(3))
                        });
                    chart
                        .draw_series(scaled.iter().map(|p| Circle::new(*p, 6, style.filled())))
                        .map_err(draw_error)?;
                }
            }
            chart
                .configure_series_labels()
                .position(SeriesLabelPosition::UpperLeft)
                .label_font((FONT, 18))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .draw()
                .map_err(draw_error)?;
        }};
    }
    match (*log_x, *log_y) {
        (false, false) => plot!(x_min..x_max, y_min..y_max),
        (true, false) => plot!((x_min..x_max).log_scale(), y_min..y_max),
        (false, true) => plot!(x_min..x_max, (y_min..y_max).log_scale()),
        (true, true) => plot!((x_min..x_max).log_scale(), (y_min..y_max).log_scale()),
    }
    Ok(())
}

fn draw_bars(area: &Area<'_>, figure: &Figure, title: &str) -> Result<()> {
    let Figure::Bars {
        value_label,
        log,
        categories,
        series,
    } = figure
    else {
        return Ok(());
    };
    let values = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().flatten().copied())
    };
    let (v_min, v_max) = range(values(), *log, true);
    // Bars run left to right: more room on the right for the legend.
    let v_max = v_max * 1.15;
    // The unit follows the data, not the padded axis (718 µs stays in µs).
    let data_max = values().fold(0.0, f64::max);
    let (scale, value_label) = display_unit(value_label, data_max);
    let (v_min, v_max) = (v_min / scale, v_max / scale);
    let longest = categories
        .iter()
        .map(|c| c.chars().count())
        .max()
        .unwrap_or(4);
    let label_width = (longest as u32 * 10 + 24).clamp(80, 460);
    let groups = categories.len() as f64;
    // The legend goes beside the shorter bars: top right or bottom right.
    let longest_bar = |category: usize| {
        series
            .iter()
            .filter_map(|s| s.values.get(category).copied().flatten())
            .fold(0.0, f64::max)
    };
    let legend_corner = if longest_bar(0) < longest_bar(categories.len().saturating_sub(1)) {
        SeriesLabelPosition::UpperRight
    } else {
        SeriesLabelPosition::LowerRight
    };
    let per_bar = 0.8 / series.len().max(1) as f64;
    let mut builder = ChartBuilder::on(area);
    builder
        .caption(title, (FONT, 28))
        .margin(16)
        .x_label_area_size(56)
        .y_label_area_size(label_width);
    // Category i occupies y in [i, i + 1); the labels sit at i + 0.5. The y
    // axis is flipped so the first row of the table is at the top.
    let category_label = |y: &f64| -> String {
        let index = groups - y - 0.5;
        let nearest = index.round();
        if (index - nearest).abs() < 1e-6 && nearest >= 0.0 {
            categories
                .get(nearest as usize)
                .cloned()
                .unwrap_or_default()
        } else {
            String::new()
        }
    };
    macro_rules! plot {
        ($x:expr) => {{
            let mut chart = builder
                .build_cartesian_2d($x, 0.0..groups)
                .map_err(draw_error)?;
            chart
                .configure_mesh()
                .disable_y_mesh()
                .y_labels(categories.len() * 2 + 1)
                .y_label_formatter(&category_label)
                .x_desc(value_label.as_str())
                .axis_desc_style((FONT, 22))
                .label_style((FONT, 18))
                .light_line_style(WHITE)
                .x_label_formatter(&|x| short_number(*x))
                .draw()
                .map_err(draw_error)?;
            for (index, s) in series.iter().enumerate() {
                let fill = colour(index).filled();
                let bars = s.values.iter().enumerate().filter_map(|(row, value)| {
                    let value = (*value)? / scale;
                    let top = groups - row as f64 - 0.1 - per_bar * index as f64;
                    let start = if *log { v_min } else { 0.0 };
                    Some(Rectangle::new(
                        [(start, top - per_bar * 0.92), (value.max(start), top)],
                        fill,
                    ))
                });
                chart
                    .draw_series(bars)
                    .map_err(draw_error)?
                    .label(s.name.as_str())
                    .legend(move |(x, y)| Rectangle::new([(x, y - 7), (x + 20, y + 7)], fill));
            }
            chart
                .configure_series_labels()
                .position(legend_corner)
                .label_font((FONT, 18))
                .background_style(WHITE.mix(0.85))
                .border_style(RGBColor(200, 200, 200))
                .draw()
                .map_err(draw_error)?;
        }};
    }
    if *log {
        plot!((v_min..v_max).log_scale())
    } else {
        plot!(v_min..v_max)
    }
    Ok(())
}

/// Axis numbers without float noise: 0.25, 12, 1.5k.
fn short_number(value: f64) -> String {
    let magnitude = value.abs();
    if magnitude >= 10_000.0 {
        format!("{:.0}k", value / 1000.0)
    } else if magnitude >= 100.0 || magnitude == 0.0 || (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else if magnitude >= 1.0 {
        format!("{value:.1}")
    } else {
        // Three significant figures, printed plainly: 0.0001, 0.25.
        let rounded: f64 = format!("{value:.2e}").parse().unwrap_or(value);
        format!("{rounded}")
    }
}

/// Reads every `<demo>.json` of a results folder.
pub fn load_folder(folder: &Path) -> Result<BTreeMap<String, Results>> {
    let mut all = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(folder) else {
        return Ok(all);
    };
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "json") {
            let results = Results::load(&path)?;
            all.insert(results.demo.clone(), results);
        }
    }
    Ok(all)
}

/// A chart drawn from results: its SVG and what the page says about it.
pub struct Drawn {
    pub chart: Chart,
    pub svg: String,
    pub caption: String,
    pub points: usize,
}

/// Draws every chart whose demo has results in `results`.
pub fn draw_all(results: &BTreeMap<String, Results>) -> Result<Vec<Drawn>> {
    let mut drawn = Vec::new();
    for chart in all() {
        let Some(demo) = results.get(chart.demo) else {
            continue;
        };
        let Some(figure) = (chart.figure)(demo) else {
            continue;
        };
        let caption = demo.caption();
        let svg = render(&figure, chart.title, &caption)?;
        drawn.push(Drawn {
            points: figure.points(),
            chart,
            svg,
            caption,
        });
    }
    Ok(drawn)
}

/// Parses the tables of a demo's printed output (text with `----` rules)
/// back into rows, for importing a run printed in a chapter page.
pub fn tables_from_text(text: &str) -> Vec<kit::table::Table> {
    let lines: Vec<Vec<char>> = text.lines().map(|l| l.chars().collect()).collect();
    let mut tables = Vec::new();
    let mut index = 1;
    while index < lines.len() {
        let rule = &lines[index];
        let is_rule = rule.contains(&'-') && rule.iter().all(|c| *c == '-' || *c == ' ');
        if !is_rule {
            index += 1;
            continue;
        }
        // Column spans are the runs of dashes.
        let mut spans = Vec::new();
        let mut start = None;
        for (i, c) in rule.iter().chain([&' ']).enumerate() {
            match (c, start) {
                ('-', None) => start = Some(i),
                (' ', Some(s)) => {
                    spans.push((s, i));
                    start = None;
                }
                _ => {}
            }
        }
        let cut = |line: &[char], last: bool, (from, to): (usize, usize)| -> String {
            let end = if last { line.len() } else { to.min(line.len()) };
            line.get(from.min(line.len())..end.max(from.min(line.len())))
                .map(|s| s.iter().collect::<String>().trim().to_string())
                .unwrap_or_default()
        };
        let cells = |line: &[char]| -> Vec<String> {
            spans
                .iter()
                .enumerate()
                .map(|(i, span)| cut(line, i + 1 == spans.len(), *span))
                .collect()
        };
        let mut table = kit::table::Table::new(cells(&lines[index - 1]));
        index += 1;
        while index < lines.len() && lines[index].iter().any(|c| !c.is_whitespace()) {
            table.row(cells(&lines[index]));
            index += 1;
        }
        tables.push(table);
    }
    tables
}

/// The results document of imported text, as `kit::table` would write it.
pub fn import_text(demo: &str, text: &str, machine: &Machine, source: &str) -> Result<Results> {
    let tables: Vec<String> = tables_from_text(text).iter().map(|t| t.to_json()).collect();
    let document = format!(
        "{{\"demo\":{},\"machine\":{},\"tables\":[{}],\"source\":{}}}",
        kit::table::json_string(demo),
        serde_json::to_string(machine)?,
        tables.join(","),
        kit::table::json_string(source)
    );
    Ok(serde_json::from_str(&document)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REQUESTS: &str = "
  10 requests of 20ms  measured  predicted  ratio
  -------------------  --------  ---------  -----
  sequential           201.0 ms   200.0 ms  1.00x
  one thread each       21.0 ms    20.0 ms  1.05x

  50 requests of 20ms  measured  predicted  ratio
  -------------------  --------  ---------  -----
  sequential            1.004 s    1.000 s  1.00x
  one thread each       22.1 ms    20.0 ms  1.10x
";

    fn machine() -> Machine {
        Machine {
            cores: 2,
            ..Machine::default()
        }
    }

    #[test]
    fn imported_text_gives_one_point_per_row_and_count() {
        let results = import_text("requests", REQUESTS, &machine(), "a test").unwrap();
        assert_eq!(
            results.tables.len(),
            2,
            "expected two tables, got {results:?}"
        );
        let figure = requests(&results).expect("a requests figure");
        let Figure::Lines { series, .. } = &figure else {
            panic!("expected lines, got {figure:?}");
        };
        let sequential = series.iter().find(|s| s.name == "sequential").unwrap();
        assert_eq!(
            sequential.points,
            vec![(10.0, 0.201), (50.0, 1.004)],
            "expected (requests, seconds) per table"
        );
        assert_eq!(figure.points(), 8, "4 measured and 4 model points");
    }

    #[test]
    fn every_chart_renders_an_svg_with_its_data() {
        let results = import_text("requests", REQUESTS, &machine(), "a test").unwrap();
        let figure = requests(&results).unwrap();
        let svg = render(&figure, "title", "caption").unwrap();
        assert!(svg.starts_with("<svg"), "expected an SVG document");
        assert!(
            svg.contains("<circle"),
            "expected markers for the measured points"
        );
        assert!(
            svg.contains("number of requests"),
            "expected the x axis label"
        );
        let bars = measured_vs_predicted_bars(&results).unwrap();
        let svg = render(&bars, "bars", "caption").unwrap();
        assert!(svg.contains("<rect"), "expected bars");
    }

    #[test]
    fn axis_numbers_are_short() {
        assert_eq!(short_number(0.0001), "0.0001");
        assert_eq!(short_number(0.25), "0.25");
        assert_eq!(short_number(2.0), "2");
        assert_eq!(short_number(1500.0), "1500");
        assert_eq!(short_number(20_000.0), "20k");
    }

    #[test]
    fn flush_policy_reads_rates_with_separators_and_places_the_model() {
        let text = "
  test       fixed req/s  flush per reply, Nagle on (req/s)   ratio
  ---------  -----------  ---------------------------------  ------
  SET -P 1        59,172                             74,074   0.80x
  GET -P 16      455,273                             17,151  26.55x

  flush per reply, Nagle on (req/s)  measured  predicted  ratio
  ---------------------------------  --------  ---------  -----
  GET -P 16, 50 clients                17,151     20,000  0.86x
";
        let results = import_text("vs_redis", text, &machine(), "a test").unwrap();
        let Some(Figure::Bars { series, .. }) = flush_policy(&results) else {
            panic!("expected flush-policy bars from {results:?}");
        };
        assert_eq!(
            series[0].values,
            vec![Some(59_172.0), Some(455_273.0)],
            "expected `455,273` read as one number (thousands separator), not 455"
        );
        assert_eq!(
            series[2].values,
            vec![None, Some(20_000.0)],
            "expected the delayed-ACK model beside GET -P 16 only"
        );
    }

    #[test]
    fn fanout_model_is_ceil_n_over_limit() {
        let text = "
  strategy      measured  predicted  ratio
  ------------  --------  ---------  -----
  one by one     2.010 s    2.000 s  1.01x
  join_all      104.0 ms   100.0 ms  1.04x
  semaphore(3)  705.0 ms   700.0 ms  1.01x
";
        let results = import_text("http_fanout", text, &machine(), "a test").unwrap();
        let Some(Figure::Lines { series, .. }) = http_fanout(&results) else {
            panic!("expected a fan-out figure");
        };
        let model = &series[1].points;
        assert_eq!(model.len(), 20, "one model point per limit 1..=n");
        assert!(
            (model[2].1 - 0.7).abs() < 1e-9,
            "ceil(20/3) x 100 ms = 700 ms, got {model:?}"
        );
        assert_eq!(
            series[0].points.iter().map(|p| p.0).collect::<Vec<_>>(),
            vec![1.0, 3.0, 20.0],
            "one by one is limit 1, join_all is limit n"
        );
    }
}
