// wrong: fan_out collects the results as the filters finish, so the pairs come in finishing order, not in the order the filters were added
//! # Exercise `dyn_async_trait`: async trait methods behind `dyn`
//!
//! `Filter` has an async method, so `dyn Filter` does not exist. Write the
//! bridge: a blanket impl of the dyn-compatible `DynFilter` (whose method
//! returns a boxed future) for every `Filter`, then a `Pipeline` that keeps
//! a list of `Box<dyn DynFilter>` plugins of different types and runs them
//! one after another (`run`) or all at once on the same input (`fan_out`).
//!
//! Book: chapter 8, "Async fn in traits and dyn". Check: `cargo workbook check dyn_async_trait`.

use futures::future::BoxFuture;

// ANCHOR: traits
/// Given: a text filter with an async method. Implementors write
/// `async fn apply(&self, text: String) -> String`; the trait spells the
/// return type out so that it can promise the future is `Send`.
pub trait Filter: Send + Sync {
    /// A name for reports.
    fn name(&self) -> String;
    /// Transforms `text`, possibly waiting on something (a service, a timer).
    fn apply(&self, text: String) -> impl Future<Output = String> + Send;
}

/// Given: the dyn-compatible twin of `Filter`: the future is boxed, so every
/// implementor's method has the same return type and a vtable can hold it.
pub trait DynFilter: Send + Sync {
    fn name(&self) -> String;
    fn apply_boxed(&self, text: String) -> BoxFuture<'_, String>;
}
// ANCHOR_END: traits

// ANCHOR: bridge
/// Every `Filter` is a `DynFilter`: its future, boxed and pinned.
impl<T: Filter> DynFilter for T {
    fn name(&self) -> String {
        Filter::name(self)
    }

    fn apply_boxed(&self, text: String) -> BoxFuture<'_, String> {
        Box::pin(self.apply(text))
    }
}
// ANCHOR_END: bridge

/// A list of filters of any types, in the order they were added.
#[derive(Default)]
pub struct Pipeline {
    filters: Vec<Box<dyn DynFilter>>,
}

impl Pipeline {
    /// Given: an empty pipeline.
    pub fn new() -> Self {
        Pipeline::default()
    }

    /// Appends `filter` (any `Filter` type) after the ones already added.
    pub fn with(mut self, filter: impl Filter + 'static) -> Self {
        self.filters.push(Box::new(filter));
        self
    }

    /// The filters' names, in order.
    pub fn names(&self) -> Vec<String> {
        self.filters.iter().map(|filter| filter.name()).collect()
    }

    /// Feeds `text` through every filter in order, each one getting the
    /// previous one's output, and returns the last output (`text` itself for
    /// an empty pipeline). The filters necessarily run one after another.
    pub async fn run(&self, text: &str) -> String {
        let mut text = text.to_string();
        for filter in &self.filters {
            text = filter.apply_boxed(text).await;
        }
        text
    }

    /// Gives `text` to every filter at once and waits for all of them:
    /// concurrently, so it takes as long as the slowest filter, not the sum.
    /// Returns `(name, output)` pairs in the order the filters were added,
    /// whichever finished first.
    pub async fn fan_out(&self, text: &str) -> Vec<(String, String)> {
        let runs = self.filters.iter().map(|filter| async move {
            let output = filter.apply_boxed(text.to_string()).await;
            (filter.name(), output)
        });
        use futures::StreamExt;
        runs.collect::<futures::stream::FuturesUnordered<_>>()
            .collect()
            .await
    }
}
