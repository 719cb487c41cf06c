// Test helper shared by chapter 4's tests (included with `include!`).
//
// A `Rendezvous` proves that work ran *at the same time* without looking at
// a clock to decide: each participant calls `arrive` and waits there until
// `expected` participants are inside together. Work that runs one piece
// after another never gets everyone inside at once; after a generous wait
// (a safety net, not a measurement) the rendezvous gives up, stops making
// anyone wait, and `peak()` reports how many were ever inside together.

use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// How long the first participants wait for the others before the
/// rendezvous concludes they are not coming. Correct code gets everyone in
/// within milliseconds; this is only there so wrong code fails instead of
/// hanging.
const PATIENCE: Duration = Duration::from_secs(5);

#[derive(Default)]
struct RendezvousState {
    inside: usize,
    peak: usize,
    gave_up: bool,
}

struct Rendezvous {
    expected: usize,
    state: Mutex<RendezvousState>,
    changed: Condvar,
}

impl Rendezvous {
    fn new(expected: usize) -> Self {
        Rendezvous {
            expected,
            state: Mutex::new(RendezvousState::default()),
            changed: Condvar::new(),
        }
    }

    /// Enters, waits until `expected` participants are inside together (or
    /// the rendezvous gave up), then leaves.
    fn arrive(&self) {
        let mut state = self.state.lock().unwrap();
        state.inside += 1;
        state.peak = state.peak.max(state.inside);
        self.changed.notify_all();
        let (mut state, timeout) = self
            .changed
            .wait_timeout_while(state, PATIENCE, |s| {
                s.peak < self.expected && !s.gave_up
            })
            .unwrap();
        if timeout.timed_out() {
            state.gave_up = true;
            self.changed.notify_all();
        }
        state.inside -= 1;
    }

    /// The largest number of participants that were inside at once.
    fn peak(&self) -> usize {
        self.state.lock().unwrap().peak
    }
}
