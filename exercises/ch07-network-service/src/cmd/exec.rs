//! Given code: running a [`Command`] against the server's shared state.

use super::{
    Command, ExpiryArg, NOT_FLOAT, NOT_INTEGER, ObjectField, allowed_while_subscribed, error,
    lowercase, parse, parse_float,
};
use crate::aof::Aof;
use crate::clock::Clock;
use crate::config::Config;
use crate::expiry::{self, Expirations, Ttl};
use crate::glob;
use crate::limits_and_shutdown::Gate;
use crate::pubsub::{Hub, Message, Subscriber};
use crate::resp::{Frame, Protocol};
use crate::store::{Entry, IncrError, SetCondition, SetExpiry, SetOptions, Store};
use bytes::Bytes;
use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};
use tokio::time::Instant;
use tokio_util::sync::CancellationToken;

// ANCHOR: shared
/// Everything the connections share: one `Arc<Shared>` per server.
pub struct Shared {
    pub store: Store,
    pub expirations: Expirations,
    pub hub: Arc<Hub>,
    /// `None` with `--appendonly no`.
    pub aof: Option<Aof>,
    pub clock: Clock,
    /// Cancelled by Ctrl-C, SIGTERM or `SHUTDOWN`.
    pub stop: CancellationToken,
    pub gate: Gate,
    pub config: Config,
    /// The port actually bound (for `INFO`).
    pub port: u16,
    pub started: Instant,
    pub next_client_id: AtomicU64,
    pub commands_processed: AtomicU64,
    pub connections_received: AtomicU64,
    /// Values set with `CONFIG SET` (read back by `CONFIG GET`, otherwise ignored).
    pub config_overrides: Mutex<BTreeMap<String, String>>,
    /// Every command runs holding this for reading; `EXEC` holds it for
    /// writing, so no other client's command runs in the middle of a transaction.
    pub transactions: RwLock<()>,
}

/// One connection's state between commands.
pub struct Session {
    pub id: u64,
    pub db: usize,
    pub name: Option<Bytes>,
    pub protocol: Protocol,
    /// Created by the first `SUBSCRIBE`/`PSUBSCRIBE`.
    pub subscriber: Option<Subscriber>,
    /// Replaying the AOF: apply, but do not log again.
    pub replaying: bool,
    /// Between `MULTI` and `EXEC`: the queued commands, and whether one was
    /// refused (then `EXEC` fails).
    pub transaction: Option<(Vec<Command>, bool)>,
}
// ANCHOR_END: shared

impl Session {
    pub fn new(id: u64) -> Session {
        Session {
            id,
            db: 0,
            name: None,
            protocol: Protocol::Resp2,
            subscriber: None,
            replaying: false,
            transaction: None,
        }
    }

    /// Channels plus patterns subscribed to.
    pub fn subscriptions(&self) -> usize {
        self.subscriber.as_ref().map_or(0, Subscriber::count)
    }
}

/// What the connection does after a command.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Reply(Frame),
    /// Several replies (one `subscribe` confirmation per channel).
    Replies(Vec<Frame>),
    /// Send the reply, if any, then close the connection (`QUIT`, `SHUTDOWN`).
    Close(Option<Frame>),
}

impl From<Frame> for Outcome {
    fn from(frame: Frame) -> Self {
        Outcome::Reply(frame)
    }
}

fn ok() -> Frame {
    Frame::Simple("OK".into())
}

fn bulk(text: impl Into<Bytes>) -> Frame {
    Frame::Bulk(text.into())
}

fn int(n: impl TryInto<i64>) -> Frame {
    Frame::Integer(n.try_into().unwrap_or(i64::MAX))
}

fn opt_bulk(value: Option<Bytes>) -> Frame {
    value.map_or(Frame::Null, Frame::Bulk)
}

/// The record of a command for the AOF.
fn record(words: &[&[u8]]) -> Option<Vec<Bytes>> {
    Some(words.iter().map(|w| Bytes::copy_from_slice(w)).collect())
}

// ANCHOR: exec
/// Runs one request (`args` has at least one word) for `session`.
pub fn exec(args: &[Bytes], session: &mut Session, shared: &Shared, now: Instant) -> Outcome {
    shared.commands_processed.fetch_add(1, Ordering::Relaxed);
    let command = match parse(args) {
        Ok(command) => command,
        Err(reply) => {
            if let Some((_, failed)) = session.transaction.as_mut() {
                *failed = true;
            }
            return reply.into();
        }
    };
    if let Some(outcome) = transaction_step(&command, session, shared, now) {
        return outcome;
    }
    if session.protocol == Protocol::Resp2
        && session.subscriptions() > 0
        && !allowed_while_subscribed(&command)
    {
        return error(format!(
            "ERR Can't execute '{}': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context",
            lowercase(&args[0])
        ))
        .into();
    }
    let _no_exec_running = shared
        .transactions
        .read()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    match run(command, session, shared, now) {
        Ok(outcome) => outcome,
        Err(reply) => reply.into(),
    }
}
// ANCHOR_END: exec

/// `MULTI`, `EXEC`, `DISCARD`, and queueing in between; `None` for a
/// command to run now.
fn transaction_step(
    command: &Command,
    session: &mut Session,
    shared: &Shared,
    now: Instant,
) -> Option<Outcome> {
    let reply = match (command, session.transaction.is_some()) {
        (Command::Multi, true) => error("ERR MULTI calls can not be nested"),
        (Command::Multi, false) => {
            session.transaction = Some((Vec::new(), false));
            ok()
        }
        (Command::Exec, false) => error("ERR EXEC without MULTI"),
        (Command::Discard, false) => error("ERR DISCARD without MULTI"),
        (Command::Discard, true) => {
            session.transaction = None;
            ok()
        }
        (Command::Exec, true) => {
            let (queued, failed) = session.transaction.take().unwrap_or_default();
            if failed {
                return Some(
                    error("EXECABORT Transaction discarded because of previous errors.").into(),
                );
            }
            let _alone = shared
                .transactions
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            let mut replies = Vec::with_capacity(queued.len());
            for command in queued {
                match run(command, session, shared, now) {
                    Ok(Outcome::Reply(frame)) => replies.push(frame),
                    Ok(Outcome::Replies(frames)) => replies.extend(frames),
                    Ok(Outcome::Close(frame)) => replies.extend(frame),
                    Err(frame) => replies.push(frame),
                }
            }
            Frame::Array(replies)
        }
        (Command::Quit | Command::Reset, _) => {
            session.transaction = None;
            return None;
        }
        (other, true) => {
            if let Some((queued, _)) = session.transaction.as_mut() {
                queued.push(other.clone());
            }
            Frame::Simple("QUEUED".into())
        }
        (_, false) => return None,
    };
    Some(reply.into())
}

/// Whether write commands are being logged (an AOF, and not a replay).
fn logging(shared: &Shared, session: &Session) -> bool {
    shared.aof.is_some() && !session.replaying
}

/// Applies a write through the AOF (when there is one and this is not a
/// replay): `change` returns its result and the record to log.
fn write<R>(
    shared: &Shared,
    session: &Session,
    change: impl FnOnce() -> (R, Option<Vec<Bytes>>),
) -> Result<R, Frame> {
    match (&shared.aof, session.replaying) {
        (Some(aof), false) => aof
            .log(session.db, change)
            .map_err(|e| error(format!("MISCONF Errors writing to the AOF file: {e}"))),
        _ => Ok(change().0),
    }
}

fn deadline(shared: &Shared, when: ExpiryArg, now: Instant) -> Option<Instant> {
    match when {
        ExpiryArg::InMs(ms) if ms <= 0 => Some(now),
        ExpiryArg::InMs(ms) => Some(now + std::time::Duration::from_millis(ms as u64)),
        ExpiryArg::AtUnixMs(ms) => Some(shared.clock.instant_of(ms.max(0) as u64)),
        ExpiryArg::None | ExpiryArg::KeepTtl => None,
    }
}

fn run(
    command: Command,
    session: &mut Session,
    shared: &Shared,
    now: Instant,
) -> Result<Outcome, Frame> {
    let db = shared.store.db(session.db);
    let reply = match command {
        Command::Ping(message) => {
            if session.protocol == Protocol::Resp2 && session.subscriptions() > 0 {
                Frame::Array(vec![bulk("pong"), bulk(message.unwrap_or_default())])
            } else {
                message.map_or(Frame::Simple("PONG".into()), Frame::Bulk)
            }
        }
        Command::Echo(message) => Frame::Bulk(message),
        // Handled by `transaction_step` before a command gets here.
        Command::Multi | Command::Exec | Command::Discard => {
            return Err(error("ERR MULTI calls can not be nested"));
        }
        Command::Quit => return Ok(Outcome::Close(Some(ok()))),
        Command::Reset => {
            session.subscriber = None;
            session.db = 0;
            session.name = None;
            session.protocol = Protocol::Resp2;
            Frame::Simple("RESET".into())
        }
        Command::Hello { protover, setname } => {
            if let Some(version) = protover {
                session.protocol = if version == 3 {
                    Protocol::Resp3
                } else {
                    Protocol::Resp2
                };
            }
            if setname.is_some() {
                session.name = setname;
            }
            hello_reply(session)
        }
        Command::ClientSetName(name) => {
            session.name = (!name.is_empty()).then_some(name);
            ok()
        }
        Command::ClientGetName => opt_bulk(session.name.clone()),
        Command::ClientId => int(session.id),
        Command::ClientSetInfo | Command::ClientNoop => ok(),
        Command::ClientInfo => {
            let name = session
                .name
                .as_deref()
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            let resp = if session.protocol == Protocol::Resp3 {
                3
            } else {
                2
            };
            let sub = session.subscriptions();
            bulk(format!(
                "id={} name={name} db={} sub={sub} psub=0 multi=-1 resp={resp} cmd=client\n",
                session.id, session.db
            ))
        }
        Command::CommandDocs => Frame::Array(Vec::new()),
        Command::CommandCount => int(0),
        Command::Info(sections) => bulk(info(shared, &sections, now)),
        Command::ConfigGet(patterns) => config_get(shared, &patterns),
        Command::ConfigSet(pairs) => config_set(shared, pairs)?,
        Command::ConfigResetStat => ok(),
        Command::FlushAll => {
            write(shared, session, || {
                (shared.store.clear_all(), record(&[b"FLUSHALL"]))
            })?;
            ok()
        }
        Command::FlushDb => {
            write(shared, session, || (db.clear(), record(&[b"FLUSHDB"])))?;
            ok()
        }
        Command::FunctionFlush => ok(),
        Command::Shutdown => {
            shared.stop.cancel();
            return Ok(Outcome::Close(None));
        }
        Command::Select(index) => {
            if index >= shared.store.databases() {
                return Err(error("ERR DB index is out of range"));
            }
            session.db = index;
            ok()
        }
        Command::Time => {
            let micros = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap_or_default()
                .as_micros();
            Frame::Array(vec![
                bulk((micros / 1_000_000).to_string()),
                bulk((micros % 1_000_000).to_string()),
            ])
        }
        Command::Get(key) => opt_bulk(db.get(&key, now)),
        Command::GetDel(key) => {
            let value = write(shared, session, || {
                let value = db.get(&key, now);
                let logged = value.as_ref().and_then(|_| record(&[b"DEL", &key]));
                if value.is_some() {
                    db.del(&key, now);
                }
                (value, logged)
            })?;
            opt_bulk(value)
        }
        Command::Set {
            key,
            value,
            condition,
            expiry,
            get,
        } => return set(shared, session, key, value, condition, expiry, get, now),
        Command::SetNx(key, value) => {
            let outcome = set(
                shared,
                session,
                key,
                value,
                SetCondition::IfMissing,
                ExpiryArg::None,
                false,
                now,
            )?;
            int((outcome == Outcome::Reply(ok())) as i64)
        }
        Command::Del(keys) => {
            let removed = write(shared, session, || {
                let gone: Vec<&Bytes> = keys.iter().filter(|key| db.del(key, now)).collect();
                let mut words: Vec<&[u8]> = vec![b"DEL"];
                words.extend(gone.iter().map(|k| &k[..]));
                (
                    gone.len(),
                    (!gone.is_empty()).then(|| record(&words)).flatten(),
                )
            })?;
            int(removed)
        }
        Command::Exists(keys) => int(keys.iter().filter(|key| db.exists(key, now)).count()),
        Command::IncrBy(key, delta) => {
            let result = write(shared, session, || {
                let result = db.incr_by(&key, delta, now);
                let logged = (result.is_ok() && logging(shared, session))
                    .then(|| record(&[b"INCRBY", &key, delta.to_string().as_bytes()]))
                    .flatten();
                (result, logged)
            })?;
            match result {
                Ok(n) => int(n),
                Err(IncrError::NotInteger) => return Err(error(NOT_INTEGER)),
                Err(IncrError::Overflow) => {
                    return Err(error("ERR increment or decrement would overflow"));
                }
            }
        }
        Command::MGet(keys) => {
            Frame::Array(db.mget(&keys, now).into_iter().map(opt_bulk).collect())
        }
        Command::MSet {
            pairs,
            only_if_none_exist,
        } => {
            let written = write(shared, session, || {
                // MSETNX's check and write are not one atomic step here; good
                // enough for a command nobody races on.
                if only_if_none_exist && pairs.iter().any(|(key, _)| db.exists(key, now)) {
                    return (false, None);
                }
                let mut words: Vec<Bytes> = vec![Bytes::from_static(b"MSET")];
                for (key, value) in &pairs {
                    words.push(key.clone());
                    words.push(value.clone());
                }
                db.mset(pairs.clone());
                (true, Some(words))
            })?;
            if only_if_none_exist {
                int(written as i64)
            } else {
                ok()
            }
        }
        Command::Append(key, suffix) => {
            let len = write(shared, session, || {
                (
                    db.append(&key, &suffix, now),
                    record(&[b"APPEND", &key, &suffix]),
                )
            })?;
            int(len)
        }
        Command::Strlen(key) => int(db.strlen(&key, now)),
        Command::DbSize => int(db.len(now)),
        Command::Keys(pattern) => Frame::Array(
            db.keys(&pattern, now)
                .into_iter()
                .map(Frame::Bulk)
                .collect(),
        ),
        Command::Scan {
            cursor,
            pattern,
            count,
            only_strings,
        } => {
            let (next, mut keys) = db.scan(cursor, pattern.as_deref(), count, now);
            if only_strings == Some(false) {
                keys.clear();
            }
            Frame::Array(vec![
                bulk(next.to_string()),
                Frame::Array(keys.into_iter().map(Frame::Bulk).collect()),
            ])
        }
        Command::Type(key) => Frame::Simple(
            if db.exists(&key, now) {
                "string"
            } else {
                "none"
            }
            .into(),
        ),
        Command::RandomKey => opt_bulk(
            db.scan(0, None, 1, now)
                .1
                .into_iter()
                .next()
                .or_else(|| db.keys(b"*", now).into_iter().next()),
        ),
        Command::Expire {
            key,
            when,
            condition,
            name,
        } => {
            let Some(at) = deadline(shared, when, now) else {
                return Err(error(format!(
                    "ERR invalid expire time in '{name}' command"
                )));
            };
            let applied = write(shared, session, || {
                let applied = expiry::expire(
                    &shared.store,
                    &shared.expirations,
                    session.db,
                    &key,
                    at,
                    condition,
                    now,
                );
                let logged = match applied {
                    false => None,
                    true if at <= now => record(&[b"DEL", &key]),
                    true => record(&[
                        b"PEXPIREAT",
                        &key,
                        shared.clock.unix_ms(at).to_string().as_bytes(),
                    ]),
                };
                (applied, logged)
            })?;
            int(applied as i64)
        }
        Command::Ttl(key) => int(expiry::ttl(db, &key, now).seconds()),
        Command::Pttl(key) => int(expiry::ttl(db, &key, now).millis()),
        Command::ExpireTime { key, millis } => match expiry::ttl(db, &key, now) {
            Ttl::Expires(left) => {
                let unix_ms = shared.clock.unix_ms(now + left) as i64;
                int(if millis {
                    unix_ms
                } else {
                    (unix_ms + 500) / 1000
                })
            }
            other => int(other.millis()),
        },
        Command::Persist(key) => {
            let removed = write(shared, session, || {
                let removed = expiry::persist(db, &key, now);
                (
                    removed,
                    removed.then(|| record(&[b"PERSIST", &key])).flatten(),
                )
            })?;
            int(removed as i64)
        }
        Command::GetRange(key, start, end) => {
            let value = db.get(&key, now).unwrap_or_default();
            Frame::Bulk(byte_range(&value, start, end))
        }
        Command::SetRange(key, offset, patch) => {
            int(set_range(shared, session, &key, offset, &patch, now)??)
        }
        Command::GetEx { key, when, persist } => get_ex(shared, session, key, when, persist, now)?,
        Command::IncrByFloat(key, increment) => {
            Frame::Bulk(incr_by_float(shared, session, &key, &increment, now)??)
        }
        Command::Rename {
            from,
            to,
            only_if_missing,
        } => rename(shared, session, from, to, only_if_missing, now)?,
        Command::Copy {
            from,
            to,
            db: target,
            replace,
        } => copy(shared, session, from, to, target, replace, now)?,
        Command::Touch(keys) => int(keys.iter().filter(|key| db.exists(key, now)).count()),
        Command::Object(field, key) => match (db.get(&key, now), field) {
            (None, _) => Frame::Null,
            (Some(value), ObjectField::Encoding) => bulk(encoding_of(&value)),
            (Some(_), ObjectField::RefCount) => int(1),
            (Some(_), ObjectField::IdleTime) => int(0),
        },
        // Nothing is ever saved: the last save is the server's start.
        Command::LastSave => int(shared.clock.unix_ms(shared.started) / 1000),
        Command::Lcs {
            a,
            b,
            len,
            idx,
            min_match_len,
            with_match_len,
        } => {
            let a = db.get(&a, now).unwrap_or_default();
            let b = db.get(&b, now).unwrap_or_default();
            lcs(&a, &b, len, idx, min_match_len as usize, with_match_len)?
        }
        Command::Subscribe(channels) => return Ok(subscribe(session, shared, channels, false)),
        Command::PSubscribe(patterns) => return Ok(subscribe(session, shared, patterns, true)),
        Command::Unsubscribe(channels) => return Ok(unsubscribe(session, channels, false)),
        Command::PUnsubscribe(patterns) => return Ok(unsubscribe(session, patterns, true)),
        Command::Publish(channel, payload) => {
            let receivers = shared.hub.publish(&channel, payload);
            // Redis puts a subscriber's own messages in its output before
            // the reply to its PUBLISH (RESP3 lets it publish): same order here.
            let mut frames = ready_messages(session);
            if frames.is_empty() {
                int(receivers)
            } else {
                frames.push(int(receivers));
                return Ok(Outcome::Replies(frames));
            }
        }
        Command::PubsubChannels(pattern) => Frame::Array(
            shared
                .hub
                .active_channels(pattern.as_deref())
                .into_iter()
                .map(Frame::Bulk)
                .collect(),
        ),
        Command::PubsubNumsub(channels) => Frame::Map(
            channels
                .into_iter()
                .map(|c| {
                    let n = shared.hub.subscribers_of(&c);
                    (Frame::Bulk(c), int(n))
                })
                .collect(),
        ),
        Command::PubsubNumpat => int(shared.hub.active_patterns()),
    };
    Ok(Outcome::Reply(reply))
}

#[allow(clippy::too_many_arguments)]
fn set(
    shared: &Shared,
    session: &Session,
    key: Bytes,
    value: Bytes,
    condition: SetCondition,
    when: ExpiryArg,
    get: bool,
    now: Instant,
) -> Result<Outcome, Frame> {
    let db = shared.store.db(session.db);
    let expiry = match when {
        ExpiryArg::None => SetExpiry::Clear,
        ExpiryArg::KeepTtl => SetExpiry::Keep,
        other => SetExpiry::At(deadline(shared, other, now).unwrap_or(now)),
    };
    let outcome = write(shared, session, || {
        let outcome = db.set(
            key.clone(),
            value.clone(),
            SetOptions { condition, expiry },
            now,
        );
        // Records are built only when they will be written: no allocation per SET otherwise.
        let logged = (outcome.written && logging(shared, session)).then(|| {
            let mut words = vec![Bytes::from_static(b"SET"), key.clone(), value.clone()];
            match expiry {
                SetExpiry::At(at) => {
                    words.push(Bytes::from_static(b"PXAT"));
                    words.push(Bytes::from(shared.clock.unix_ms(at).max(1).to_string()));
                }
                SetExpiry::Keep => words.push(Bytes::from_static(b"KEEPTTL")),
                SetExpiry::Clear => {}
            }
            words
        });
        (outcome, logged)
    })?;
    if let (true, SetExpiry::At(at)) = (outcome.written, expiry) {
        shared.expirations.schedule(session.db, key, at);
    }
    Ok(Outcome::Reply(match (get, outcome.written) {
        (true, _) => opt_bulk(outcome.previous),
        (false, true) => ok(),
        (false, false) => Frame::Null,
    }))
}

/// Redis's largest string (`proto-max-bulk-len`).
const MAX_STRING: i64 = 512 * 1024 * 1024;

/// `GETRANGE`'s slice, with Redis's rules for negative and outsized indices.
fn byte_range(value: &Bytes, start: i64, end: i64) -> Bytes {
    let len = value.len() as i64;
    if (start < 0 && end < 0 && start > end) || len == 0 {
        return Bytes::new();
    }
    let from_end = |i: i64| if i < 0 { (len + i).max(0) } else { i };
    let (start, end) = (from_end(start), from_end(end).min(len - 1));
    if start > end {
        return Bytes::new();
    }
    value.slice(start as usize..=end as usize)
}

/// `SETRANGE`: the new length, or Redis's size error. The outer error is the AOF's.
fn set_range(
    shared: &Shared,
    session: &Session,
    key: &Bytes,
    offset: i64,
    patch: &Bytes,
    now: Instant,
) -> Result<Result<usize, Frame>, Frame> {
    let db = shared.store.db(session.db);
    write(shared, session, || {
        // One lock for the read and the write: no other client's change in between.
        let mut shard = db.lock_key(key);
        let live = shard
            .get(&key[..])
            .filter(|entry| entry.is_live(now))
            .cloned();
        let old_len = live.as_ref().map_or(0, |entry| entry.value.len());
        if patch.is_empty() {
            return (Ok(old_len), None);
        }
        if offset.saturating_add(patch.len() as i64) > MAX_STRING {
            return (
                Err(error(
                    "ERR string exceeds maximum allowed size (proto-max-bulk-len)",
                )),
                None,
            );
        }
        let offset = offset as usize;
        let mut value = live
            .as_ref()
            .map_or_else(Vec::new, |entry| entry.value.to_vec());
        if value.len() < offset + patch.len() {
            value.resize(offset + patch.len(), 0);
        }
        value[offset..offset + patch.len()].copy_from_slice(patch);
        let new_len = value.len();
        let expires_at = live.and_then(|entry| entry.expires_at);
        shard.insert(
            key.clone(),
            Entry {
                value: value.into(),
                expires_at,
            },
        );
        let offset = offset.to_string();
        (
            Ok(new_len),
            record(&[b"SETRANGE", key, offset.as_bytes(), patch]),
        )
    })
}

/// `GETEX`: the value, and the TTL changed as asked.
fn get_ex(
    shared: &Shared,
    session: &Session,
    key: Bytes,
    when: ExpiryArg,
    persist: bool,
    now: Instant,
) -> Result<Frame, Frame> {
    let db = shared.store.db(session.db);
    let Some(value) = db.get(&key, now) else {
        return Ok(Frame::Null);
    };
    if persist {
        write(shared, session, || {
            let removed = expiry::persist(db, &key, now);
            ((), removed.then(|| record(&[b"PERSIST", &key])).flatten())
        })?;
    } else if let Some(at) = deadline(shared, when, now) {
        write(shared, session, || {
            let applied = expiry::expire(
                &shared.store,
                &shared.expirations,
                session.db,
                &key,
                at,
                expiry::ExpireCondition::Always,
                now,
            );
            let unix_ms = shared.clock.unix_ms(at).to_string();
            let logged = match applied {
                false => None,
                true if at <= now => record(&[b"DEL", &key]),
                true => record(&[b"PEXPIREAT", &key, unix_ms.as_bytes()]),
            };
            ((), logged)
        })?;
    }
    Ok(Frame::Bulk(value))
}

/// `INCRBYFLOAT`: the new value as text. Logged as a `SET ... KEEPTTL` of
/// the result, as Redis does, so a replay gives the same digits.
fn incr_by_float(
    shared: &Shared,
    session: &Session,
    key: &Bytes,
    increment: &[u8],
    now: Instant,
) -> Result<Result<Bytes, Frame>, Frame> {
    let db = shared.store.db(session.db);
    let increment = parse_float(increment).unwrap_or_default();
    write(shared, session, || {
        let mut shard = db.lock_key(key);
        let live = shard
            .get(&key[..])
            .filter(|entry| entry.is_live(now))
            .cloned();
        let current = match &live {
            None => 0.0,
            Some(entry) => match parse_float(&entry.value) {
                Some(value) => value,
                None => return (Err(error(NOT_FLOAT)), None),
            },
        };
        let sum = current + increment;
        if !sum.is_finite() {
            return (
                Err(error("ERR increment would produce NaN or Infinity")),
                None,
            );
        }
        let text = Bytes::from(float_text(sum));
        shard.insert(
            key.clone(),
            Entry {
                value: text.clone(),
                expires_at: live.and_then(|entry| entry.expires_at),
            },
        );
        let logged = record(&[b"SET", key, &text, b"KEEPTTL"]);
        (Ok(text), logged)
    })
}

/// A float the way `INCRBYFLOAT` prints it: plain decimal, no exponent, no
/// trailing zeros. Redis adds in `long double`; rounding an `f64` to 15
/// significant digits hides the binary noise (`0.1 + 0.2` prints `0.3`).
fn float_text(value: f64) -> String {
    let rounded: f64 = format!("{value:.14e}").parse().unwrap_or(value);
    if rounded == 0.0 {
        return "0".into();
    }
    format!("{rounded}")
}

/// `RENAME`/`RENAMENX`: the value and its TTL move to `to`.
fn rename(
    shared: &Shared,
    session: &Session,
    from: Bytes,
    to: Bytes,
    only_if_missing: bool,
    now: Instant,
) -> Result<Frame, Frame> {
    let db = shared.store.db(session.db);
    let Some(entry) = db.with_entry(&from, now, |entry| entry.clone()) else {
        return Err(error("ERR no such key"));
    };
    let done = |moved: bool| match (only_if_missing, moved) {
        (true, moved) => int(moved as i64),
        (false, _) => ok(),
    };
    if from == to {
        return Ok(done(false));
    }
    let moved = write(shared, session, || {
        if only_if_missing && db.exists(&to, now) {
            return (false, None);
        }
        put_entry(shared, session.db, &to, entry, now);
        db.del(&from, now);
        (true, record(&[b"RENAME", &from, &to]))
    })?;
    Ok(done(moved))
}

/// Writes `entry` (value and deadline) at `key` in database `db_index`.
fn put_entry(shared: &Shared, db_index: usize, key: &Bytes, entry: Entry, now: Instant) {
    let expiry = entry.expires_at.map_or(SetExpiry::Clear, SetExpiry::At);
    let options = SetOptions {
        condition: SetCondition::Always,
        expiry,
    };
    shared
        .store
        .db(db_index)
        .set(key.clone(), entry.value, options, now);
    if let Some(at) = entry.expires_at {
        shared.expirations.schedule(db_index, key.clone(), at);
    }
}

/// `COPY`: 1 if the value (and its TTL) was copied, 0 if not.
#[allow(clippy::too_many_arguments)]
fn copy(
    shared: &Shared,
    session: &Session,
    from: Bytes,
    to: Bytes,
    target: Option<i64>,
    replace: bool,
    now: Instant,
) -> Result<Frame, Frame> {
    let target_db = match target {
        None => session.db,
        Some(index) if index >= 0 && (index as usize) < shared.store.databases() => index as usize,
        Some(_) => return Err(error("ERR DB index is out of range")),
    };
    if target_db == session.db && from == to {
        return Err(error("ERR source and destination objects are the same"));
    }
    let db = shared.store.db(session.db);
    let Some(entry) = db.with_entry(&from, now, |entry| entry.clone()) else {
        return Ok(int(0));
    };
    let copied = write(shared, session, || {
        if !replace && shared.store.db(target_db).exists(&to, now) {
            return (false, None);
        }
        put_entry(shared, target_db, &to, entry, now);
        let index = target_db.to_string();
        let mut words: Vec<&[u8]> = vec![b"COPY", &from, &to, b"DB", index.as_bytes()];
        if replace {
            words.push(b"REPLACE");
        }
        (true, record(&words))
    })?;
    Ok(int(copied as i64))
}

/// `OBJECT ENCODING` of a string: Redis keeps integers as `int`, short
/// strings as `embstr`, longer ones as `raw`.
fn encoding_of(value: &[u8]) -> &'static str {
    if value.len() <= 20 && crate::num::parse_i64(value).is_some() {
        "int"
    } else if value.len() <= 44 {
        "embstr"
    } else {
        "raw"
    }
}

/// `LCS`: the longest common subsequence, its length, or (`IDX`) the
/// matching ranges, walked back from the ends as Redis does.
fn lcs(
    a: &[u8],
    b: &[u8],
    len_only: bool,
    idx: bool,
    min_match_len: usize,
    with_match_len: bool,
) -> Result<Frame, Frame> {
    let (rows, cols) = (a.len() + 1, b.len() + 1);
    let cells = rows
        .checked_mul(cols)
        .filter(|n| n.saturating_mul(4) <= MAX_STRING as usize);
    let Some(cells) = cells else {
        return Err(error(
            "ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len",
        ));
    };
    // table[i * cols + j]: LCS length of a[..i] and b[..j].
    let mut table = vec![0u32; cells];
    for i in 1..rows {
        for j in 1..cols {
            table[i * cols + j] = if a[i - 1] == b[j - 1] {
                table[(i - 1) * cols + j - 1] + 1
            } else {
                table[(i - 1) * cols + j].max(table[i * cols + j - 1])
            };
        }
    }
    let at = |i: usize, j: usize| table[i * cols + j];
    let total = at(a.len(), b.len()) as usize;
    if len_only {
        return Ok(int(total));
    }
    let mut common = vec![0u8; total];
    let mut matches = Vec::new();
    let (mut i, mut j, mut k) = (a.len(), b.len(), total);
    // `None`: not inside a run of matches; else (a_start, a_end, b_start, b_end).
    let mut run: Option<(usize, usize, usize, usize)> = None;
    while i > 0 && j > 0 {
        let mut emit = false;
        if a[i - 1] == b[j - 1] {
            common[k - 1] = a[i - 1];
            run = match run {
                None => Some((i - 1, i - 1, j - 1, j - 1)),
                Some((a0, a1, b0, b1)) if a0 == i && b0 == j => Some((a0 - 1, a1, b0 - 1, b1)),
                other => {
                    emit = true;
                    other
                }
            };
            if let Some((0, ..)) | Some((_, _, 0, _)) = run {
                emit = true;
            }
            k -= 1;
            i -= 1;
            j -= 1;
        } else {
            if at(i - 1, j) > at(i, j - 1) {
                i -= 1;
            } else {
                j -= 1;
            }
            emit = run.is_some();
        }
        if let (true, Some((a0, a1, b0, b1))) = (emit, run) {
            let match_len = a1 - a0 + 1;
            if min_match_len == 0 || match_len >= min_match_len {
                let range = |x: usize, y: usize| Frame::Array(vec![int(x), int(y)]);
                let mut item = vec![range(a0, a1), range(b0, b1)];
                if with_match_len {
                    item.push(int(match_len));
                }
                matches.push(Frame::Array(item));
            }
            run = None;
        }
    }
    if !idx {
        return Ok(Frame::Bulk(common.into()));
    }
    Ok(Frame::Map(vec![
        (bulk("matches"), Frame::Array(matches)),
        (bulk("len"), int(total)),
    ]))
}

/// A pub/sub frame: a push in RESP3, an array in RESP2.
fn push(protocol: Protocol, items: Vec<Frame>) -> Frame {
    match protocol {
        Protocol::Resp3 => Frame::Push(items),
        Protocol::Resp2 => Frame::Array(items),
    }
}

// ANCHOR: message_frame
/// How a received message goes to the client.
pub fn message_frame(message: Message, protocol: Protocol) -> Frame {
    let items = match message.pattern {
        Some(pattern) => vec![
            bulk("pmessage"),
            Frame::Bulk(pattern),
            Frame::Bulk(message.channel),
            Frame::Bulk(message.payload),
        ],
        None => vec![
            bulk("message"),
            Frame::Bulk(message.channel),
            Frame::Bulk(message.payload),
        ],
    };
    push(protocol, items)
}
// ANCHOR_END: message_frame

/// The messages already waiting in this session's mailbox, as frames.
fn ready_messages(session: &mut Session) -> Vec<Frame> {
    let protocol = session.protocol;
    let Some(subscriber) = session.subscriber.as_mut() else {
        return Vec::new();
    };
    let mut frames = Vec::new();
    let mut cx = std::task::Context::from_waker(std::task::Waker::noop());
    loop {
        // One poll: a message that is there now, or nothing (the future is
        // dropped, which `recv` allows: it is cancellation-safe).
        let mut next = std::pin::pin!(subscriber.recv());
        match next.as_mut().poll(&mut cx) {
            std::task::Poll::Ready(Ok(message)) => frames.push(message_frame(message, protocol)),
            _ => return frames,
        }
    }
}

fn subscribe(session: &mut Session, shared: &Shared, names: Vec<Bytes>, patterns: bool) -> Outcome {
    let protocol = session.protocol;
    let subscriber = session
        .subscriber
        .get_or_insert_with(|| shared.hub.subscriber());
    let kind = if patterns { "psubscribe" } else { "subscribe" };
    let replies = names
        .into_iter()
        .map(|name| {
            let count = if patterns {
                subscriber.psubscribe(name.clone())
            } else {
                subscriber.subscribe(name.clone())
            };
            push(protocol, vec![bulk(kind), Frame::Bulk(name), int(count)])
        })
        .collect();
    Outcome::Replies(replies)
}

fn unsubscribe(session: &mut Session, names: Vec<Bytes>, patterns: bool) -> Outcome {
    let protocol = session.protocol;
    let kind = if patterns {
        "punsubscribe"
    } else {
        "unsubscribe"
    };
    let Some(subscriber) = session.subscriber.as_mut() else {
        let count = 0;
        let names = if names.is_empty() {
            vec![None]
        } else {
            names.into_iter().map(Some).collect()
        };
        return Outcome::Replies(
            names
                .into_iter()
                .map(|n| push(protocol, vec![bulk(kind), opt_bulk(n), int(count)]))
                .collect(),
        );
    };
    let names = match (names.is_empty(), patterns) {
        (false, _) => names,
        (true, false) => subscriber.channels(),
        (true, true) => subscriber.patterns(),
    };
    if names.is_empty() {
        let count = subscriber.count();
        return Outcome::Reply(push(protocol, vec![bulk(kind), Frame::Null, int(count)]));
    }
    let replies = names
        .into_iter()
        .map(|name| {
            let count = if patterns {
                subscriber.punsubscribe(&name)
            } else {
                subscriber.unsubscribe(&name)
            };
            push(protocol, vec![bulk(kind), Frame::Bulk(name), int(count)])
        })
        .collect();
    if subscriber.count() == 0 {
        session.subscriber = None;
    }
    Outcome::Replies(replies)
}

fn hello_reply(session: &Session) -> Frame {
    let pair = |k: &str, v: Frame| (bulk(k.to_string()), v);
    Frame::Map(vec![
        pair("server", bulk("redis")),
        pair("version", bulk("7.0.15")),
        pair(
            "proto",
            int(if session.protocol == Protocol::Resp3 {
                3
            } else {
                2
            }),
        ),
        pair("id", int(session.id)),
        pair("mode", bulk("standalone")),
        pair("role", bulk("master")),
        pair("modules", Frame::Array(Vec::new())),
    ])
}

/// The parameters `CONFIG GET` knows, with their current values.
fn config_values(shared: &Shared) -> Vec<(String, String)> {
    let c = &shared.config;
    let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
    let mut values: BTreeMap<String, String> = [
        ("appendonly", yes_no(c.appendonly)),
        (
            "appendfsync",
            format!("{:?}", c.appendfsync).to_ascii_lowercase(),
        ),
        ("appendfilename", c.appendfilename.clone()),
        ("bind", c.bind.clone()),
        ("databases", c.databases.to_string()),
        ("dir", c.dir.display().to_string()),
        ("maxclients", c.maxclients.to_string()),
        ("maxmemory", "0".into()),
        ("maxmemory-policy", "noeviction".into()),
        ("port", shared.port.to_string()),
        ("save", String::new()),
        ("timeout", c.timeout.map_or(0, |t| t.as_secs()).to_string()),
        ("proto-max-bulk-len", "536870912".into()),
        ("client-query-buffer-limit", "1073741824".into()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    for (key, value) in shared.config_overrides.lock().unwrap().iter() {
        values.insert(key.clone(), value.clone());
    }
    values.into_iter().collect()
}

fn config_get(shared: &Shared, patterns: &[Bytes]) -> Frame {
    let values = config_values(shared);
    let mut seen = std::collections::BTreeSet::new();
    let mut pairs = Vec::new();
    for pattern in patterns {
        let pattern = lowercase(pattern);
        for (key, value) in &values {
            if glob::matches(pattern.as_bytes(), key.as_bytes()) && seen.insert(key.clone()) {
                pairs.push((bulk(key.clone()), bulk(value.clone())));
            }
        }
    }
    Frame::Map(pairs)
}

fn config_set(shared: &Shared, pairs: Vec<(Bytes, Bytes)>) -> Result<Frame, Frame> {
    let known: Vec<String> = config_values(shared).into_iter().map(|(k, _)| k).collect();
    let mut overrides = shared.config_overrides.lock().unwrap();
    for (key, _) in &pairs {
        let key = lowercase(key);
        if !known.contains(&key) {
            return Err(error(format!(
                "ERR Unknown option or number of arguments for CONFIG SET - '{key}'"
            )));
        }
    }
    for (key, value) in pairs {
        overrides.insert(
            lowercase(&key),
            String::from_utf8_lossy(&value).into_owned(),
        );
    }
    Ok(ok())
}

fn info(shared: &Shared, sections: &[Bytes], now: Instant) -> String {
    let wanted: Vec<String> = sections.iter().map(|s| lowercase(s)).collect();
    let all = wanted.is_empty()
        || wanted
            .iter()
            .any(|s| s == "all" || s == "everything" || s == "default");
    let show = |name: &str| all || wanted.iter().any(|s| s == name);
    let mut out = String::new();
    let uptime = now.saturating_duration_since(shared.started).as_secs();
    if show("server") {
        out += &format!(
            "# Server\r\nredis_version:7.0.15\r\nredis_mode:standalone\r\nos:{} {}\r\narch_bits:64\r\nprocess_id:{}\r\ntcp_port:{}\r\nuptime_in_seconds:{uptime}\r\nuptime_in_days:{}\r\n\r\n",
            std::env::consts::OS,
            std::env::consts::ARCH,
            std::process::id(),
            shared.port,
            uptime / 86_400
        );
    }
    if show("clients") {
        out += &format!(
            "# Clients\r\nconnected_clients:{}\r\nmaxclients:{}\r\nblocked_clients:0\r\n\r\n",
            shared.gate.in_use(),
            shared.config.maxclients
        );
    }
    if show("memory") {
        let rss = kit::measure::resident_bytes().unwrap_or(0);
        out += &format!(
            "# Memory\r\nused_memory:{rss}\r\nused_memory_rss:{rss}\r\nmaxmemory:0\r\n\r\n"
        );
    }
    if show("persistence") {
        out += &format!(
            "# Persistence\r\nloading:0\r\naof_enabled:{}\r\n\r\n",
            shared.aof.is_some() as u8
        );
    }
    if show("stats") {
        out += &format!(
            "# Stats\r\ntotal_connections_received:{}\r\ntotal_commands_processed:{}\r\n\r\n",
            shared.connections_received.load(Ordering::Relaxed),
            shared.commands_processed.load(Ordering::Relaxed)
        );
    }
    if show("replication") {
        out += "# Replication\r\nrole:master\r\nconnected_slaves:0\r\n\r\n";
    }
    if show("keyspace") {
        out += "# Keyspace\r\n";
        for index in 0..shared.store.databases() {
            let db = shared.store.db(index);
            let keys = db.keys(b"*", now);
            if keys.is_empty() {
                continue;
            }
            let expires = keys
                .iter()
                .filter(|k| db.with_entry(k, now, |e| e.expires_at.is_some()) == Some(true))
                .count();
            out += &format!(
                "db{index}:keys={},expires={expires},avg_ttl=0\r\n",
                keys.len()
            );
        }
        out += "\r\n";
    }
    out.truncate(out.trim_end().len());
    out + "\r\n"
}
