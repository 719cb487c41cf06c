//! # Exercise `pubsub`: publish without waiting for anyone
//!
//! Write the hub that `SUBSCRIBE`, `PSUBSCRIBE` and `PUBLISH` share. Each
//! subscriber has a bounded mailbox; `publish` offers every matching
//! subscriber the message with `try_send` and never waits, and a subscriber
//! whose mailbox is full is cut off (its `recv` returns `Lagged`), as Redis
//! drops a client over its output-buffer limit.
//!
//! Book: chapter 7, "Step 5: pub/sub and slow subscribers". Check: `cargo workbook check pubsub`.

use crate::glob;
use bytes::Bytes;
use std::collections::{BTreeSet, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;
use tokio_util::sync::CancellationToken;

// ANCHOR: message
/// One published message as a subscriber receives it. `pattern` is set when
/// it arrived through a `PSUBSCRIBE` (Redis then sends a `pmessage`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub pattern: Option<Bytes>,
    pub channel: Bytes,
    pub payload: Bytes,
}

/// The subscriber fell more than the hub's capacity behind and was cut off,
/// as Redis disconnects a client over its pub/sub output buffer limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lagged;

/// How the hub reaches one subscriber: a bounded queue, and the token it
/// cancels when that queue overflows.
#[derive(Clone)]
struct Mailbox {
    queue: mpsc::Sender<Message>,
    cut_off: CancellationToken,
}
// ANCHOR_END: message

// ANCHOR: hub
/// Who listens to what. `publish` never waits: it offers each subscriber
/// the message with `try_send`, and a subscriber whose queue is full is
/// removed and told so, instead of slowing the publisher down.
pub struct Hub {
    /// channel -> subscriber id -> mailbox
    channels: Mutex<HashMap<Bytes, HashMap<u64, Mailbox>>>,
    /// pattern -> subscriber id -> mailbox
    patterns: Mutex<HashMap<Bytes, HashMap<u64, Mailbox>>>,
    capacity: usize,
    next_id: AtomicU64,
}
// ANCHOR_END: hub

impl Hub {
    /// A hub whose subscribers may each have `capacity` messages waiting.
    pub fn new(capacity: usize) -> Arc<Hub> {
        Arc::new(Hub {
            channels: Mutex::new(HashMap::new()),
            patterns: Mutex::new(HashMap::new()),
            capacity: capacity.max(1),
            next_id: AtomicU64::new(1),
        })
    }

    /// A new subscriber, subscribed to nothing yet.
    pub fn subscriber(self: &Arc<Self>) -> Subscriber {
        // TODO: a bounded `mpsc::channel(self.capacity)`: keep the receiver as `inbox`, the sender in
        // a `Mailbox` with a fresh `CancellationToken`; a new id from `next_id`; no subscriptions.
        todo!()
    }

    // ANCHOR: publish
    /// `PUBLISH`: delivers `payload` to the channel's subscribers and to
    /// every pattern subscriber whose pattern matches; returns how many
    /// received it. Never waits for a slow subscriber.
    pub fn publish(&self, channel: &[u8], payload: Bytes) -> usize {
        // ANCHOR_END: publish
        // TODO: for each subscriber of `channel` (a `Message` with `pattern: None`) and of each
        // pattern that `glob::matches` the channel (`pattern: Some(..)`), `try_send` the
        // message: count the deliveries; a `Full` mailbox gets its `cut_off` token cancelled
        // and the subscriber `forget`-ten (after the loops, not while holding the lock).
        todo!()
    }

    /// Removes subscriber `id` from every channel and pattern.
    fn forget(&self, id: u64) {
        // TODO: remove `id` from every channel and pattern; drop names left with no subscriber.
        todo!()
    }

    /// `PUBSUB NUMSUB`: subscribers of one channel (patterns not counted).
    pub fn subscribers_of(&self, channel: &[u8]) -> usize {
        // TODO: how many subscribers `channel` has.
        todo!()
    }

    /// `PUBSUB CHANNELS [pattern]`: channels with at least one subscriber.
    pub fn active_channels(&self, pattern: Option<&[u8]>) -> Vec<Bytes> {
        // TODO: the channels with subscribers, filtered by `pattern` if given.
        todo!()
    }

    /// `PUBSUB NUMPAT`: patterns with at least one subscriber.
    pub fn active_patterns(&self) -> usize {
        // TODO: how many patterns have subscribers.
        todo!()
    }
}

// ANCHOR: subscriber
/// One connection's subscriptions and its end of the mailbox. Dropping it
/// (the connection closed) unsubscribes it from everything.
pub struct Subscriber {
    id: u64,
    hub: Arc<Hub>,
    inbox: mpsc::Receiver<Message>,
    mailbox: Mailbox,
    channels: BTreeSet<Bytes>,
    patterns: BTreeSet<Bytes>,
}
// ANCHOR_END: subscriber

impl Subscriber {
    /// `SUBSCRIBE channel`: returns the number of channels and patterns
    /// this subscriber now has (the count in Redis's reply). Subscribing
    /// twice to a channel counts once.
    pub fn subscribe(&mut self, channel: Bytes) -> usize {
        // TODO: register this mailbox under `channel` in the hub, remember the channel, return `count()`.
        todo!()
    }

    /// `UNSUBSCRIBE channel`: the count afterwards.
    pub fn unsubscribe(&mut self, channel: &[u8]) -> usize {
        // TODO: the reverse of `subscribe`.
        todo!()
    }

    /// `PSUBSCRIBE pattern`: the count afterwards.
    pub fn psubscribe(&mut self, pattern: Bytes) -> usize {
        // TODO: like `subscribe`, in the hub's patterns.
        todo!()
    }

    /// `PUNSUBSCRIBE pattern`: the count afterwards.
    pub fn punsubscribe(&mut self, pattern: &[u8]) -> usize {
        // TODO: the reverse of `psubscribe`.
        todo!()
    }

    /// The channels subscribed to, in byte order.
    pub fn channels(&self) -> Vec<Bytes> {
        // TODO: the channels, sorted.
        todo!()
    }

    /// The patterns subscribed to, in byte order.
    pub fn patterns(&self) -> Vec<Bytes> {
        // TODO: the patterns, sorted.
        todo!()
    }

    /// Channels plus patterns: while it is above 0 the connection is in
    /// subscribed mode.
    pub fn count(&self) -> usize {
        // TODO: channels plus patterns.
        todo!()
    }

    // ANCHOR: recv
    /// The next message, or `Err(Lagged)` once the hub has cut this
    /// subscriber off (its queue was full when a message came). Cancel-safe.
    pub async fn recv(&mut self) -> Result<Message, Lagged> {
        // ANCHOR_END: recv
        // TODO: wait for a message from `inbox`, but return `Err(Lagged)` as soon as `cut_off`
        // is cancelled, even with messages still queued (`tokio::select!` with `biased;`).
        todo!()
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        // TODO: leave every channel and pattern (`hub.forget`), or `publish` counts the dead.
        todo!()
    }
}

fn remove_from(map: &Mutex<HashMap<Bytes, HashMap<u64, Mailbox>>>, name: &[u8], id: u64) {
    // TODO: remove `id` under `name`; remove `name` once nobody is left.
    todo!()
}
