//! # A scripted fake service and the `Fetch` trait (used by chapter 6)
//!
//! Several exercises talk to "a remote service" through the [`Fetch`] trait.
//! Tests plug in [`Scripted`], a fake whose answers, failures and hangs are
//! written in advance, and which records how many calls were in flight at
//! once. Everything it does waits on tokio's timer, so under the paused
//! clock a test knows the exact virtual time each answer arrives.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FetchError {
    /// The service answered with an error.
    Failed(String),
    /// No answer arrived within the time allowed.
    TimedOut,
}

// ANCHOR: fetch_trait
/// Something that can be asked for an item by id, asynchronously.
pub trait Fetch: Sync {
    /// Asks for item `id`. The future may take long, fail, or never finish.
    fn fetch(&self, id: u64) -> impl Future<Output = Result<String, FetchError>> + Send;
}
// ANCHOR_END: fetch_trait

/// What one call to [`Scripted`] does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    /// Answers `"item-<id>"` after the delay.
    Answer(Duration),
    /// Fails after the delay.
    Fail(Duration),
    /// Never answers (until the caller gives up and drops the call).
    Hang,
}

/// A fake service that follows a script, call by call, for each id.
#[derive(Debug)]
pub struct Scripted {
    scripts: Mutex<HashMap<u64, VecDeque<Step>>>,
    otherwise: Step,
    calls: Mutex<Vec<u64>>,
    in_flight: AtomicUsize,
    peak_in_flight: AtomicUsize,
}

impl Scripted {
    /// Every call answers after `latency`, unless [`Scripted::script`] says otherwise.
    pub fn answering_after(latency: Duration) -> Self {
        Self::otherwise(Step::Answer(latency))
    }

    /// Every call does `step`, unless [`Scripted::script`] says otherwise.
    pub fn otherwise(step: Step) -> Self {
        Scripted {
            scripts: Mutex::new(HashMap::new()),
            otherwise: step,
            calls: Mutex::new(Vec::new()),
            in_flight: AtomicUsize::new(0),
            peak_in_flight: AtomicUsize::new(0),
        }
    }

    /// The first calls for `id` follow `steps` in order; later calls fall back
    /// to the default step.
    pub fn script(self, id: u64, steps: impl IntoIterator<Item = Step>) -> Self {
        self.scripts
            .lock()
            .unwrap()
            .insert(id, steps.into_iter().collect());
        self
    }

    /// Ids of all calls, in the order they started.
    pub fn calls(&self) -> Vec<u64> {
        self.calls.lock().unwrap().clone()
    }

    /// How many calls were made for `id`.
    pub fn calls_for(&self, id: u64) -> usize {
        self.calls().iter().filter(|&&called| called == id).count()
    }

    /// The largest number of calls in flight at the same moment.
    pub fn peak_in_flight(&self) -> usize {
        self.peak_in_flight.load(Ordering::SeqCst)
    }

    /// Calls started and not yet finished or dropped.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::SeqCst)
    }

    fn next_step(&self, id: u64) -> Step {
        self.calls.lock().unwrap().push(id);
        let mut scripts = self.scripts.lock().unwrap();
        scripts
            .get_mut(&id)
            .and_then(VecDeque::pop_front)
            .unwrap_or(self.otherwise)
    }
}

impl Fetch for Scripted {
    async fn fetch(&self, id: u64) -> Result<String, FetchError> {
        let step = self.next_step(id);
        let _in_flight = InFlight::enter(self);
        let attempt = self.calls_for(id);
        match step {
            Step::Answer(delay) => {
                tokio::time::sleep(delay).await;
                Ok(format!("item-{id}"))
            }
            Step::Fail(delay) => {
                tokio::time::sleep(delay).await;
                Err(FetchError::Failed(format!("id {id}, call {attempt}: boom")))
            }
            Step::Hang => std::future::pending().await,
        }
    }
}

/// Counts a call as in flight until dropped: when it finishes, or when the
/// caller drops the call's future (a timeout, a lost `select!`).
struct InFlight<'a>(&'a Scripted);

impl<'a> InFlight<'a> {
    fn enter(service: &'a Scripted) -> Self {
        let now = service.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
        service.peak_in_flight.fetch_max(now, Ordering::SeqCst);
        InFlight(service)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.in_flight.fetch_sub(1, Ordering::SeqCst);
    }
}
