// Tests for exercise `pubsub` (chapter 7, "Step 5: pub/sub and slow subscribers").
// The same file grades the stub and the reference solution; keep plain `//`
// comments at the top (the solution includes this file with `include!`).
//
// `publish` is a plain function, so "never waits" means it returns at once
// whatever the subscribers do; a subscriber that never reads shows what
// happens to one that falls behind.

use bytes::Bytes;
use ch07_exercises::pubsub::{Hub, Lagged, Message};
use std::time::Duration;

fn b(text: &str) -> Bytes {
    Bytes::copy_from_slice(text.as_bytes())
}

fn message(channel: &str, payload: &str) -> Message {
    Message {
        pattern: None,
        channel: b(channel),
        payload: b(payload),
    }
}

async fn next(subscriber: &mut ch07_exercises::pubsub::Subscriber) -> Result<Message, Lagged> {
    tokio::time::timeout(Duration::from_secs(60), subscriber.recv())
        .await
        .expect("recv waited a minute for a message that should already be there")
}

#[tokio::test(start_paused = true)]
async fn subscriptions_are_counted_like_redis() {
    let hub = Hub::new(16);
    let mut sub = hub.subscriber();
    assert_eq!(
        sub.subscribe(b("a")),
        1,
        "the first SUBSCRIBE reports 1 subscription"
    );
    assert_eq!(sub.subscribe(b("b")), 2, "a second channel makes 2");
    assert_eq!(
        sub.subscribe(b("a")),
        2,
        "subscribing twice to a channel counts once"
    );
    assert_eq!(sub.psubscribe(b("x.*")), 3, "patterns count too");
    assert_eq!(sub.unsubscribe(b"a"), 2, "UNSUBSCRIBE reports what is left");
    assert_eq!(sub.channels(), vec![b("b")], "the channels left");
    assert_eq!(sub.patterns(), vec![b("x.*")], "the patterns left");
    assert_eq!(sub.punsubscribe(b"x.*"), 1);
    assert_eq!(sub.count(), 1);
}

#[tokio::test(start_paused = true)]
async fn publish_reaches_every_subscriber_of_the_channel_in_order() {
    let hub = Hub::new(16);
    let mut first = hub.subscriber();
    let mut second = hub.subscriber();
    let mut other = hub.subscriber();
    first.subscribe(b("news"));
    second.subscribe(b("news"));
    other.subscribe(b("sport"));
    assert_eq!(
        hub.publish(b"news", b("one")),
        2,
        "PUBLISH returns how many subscribers received it"
    );
    assert_eq!(hub.publish(b"news", b("two")), 2);
    assert_eq!(
        hub.publish(b"nobody", b("x")),
        0,
        "a channel without subscribers: 0"
    );
    for sub in [&mut first, &mut second] {
        assert_eq!(
            next(sub).await,
            Ok(message("news", "one")),
            "messages arrive in the order published"
        );
        assert_eq!(next(sub).await, Ok(message("news", "two")));
    }
    hub.publish(b"sport", b("goal"));
    assert_eq!(
        next(&mut other).await,
        Ok(message("sport", "goal")),
        "the other channel's subscriber got only its own"
    );
}

#[tokio::test(start_paused = true)]
async fn pattern_subscribers_get_messages_with_the_pattern() {
    let hub = Hub::new(16);
    let mut sub = hub.subscriber();
    sub.psubscribe(b("news.*"));
    assert_eq!(
        hub.publish(b"news.art", b("p")),
        1,
        "news.* matches news.art"
    );
    assert_eq!(hub.publish(b"weather", b("p")), 0, "and not weather");
    let got = next(&mut sub).await;
    assert_eq!(
        got,
        Ok(Message {
            pattern: Some(b("news.*")),
            channel: b("news.art"),
            payload: b("p")
        }),
        "a message that came through PSUBSCRIBE carries the pattern (Redis sends it as pmessage)"
    );
    sub.subscribe(b("news.art"));
    assert_eq!(
        hub.publish(b"news.art", b("q")),
        2,
        "a client subscribed to the channel and to a matching pattern receives it twice, as in Redis"
    );
}

#[tokio::test(start_paused = true)]
async fn recv_waits_until_a_message_is_published() {
    let hub = Hub::new(16);
    let mut sub = hub.subscriber();
    sub.subscribe(b("c"));
    let publisher = {
        let hub = hub.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs(1)).await;
            hub.publish(b"c", b("late"))
        })
    };
    let start = tokio::time::Instant::now();
    assert_eq!(
        next(&mut sub).await,
        Ok(message("c", "late")),
        "recv returns the message once it is published"
    );
    assert_eq!(start.elapsed(), Duration::from_secs(1), "and not before");
    assert_eq!(publisher.await.unwrap(), 1);
}

#[tokio::test(start_paused = true)]
async fn a_slow_subscriber_is_cut_off_and_does_not_slow_anyone_down() {
    let hub = Hub::new(4);
    let mut slow = hub.subscriber();
    let mut fast = hub.subscriber();
    slow.subscribe(b("c"));
    fast.subscribe(b("c"));
    let mut counts = Vec::new();
    for i in 0..10 {
        counts.push(hub.publish(b"c", b(&i.to_string())));
        assert_eq!(
            next(&mut fast).await,
            Ok(message("c", &i.to_string())),
            "the fast subscriber gets everything"
        );
    }
    assert_eq!(
        counts,
        vec![2, 2, 2, 2, 1, 1, 1, 1, 1, 1],
        "with mailboxes of 4, the subscriber that never reads takes 4 messages; the 5th finds its mailbox \
         full: publish must not wait for it (try_send, not send) and must drop it from then on"
    );
    assert_eq!(
        slow.recv().await,
        Err(Lagged),
        "the cut-off subscriber must learn it at once (Err(Lagged)), not first read 4 stale messages"
    );
    assert_eq!(
        hub.subscribers_of(b"c"),
        1,
        "and it is no longer a subscriber of the channel"
    );
}

#[tokio::test(start_paused = true)]
async fn a_dropped_subscriber_leaves_every_channel() {
    let hub = Hub::new(16);
    let mut sub = hub.subscriber();
    sub.subscribe(b("a"));
    sub.subscribe(b("b"));
    sub.psubscribe(b("*"));
    assert_eq!(hub.publish(b"a", b("x")), 2, "channel and pattern");
    drop(sub);
    assert_eq!(
        hub.publish(b"a", b("x")),
        0,
        "after the connection (its Subscriber) is gone, PUBLISH must count nobody: unsubscribe in Drop"
    );
    assert_eq!(hub.subscribers_of(b"b"), 0);
    assert_eq!(hub.active_patterns(), 0, "its pattern is gone too");
    assert!(
        hub.active_channels(None).is_empty(),
        "no channel keeps an empty subscriber list"
    );
}

#[tokio::test(start_paused = true)]
async fn an_unsubscribed_channel_delivers_nothing_more() {
    let hub = Hub::new(16);
    let mut sub = hub.subscriber();
    sub.subscribe(b("a"));
    sub.subscribe(b("b"));
    sub.unsubscribe(b"a");
    assert_eq!(
        hub.publish(b"a", b("x")),
        0,
        "UNSUBSCRIBE a: nothing more from a"
    );
    assert_eq!(hub.publish(b"b", b("y")), 1, "but b still delivers");
    assert_eq!(next(&mut sub).await, Ok(message("b", "y")));
    let mut listed = hub.active_channels(None);
    listed.sort();
    assert_eq!(
        listed,
        vec![b("b")],
        "PUBSUB CHANNELS lists only channels with subscribers"
    );
}

#[test]
fn cutting_off_a_slow_subscriber_does_not_deadlock_publish() {
    let counts = kit::watchdog::within(
        kit::watchdog::GENEROUS,
        "publish to a channel whose only subscriber's mailbox is full",
        "publish holds the hub's lock while it walks the subscribers; removing the slow one by a call \
         that takes the same lock again waits for itself (std's Mutex is not reentrant): note whom to \
         drop, and drop them after the loop, once the lock is released",
        || {
            let hub = Hub::new(1);
            let mut slow = hub.subscriber();
            slow.subscribe(b("c"));
            slow.psubscribe(b("c*"));
            let counts = [hub.publish(b"c", b("1")), hub.publish(b"c", b("2"))];
            let left = hub.subscribers_of(b"c");
            drop(slow);
            (counts, left)
        },
    );
    let (counts, left) = counts;
    assert_eq!(
        counts[1], 0,
        "the second message found the mailbox of 1 full, so nobody got it: {counts:?}"
    );
    assert_eq!(left, 0, "the slow subscriber is no longer subscribed");
}
