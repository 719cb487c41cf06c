// wrong: a full mailbox only loses that one message, the slow subscriber stays subscribed and is never told it fell behind
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
        let (queue, inbox) = mpsc::channel(self.capacity);
        Subscriber {
            id: self.next_id.fetch_add(1, Ordering::Relaxed),
            hub: Arc::clone(self),
            inbox,
            mailbox: Mailbox {
                queue,
                cut_off: CancellationToken::new(),
            },
            channels: BTreeSet::new(),
            patterns: BTreeSet::new(),
        }
    }

    // ANCHOR: publish
    /// `PUBLISH`: delivers `payload` to the channel's subscribers and to
    /// every pattern subscriber whose pattern matches; returns how many
    /// received it. Never waits for a slow subscriber.
    pub fn publish(&self, channel: &[u8], payload: Bytes) -> usize {
        // ANCHOR_END: publish
        let mut delivered = 0;
        let mut lagging = Vec::new();
        let mut offer =
            |id: u64, mailbox: &Mailbox, message: Message| match mailbox.queue.try_send(message) {
                Ok(()) => delivered += 1,
                Err(_) => {}
            };
        {
            let channels = self.channels.lock().unwrap();
            if let Some(subscribers) = channels.get(channel) {
                for (id, mailbox) in subscribers {
                    let message = Message {
                        pattern: None,
                        channel: Bytes::copy_from_slice(channel),
                        payload: payload.clone(),
                    };
                    offer(*id, mailbox, message);
                }
            }
        }
        {
            let patterns = self.patterns.lock().unwrap();
            for (pattern, subscribers) in patterns.iter() {
                if !glob::matches(pattern, channel) {
                    continue;
                }
                for (id, mailbox) in subscribers {
                    let message = Message {
                        pattern: Some(pattern.clone()),
                        channel: Bytes::copy_from_slice(channel),
                        payload: payload.clone(),
                    };
                    offer(*id, mailbox, message);
                }
            }
        }
        for id in lagging {
            self.forget(id);
        }
        delivered
    }

    /// Removes subscriber `id` from every channel and pattern.
    fn forget(&self, id: u64) {
        for map in [&self.channels, &self.patterns] {
            let mut map = map.lock().unwrap();
            map.retain(|_, subscribers| {
                subscribers.remove(&id);
                !subscribers.is_empty()
            });
        }
    }

    /// `PUBSUB NUMSUB`: subscribers of one channel (patterns not counted).
    pub fn subscribers_of(&self, channel: &[u8]) -> usize {
        self.channels
            .lock()
            .unwrap()
            .get(channel)
            .map_or(0, HashMap::len)
    }

    /// `PUBSUB CHANNELS [pattern]`: channels with at least one subscriber.
    pub fn active_channels(&self, pattern: Option<&[u8]>) -> Vec<Bytes> {
        self.channels
            .lock()
            .unwrap()
            .keys()
            .filter(|name| pattern.is_none_or(|pattern| glob::matches(pattern, name)))
            .cloned()
            .collect()
    }

    /// `PUBSUB NUMPAT`: patterns with at least one subscriber.
    pub fn active_patterns(&self) -> usize {
        self.patterns.lock().unwrap().len()
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
        self.hub
            .channels
            .lock()
            .unwrap()
            .entry(channel.clone())
            .or_default()
            .insert(self.id, self.mailbox.clone());
        self.channels.insert(channel);
        self.count()
    }

    /// `UNSUBSCRIBE channel`: the count afterwards.
    pub fn unsubscribe(&mut self, channel: &[u8]) -> usize {
        remove_from(&self.hub.channels, channel, self.id);
        self.channels.remove(channel);
        self.count()
    }

    /// `PSUBSCRIBE pattern`: the count afterwards.
    pub fn psubscribe(&mut self, pattern: Bytes) -> usize {
        self.hub
            .patterns
            .lock()
            .unwrap()
            .entry(pattern.clone())
            .or_default()
            .insert(self.id, self.mailbox.clone());
        self.patterns.insert(pattern);
        self.count()
    }

    /// `PUNSUBSCRIBE pattern`: the count afterwards.
    pub fn punsubscribe(&mut self, pattern: &[u8]) -> usize {
        remove_from(&self.hub.patterns, pattern, self.id);
        self.patterns.remove(pattern);
        self.count()
    }

    /// The channels subscribed to, in byte order.
    pub fn channels(&self) -> Vec<Bytes> {
        self.channels.iter().cloned().collect()
    }

    /// The patterns subscribed to, in byte order.
    pub fn patterns(&self) -> Vec<Bytes> {
        self.patterns.iter().cloned().collect()
    }

    /// Channels plus patterns: while it is above 0 the connection is in
    /// subscribed mode.
    pub fn count(&self) -> usize {
        self.channels.len() + self.patterns.len()
    }

    // ANCHOR: recv
    /// The next message, or `Err(Lagged)` once the hub has cut this
    /// subscriber off (its queue was full when a message came). Cancel-safe.
    pub async fn recv(&mut self) -> Result<Message, Lagged> {
        // ANCHOR_END: recv
        tokio::select! {
            biased;
            _ = self.mailbox.cut_off.cancelled() => Err(Lagged),
            message = self.inbox.recv() => message.ok_or(Lagged),
        }
    }
}

impl Drop for Subscriber {
    fn drop(&mut self) {
        self.hub.forget(self.id);
    }
}

fn remove_from(map: &Mutex<HashMap<Bytes, HashMap<u64, Mailbox>>>, name: &[u8], id: u64) {
    let mut map = map.lock().unwrap();
    if let Some(subscribers) = map.get_mut(name) {
        subscribers.remove(&id);
        if subscribers.is_empty() {
            map.remove(name);
        }
    }
}
