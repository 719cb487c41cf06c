// Tests for exercise `dyn_async_trait` (chapter 8, "Async fn in traits and dyn").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).

use ch08_exercises::dyn_async_trait::{Filter, Pipeline};
use std::sync::Arc;
use std::time::Duration;
use tokio::time::Instant;

/// Upper-cases its input at once.
struct Shout;

impl Filter for Shout {
    fn name(&self) -> String {
        "shout".to_string()
    }
    async fn apply(&self, text: String) -> String {
        text.to_uppercase()
    }
}

/// Appends a suffix after waiting `delay` (virtual time): a call to a slow service.
struct Tag {
    suffix: &'static str,
    delay: Duration,
}

impl Filter for Tag {
    fn name(&self) -> String {
        format!("tag{}", self.suffix)
    }
    async fn apply(&self, text: String) -> String {
        tokio::time::sleep(self.delay).await;
        format!("{text}{}", self.suffix)
    }
}

fn tag(suffix: &'static str, delay_ms: u64) -> Tag {
    Tag {
        suffix,
        delay: Duration::from_millis(delay_ms),
    }
}

/// An hour of virtual time is the net for a pipeline that never finishes.
async fn within_an_hour<T>(what: &str, work: impl Future<Output = T>) -> T {
    match tokio::time::timeout(Duration::from_secs(3600), work).await {
        Ok(value) => value,
        Err(_) => panic!("{what} was still running after an hour of virtual time"),
    }
}

#[tokio::test(start_paused = true)]
async fn filters_run_in_the_order_they_were_added() {
    let tag_then_shout = Pipeline::new().with(tag("-a", 0)).with(Shout);
    assert_eq!(
        within_an_hour("run", tag_then_shout.run("x")).await,
        "X-A",
        "tag then shout: \"x\" -> \"x-a\" -> \"X-A\". \"X\" means each filter was given the \
         original text instead of the previous filter's output; \"X-a\" means the order was \
         reversed."
    );
    let shout_then_tag = Pipeline::new().with(Shout).with(tag("-a", 0));
    assert_eq!(
        within_an_hour("run", shout_then_tag.run("x")).await,
        "X-a",
        "shout then tag: \"x\" -> \"X\" -> \"X-a\""
    );
}

#[tokio::test(start_paused = true)]
async fn an_empty_pipeline_returns_its_input() {
    let empty = Pipeline::new();
    assert_eq!(
        within_an_hour("run", empty.run("unchanged")).await,
        "unchanged",
        "no filters: the text comes back as it went in (start from the input, not an empty string)"
    );
    assert_eq!(
        within_an_hour("fan_out", empty.fan_out("x")).await,
        vec![],
        "no filters: no outputs"
    );
    assert_eq!(empty.names(), Vec::<String>::new(), "no filters: no names");
}

#[tokio::test(start_paused = true)]
async fn the_same_filter_type_can_appear_twice_among_others() {
    let pipeline = Pipeline::new()
        .with(tag("-1", 5))
        .with(Shout)
        .with(tag("-2", 5));
    assert_eq!(
        pipeline.names(),
        vec!["tag-1", "shout", "tag-2"],
        "names in the order the filters were added"
    );
    assert_eq!(
        within_an_hour("run", pipeline.run("ab")).await,
        "AB-1-2",
        "\"ab\" -> \"ab-1\" -> \"AB-1\" -> \"AB-1-2\""
    );
}

#[tokio::test(start_paused = true)]
async fn run_waits_for_each_filter_before_the_next() {
    let pipeline = Pipeline::new()
        .with(tag("-a", 100))
        .with(tag("-b", 300))
        .with(tag("-c", 200));
    let started = Instant::now();
    let output = within_an_hour("run", pipeline.run("go")).await;
    assert_eq!(
        output, "go-a-b-c",
        "each filter appends its tag to the previous output"
    );
    assert_eq!(
        started.elapsed(),
        Duration::from_millis(600),
        "run chains the filters, each needing the previous output, so the waits add up: \
         100 + 300 + 200 ms of virtual time"
    );
}

#[tokio::test(start_paused = true)]
async fn fan_out_runs_every_filter_at_once() {
    let pipeline = Pipeline::new()
        .with(tag("-a", 100))
        .with(tag("-b", 300))
        .with(tag("-c", 200));
    let started = Instant::now();
    within_an_hour("fan_out", pipeline.fan_out("go")).await;
    let took = started.elapsed();
    assert_eq!(
        took,
        Duration::from_millis(300),
        "fan_out of filters that wait 100, 300 and 200 ms took {took:?} of virtual time, \
         expected 300 ms (the slowest): are the boxed futures awaited one after another \
         instead of together?"
    );
}

#[tokio::test(start_paused = true)]
async fn fan_out_keeps_the_order_the_filters_were_added() {
    let pipeline = Pipeline::new()
        .with(tag("-slow", 300))
        .with(Shout)
        .with(tag("-mid", 200));
    let outputs = within_an_hour("fan_out", pipeline.fan_out("hi")).await;
    let expected: Vec<(String, String)> = [
        ("tag-slow", "hi-slow"),
        ("shout", "HI"),
        ("tag-mid", "hi-mid"),
    ]
    .iter()
    .map(|(name, output)| (name.to_string(), output.to_string()))
    .collect();
    assert_eq!(
        outputs, expected,
        "fan_out gives every filter the same input and reports (name, output) in the order the \
         filters were added, not the order they finished"
    );
}

#[tokio::test(start_paused = true)]
async fn a_pipeline_is_shared_across_spawned_tasks() {
    let pipeline = Arc::new(Pipeline::new().with(tag("!", 10)).with(Shout));
    let tasks: Vec<_> = ["one", "two", "six"]
        .into_iter()
        .map(|word| {
            let pipeline = Arc::clone(&pipeline);
            // `spawn` needs a `Send + 'static` future: the boxed futures are `Send`.
            tokio::spawn(async move { pipeline.run(word).await })
        })
        .collect();
    let mut outputs = Vec::new();
    for task in tasks {
        outputs.push(
            within_an_hour("a spawned run", task)
                .await
                .expect("a spawned run panicked"),
        );
    }
    assert_eq!(
        outputs,
        vec!["ONE!", "TWO!", "SIX!"],
        "three tasks running the one shared pipeline each get their own result"
    );
}
