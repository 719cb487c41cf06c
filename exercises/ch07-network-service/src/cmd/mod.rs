//! Given code: turning a request's words into a [`Command`], with Redis's
//! arity rules, options and exact error strings ([`parse`]), and running it
//! against the store, expiry, pub/sub and the log ([`exec`]).
//!
//! None of this is graded: it is the tedious part of a Redis server, written
//! once so the exercises can stay on the concurrency. It calls the
//! exercises' APIs (`store::Db`, `expiry`, `pubsub::Hub`, `aof::Aof`) and so
//! works once they do.

pub mod exec;

use crate::expiry::ExpireCondition;
use crate::num;
use crate::resp::Frame;
use crate::store::SetCondition;
use bytes::Bytes;

pub use exec::{Outcome, Session, Shared, exec};

// ANCHOR: command
/// A parsed request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    Ping(Option<Bytes>),
    Multi,
    Exec,
    Discard,
    Echo(Bytes),
    Quit,
    Reset,
    Hello {
        protover: Option<i64>,
        setname: Option<Bytes>,
    },
    ClientSetName(Bytes),
    ClientGetName,
    ClientId,
    ClientSetInfo,
    ClientNoop,
    /// `CLIENT INFO` / `CLIENT LIST`: this connection's line only.
    ClientInfo,
    CommandDocs,
    CommandCount,
    Info(Vec<Bytes>),
    ConfigGet(Vec<Bytes>),
    ConfigSet(Vec<(Bytes, Bytes)>),
    ConfigResetStat,
    FlushAll,
    FlushDb,
    FunctionFlush,
    Shutdown,
    Select(usize),
    Time,
    Get(Bytes),
    GetDel(Bytes),
    /// `SETNX`: `SET NX` replying 1 or 0.
    SetNx(Bytes, Bytes),
    Set {
        key: Bytes,
        value: Bytes,
        condition: SetCondition,
        expiry: ExpiryArg,
        get: bool,
    },
    Del(Vec<Bytes>),
    Exists(Vec<Bytes>),
    IncrBy(Bytes, i64),
    MGet(Vec<Bytes>),
    MSet {
        pairs: Vec<(Bytes, Bytes)>,
        only_if_none_exist: bool,
    },
    Append(Bytes, Bytes),
    Strlen(Bytes),
    DbSize,
    Keys(Bytes),
    Scan {
        cursor: u64,
        pattern: Option<Bytes>,
        count: usize,
        only_strings: Option<bool>,
    },
    Type(Bytes),
    RandomKey,
    Expire {
        key: Bytes,
        when: ExpiryArg,
        condition: ExpireCondition,
        name: &'static str,
    },
    Ttl(Bytes),
    Pttl(Bytes),
    ExpireTime {
        key: Bytes,
        millis: bool,
    },
    Persist(Bytes),
    /// `GETRANGE`/`SUBSTR key start end` (inclusive, negative from the end).
    GetRange(Bytes, i64, i64),
    /// `SETRANGE key offset value` (offset checked to be >= 0).
    SetRange(Bytes, i64, Bytes),
    /// `GETEX key [EX|PX|EXAT|PXAT amount | PERSIST]`: `when` is
    /// `ExpiryArg::None` when the TTL stays as it is.
    GetEx {
        key: Bytes,
        when: ExpiryArg,
        persist: bool,
    },
    /// `INCRBYFLOAT key increment`: the increment as given (already checked
    /// to be a float; kept as text so `Command` stays `Eq`).
    IncrByFloat(Bytes, Bytes),
    /// `RENAME` (`only_if_missing: false`) and `RENAMENX`.
    Rename {
        from: Bytes,
        to: Bytes,
        only_if_missing: bool,
    },
    /// `COPY source destination [DB index] [REPLACE]`.
    Copy {
        from: Bytes,
        to: Bytes,
        db: Option<i64>,
        replace: bool,
    },
    Touch(Vec<Bytes>),
    /// `OBJECT ENCODING|REFCOUNT|IDLETIME key`.
    Object(ObjectField, Bytes),
    LastSave,
    /// `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]`.
    Lcs {
        a: Bytes,
        b: Bytes,
        len: bool,
        idx: bool,
        min_match_len: i64,
        with_match_len: bool,
    },
    Subscribe(Vec<Bytes>),
    Unsubscribe(Vec<Bytes>),
    PSubscribe(Vec<Bytes>),
    PUnsubscribe(Vec<Bytes>),
    Publish(Bytes, Bytes),
    PubsubChannels(Option<Bytes>),
    PubsubNumsub(Vec<Bytes>),
    PubsubNumpat,
}

/// A time given to `SET`/`EXPIRE`: relative (`EX`, `PX`, `EXPIRE`) or a Unix
/// time (`EXAT`, `PXAT`, `EXPIREAT`), always in milliseconds here.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpiryArg {
    None,
    KeepTtl,
    InMs(i64),
    AtUnixMs(i64),
}
// ANCHOR_END: command

/// What `OBJECT` reports about a key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectField {
    Encoding,
    RefCount,
    IdleTime,
}

/// An error reply; `Display` of the error strings Redis uses.
pub type Reply = Result<Command, Frame>;

pub const NOT_INTEGER: &str = "ERR value is not an integer or out of range";
pub const SYNTAX: &str = "ERR syntax error";
pub const NOT_FLOAT: &str = "ERR value is not a valid float";
pub const WRONGTYPE: &str = "WRONGTYPE Operation against a key holding the wrong kind of value";

pub fn error(text: impl Into<String>) -> Frame {
    // An error line must not contain CR or LF; Redis replaces them with spaces.
    let text: String = text
        .into()
        .chars()
        .map(|c| if c == '\r' || c == '\n' { ' ' } else { c })
        .collect();
    Frame::Error(text)
}

fn arity_error(name: &str) -> Frame {
    error(format!(
        "ERR wrong number of arguments for '{name}' command"
    ))
}

/// The name of a command as Redis reports it: lowercase.
pub fn lowercase(word: &[u8]) -> String {
    String::from_utf8_lossy(word).to_ascii_lowercase()
}

// ANCHOR: arity
/// Redis's arity of each command: `n` means exactly `n` words (the name
/// included), `-n` at least `n`. `None`: not a command we know.
fn arity(name: &str) -> Option<i32> {
    Some(match name {
        "ping" | "quit" | "hello" | "info" | "command" | "flushall" | "flushdb" | "unsubscribe"
        | "punsubscribe" | "shutdown" => -1,
        "client" | "config" | "function" | "debug" | "pubsub" | "del" | "unlink" | "exists"
        | "mget" | "subscribe" | "psubscribe" | "scan" | "getex" | "touch" | "object" => -2,
        "set" | "mset" | "msetnx" | "expire" | "pexpire" | "expireat" | "pexpireat" | "copy"
        | "lcs" => -3,
        "dbsize" | "time" | "reset" | "randomkey" | "multi" | "exec" | "discard" | "lastsave" => 1,
        "echo" | "get" | "getdel" | "incr" | "decr" | "strlen" | "keys" | "type" | "select"
        | "ttl" | "pttl" | "persist" | "expiretime" | "pexpiretime" => 2,
        "incrby" | "decrby" | "append" | "publish" | "setnx" | "getset" | "incrbyfloat"
        | "rename" | "renamenx" => 3,
        "setex" | "psetex" | "getrange" | "substr" | "setrange" => 4,
        _ => return None,
    })
}
// ANCHOR_END: arity

/// Checks a subcommand's arity; `full` is `container|sub` as Redis names it.
fn sub_arity(args: &[Bytes], full: &str, arity: i32) -> Result<(), Frame> {
    let n = args.len() as i32;
    let fits = if arity >= 0 { n == arity } else { n >= -arity };
    if fits { Ok(()) } else { Err(arity_error(full)) }
}

fn unknown_subcommand(container: &str, sub: &[u8]) -> Frame {
    error(format!(
        "ERR unknown subcommand '{}'. Try {} HELP.",
        truncate(&String::from_utf8_lossy(sub), 128),
        container.to_ascii_uppercase()
    ))
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}

/// The reply to a command nobody knows, worded exactly as Redis 7 does.
pub fn unknown_command(args: &[Bytes]) -> Frame {
    let mut listed = String::new();
    for arg in &args[1..] {
        if listed.len() >= 128 {
            break;
        }
        let room = 128 - listed.len();
        listed.push_str(&format!(
            "'{}' ",
            truncate(&String::from_utf8_lossy(arg), room)
        ));
    }
    error(format!(
        "ERR unknown command '{}', with args beginning with: {}",
        truncate(&String::from_utf8_lossy(&args[0]), 128),
        listed
    ))
}

fn int(word: &[u8]) -> Result<i64, Frame> {
    num::parse_i64(word).ok_or_else(|| error(NOT_INTEGER))
}

// ANCHOR: parse
/// Parses a request (at least one word) into a command, or the error reply
/// Redis gives for it.
pub fn parse(args: &[Bytes]) -> Reply {
    let name = lowercase(&args[0]);
    let Some(arity) = arity(&name) else {
        return Err(unknown_command(args));
    };
    let n = args.len() as i32;
    if (arity >= 0 && n != arity) || (arity < 0 && n < -arity) {
        return Err(arity_error(&name));
    }
    let a = |i: usize| args[i].clone();
    let rest = || args[1..].to_vec();
    Ok(match name.as_str() {
        // ANCHOR_END: parse
        "ping" if n > 2 => return Err(arity_error("ping")),
        "ping" => Command::Ping(args.get(1).cloned()),
        "echo" => Command::Echo(a(1)),
        "multi" => Command::Multi,
        "exec" => Command::Exec,
        "discard" => Command::Discard,
        "quit" => Command::Quit,
        "reset" => Command::Reset,
        "hello" => return parse_hello(args),
        "client" => return parse_client(args),
        "command" => match args.get(1).map(|s| lowercase(s)).as_deref() {
            None | Some("docs") | Some("info") | Some("list") => Command::CommandDocs,
            Some("count") => Command::CommandCount,
            Some(_) => return Err(unknown_subcommand("command", &args[1])),
        },
        "info" => Command::Info(rest()),
        "config" => return parse_config(args),
        "function" => match lowercase(&args[1]).as_str() {
            "flush" => {
                sub_arity(args, "function|flush", -2)?;
                Command::FunctionFlush
            }
            _ => return Err(unknown_subcommand("function", &args[1])),
        },
        "debug" => return Err(error("ERR DEBUG is not supported by this server")),
        "flushall" | "flushdb" => {
            match args.get(1).map(|s| lowercase(s)).as_deref() {
                None | Some("sync") | Some("async") if n <= 2 => {}
                _ => return Err(error(SYNTAX)),
            }
            if name == "flushall" {
                Command::FlushAll
            } else {
                Command::FlushDb
            }
        }
        "shutdown" => Command::Shutdown,
        "select" => match num::parse_i64(&args[1]) {
            Some(index) if index >= 0 => Command::Select(index as usize),
            Some(_) => return Err(error("ERR DB index is out of range")),
            None => return Err(error(NOT_INTEGER)),
        },
        "time" => Command::Time,
        "get" => Command::Get(a(1)),
        "getdel" => Command::GetDel(a(1)),
        "set" => return parse_set(args),
        "setnx" => Command::SetNx(a(1), a(2)),
        "getset" => set(a(1), a(2), SetCondition::Always, ExpiryArg::None, true),
        "setex" | "psetex" => {
            let amount = int(&args[2])?;
            let unit = if name == "setex" { 1000 } else { 1 };
            if amount <= 0 || amount.checked_mul(unit).is_none() {
                return Err(error(format!(
                    "ERR invalid expire time in '{name}' command"
                )));
            }
            set(
                a(1),
                a(3),
                SetCondition::Always,
                ExpiryArg::InMs(amount * unit),
                false,
            )
        }
        "del" | "unlink" => Command::Del(rest()),
        "exists" => Command::Exists(rest()),
        "incr" => Command::IncrBy(a(1), 1),
        "decr" => Command::IncrBy(a(1), -1),
        "incrby" => Command::IncrBy(a(1), int(&args[2])?),
        "decrby" => match int(&args[2])?.checked_neg() {
            Some(delta) => Command::IncrBy(a(1), delta),
            None => return Err(error("ERR decrement would overflow")),
        },
        "mget" => Command::MGet(rest()),
        "mset" | "msetnx" => {
            if args.len().is_multiple_of(2) {
                return Err(arity_error(&name));
            }
            let pairs = args[1..]
                .chunks(2)
                .map(|pair| (pair[0].clone(), pair[1].clone()))
                .collect();
            Command::MSet {
                pairs,
                only_if_none_exist: name == "msetnx",
            }
        }
        "append" => Command::Append(a(1), a(2)),
        "strlen" => Command::Strlen(a(1)),
        "dbsize" => Command::DbSize,
        "keys" => Command::Keys(a(1)),
        "scan" => return parse_scan(args),
        "type" => Command::Type(a(1)),
        "randomkey" => Command::RandomKey,
        "expire" | "pexpire" | "expireat" | "pexpireat" => return parse_expire(&name, args),
        "ttl" => Command::Ttl(a(1)),
        "pttl" => Command::Pttl(a(1)),
        "expiretime" | "pexpiretime" => Command::ExpireTime {
            key: a(1),
            millis: name == "pexpiretime",
        },
        "persist" => Command::Persist(a(1)),
        "getrange" | "substr" => Command::GetRange(a(1), int(&args[2])?, int(&args[3])?),
        "setrange" => match int(&args[2])? {
            offset if offset < 0 => return Err(error("ERR offset is out of range")),
            offset => Command::SetRange(a(1), offset, a(3)),
        },
        "getex" => return parse_getex(args),
        "incrbyfloat" => {
            if parse_float(&args[2]).is_none() {
                return Err(error(NOT_FLOAT));
            }
            Command::IncrByFloat(a(1), a(2))
        }
        "rename" | "renamenx" => Command::Rename {
            from: a(1),
            to: a(2),
            only_if_missing: name == "renamenx",
        },
        "copy" => return parse_copy(args),
        "touch" => Command::Touch(rest()),
        "object" => return parse_object(args),
        "lastsave" => Command::LastSave,
        "lcs" => return parse_lcs(args),
        "subscribe" => Command::Subscribe(rest()),
        "unsubscribe" => Command::Unsubscribe(rest()),
        "psubscribe" => Command::PSubscribe(rest()),
        "punsubscribe" => Command::PUnsubscribe(rest()),
        "publish" => Command::Publish(a(1), a(2)),
        "pubsub" => return parse_pubsub(args),
        _ => return Err(unknown_command(args)),
    })
}

fn set(key: Bytes, value: Bytes, condition: SetCondition, expiry: ExpiryArg, get: bool) -> Command {
    Command::Set {
        key,
        value,
        condition,
        expiry,
        get,
    }
}

// ANCHOR: parse_set
/// `SET key value [NX|XX] [GET] [EX s|PX ms|EXAT s|PXAT ms|KEEPTTL]`.
fn parse_set(args: &[Bytes]) -> Reply {
    // ANCHOR_END: parse_set
    let mut condition = SetCondition::Always;
    let mut expiry = ExpiryArg::None;
    let mut get = false;
    let mut i = 3;
    while i < args.len() {
        let option = lowercase(&args[i]);
        let next = args.get(i + 1);
        match option.as_str() {
            "nx" if condition == SetCondition::Always => condition = SetCondition::IfMissing,
            "xx" if condition == SetCondition::Always => condition = SetCondition::IfExists,
            "get" => get = true,
            "keepttl" if expiry == ExpiryArg::None => expiry = ExpiryArg::KeepTtl,
            "ex" | "px" | "exat" | "pxat" if expiry == ExpiryArg::None && next.is_some() => {
                let amount = int(next.unwrap())?;
                let unit = if option == "ex" || option == "exat" {
                    1000
                } else {
                    1
                };
                let Some(ms) = amount.checked_mul(unit).filter(|_| amount > 0) else {
                    return Err(error("ERR invalid expire time in 'set' command"));
                };
                expiry = if option.ends_with("at") {
                    ExpiryArg::AtUnixMs(ms)
                } else {
                    ExpiryArg::InMs(ms)
                };
                i += 1;
            }
            _ => return Err(error(SYNTAX)),
        }
        i += 1;
    }
    Ok(set(
        args[1].clone(),
        args[2].clone(),
        condition,
        expiry,
        get,
    ))
}

/// A float as Redis reads one (`strtold`): no surrounding spaces, no NaN.
pub fn parse_float(word: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(word).ok()?;
    if text.is_empty() || text.starts_with(|c: char| c.is_ascii_whitespace()) {
        return None;
    }
    text.parse::<f64>().ok().filter(|value| !value.is_nan())
}

/// `GETEX key [EX s|PX ms|EXAT s|PXAT ms|PERSIST]`.
fn parse_getex(args: &[Bytes]) -> Reply {
    let mut when = ExpiryArg::None;
    let mut persist = false;
    let mut i = 2;
    while i < args.len() {
        let option = lowercase(&args[i]);
        let next = args.get(i + 1);
        let unset = when == ExpiryArg::None && !persist;
        match option.as_str() {
            "persist" if unset => persist = true,
            "ex" | "px" | "exat" | "pxat" if unset && next.is_some() => {
                let amount = int(next.unwrap())?;
                let unit = if option == "ex" || option == "exat" {
                    1000
                } else {
                    1
                };
                let Some(ms) = amount.checked_mul(unit).filter(|_| amount > 0) else {
                    return Err(error("ERR invalid expire time in 'getex' command"));
                };
                when = if option.ends_with("at") {
                    ExpiryArg::AtUnixMs(ms)
                } else {
                    ExpiryArg::InMs(ms)
                };
                i += 1;
            }
            _ => return Err(error(SYNTAX)),
        }
        i += 1;
    }
    Ok(Command::GetEx {
        key: args[1].clone(),
        when,
        persist,
    })
}

/// `COPY source destination [DB index] [REPLACE]`.
fn parse_copy(args: &[Bytes]) -> Reply {
    let mut db = None;
    let mut replace = false;
    let mut i = 3;
    while i < args.len() {
        match lowercase(&args[i]).as_str() {
            "replace" => replace = true,
            "db" if i + 1 < args.len() => {
                // Redis reads the index as a C int.
                let index = int(&args[i + 1])?;
                if i32::try_from(index).is_err() {
                    return Err(error(NOT_INTEGER));
                }
                db = Some(index);
                i += 1;
            }
            _ => return Err(error(SYNTAX)),
        }
        i += 1;
    }
    Ok(Command::Copy {
        from: args[1].clone(),
        to: args[2].clone(),
        db,
        replace,
    })
}

fn parse_object(args: &[Bytes]) -> Reply {
    let sub = lowercase(&args[1]);
    let field = match sub.as_str() {
        "encoding" => ObjectField::Encoding,
        "refcount" => ObjectField::RefCount,
        "idletime" => ObjectField::IdleTime,
        _ => return Err(unknown_subcommand("object", &args[1])),
    };
    sub_arity(args, &format!("object|{sub}"), 3)?;
    Ok(Command::Object(field, args[2].clone()))
}

/// `LCS key1 key2 [LEN] [IDX] [MINMATCHLEN n] [WITHMATCHLEN]`.
fn parse_lcs(args: &[Bytes]) -> Reply {
    let (mut len, mut idx, mut with_match_len) = (false, false, false);
    let mut min_match_len = 0;
    let mut i = 3;
    while i < args.len() {
        match lowercase(&args[i]).as_str() {
            "len" => len = true,
            "idx" => idx = true,
            "withmatchlen" => with_match_len = true,
            "minmatchlen" if i + 1 < args.len() => {
                min_match_len = int(&args[i + 1])?.max(0);
                i += 1;
            }
            _ => return Err(error(SYNTAX)),
        }
        i += 1;
    }
    if len && idx {
        return Err(error(
            "ERR If you want both the length and indexes, please just use IDX.",
        ));
    }
    Ok(Command::Lcs {
        a: args[1].clone(),
        b: args[2].clone(),
        len,
        idx,
        min_match_len,
        with_match_len,
    })
}

/// `EXPIRE key amount [NX|XX|GT|LT]` and its three siblings.
fn parse_expire(name: &str, args: &[Bytes]) -> Reply {
    let amount = int(&args[2])?;
    let mut nx = false;
    let mut xx = false;
    let mut gt = false;
    let mut lt = false;
    for option in &args[3..] {
        match lowercase(option).as_str() {
            "nx" => nx = true,
            "xx" => xx = true,
            "gt" => gt = true,
            "lt" => lt = true,
            _ => {
                return Err(error(format!(
                    "ERR Unsupported option {}",
                    String::from_utf8_lossy(option)
                )));
            }
        }
    }
    if nx && (xx || gt || lt) {
        return Err(error(
            "ERR NX and XX, GT or LT options at the same time are not compatible",
        ));
    }
    if gt && lt {
        return Err(error(
            "ERR GT and LT options at the same time are not compatible",
        ));
    }
    let condition = match (nx, xx, gt, lt) {
        (true, ..) => ExpireCondition::IfNone,
        (_, _, true, _) => ExpireCondition::IfLater,
        (_, _, _, true) => ExpireCondition::IfEarlier,
        (_, true, ..) => ExpireCondition::IfSome,
        _ => ExpireCondition::Always,
    };
    let (unit, absolute, name) = match name {
        "expire" => (1000, false, "expire"),
        "pexpire" => (1, false, "pexpire"),
        "expireat" => (1000, true, "expireat"),
        _ => (1, true, "pexpireat"),
    };
    let Some(ms) = amount.checked_mul(unit) else {
        return Err(error(format!(
            "ERR invalid expire time in '{name}' command"
        )));
    };
    let when = if absolute {
        ExpiryArg::AtUnixMs(ms)
    } else {
        ExpiryArg::InMs(ms)
    };
    Ok(Command::Expire {
        key: args[1].clone(),
        when,
        condition,
        name,
    })
}

/// `SCAN cursor [MATCH pattern] [COUNT count] [TYPE type]`.
fn parse_scan(args: &[Bytes]) -> Reply {
    let cursor = num::parse_u64(&args[1]).ok_or_else(|| error("ERR invalid cursor"))?;
    let mut pattern = None;
    let mut count = 10;
    let mut only_strings = None;
    let mut i = 2;
    while i < args.len() {
        let Some(value) = args.get(i + 1) else {
            return Err(error(SYNTAX));
        };
        match lowercase(&args[i]).as_str() {
            "match" => pattern = Some(value.clone()),
            "count" => {
                count = match int(value)? {
                    n if n < 1 => return Err(error(SYNTAX)),
                    n => n as usize,
                }
            }
            "type" => only_strings = Some(value.eq_ignore_ascii_case(b"string")),
            _ => return Err(error(SYNTAX)),
        }
        i += 2;
    }
    Ok(Command::Scan {
        cursor,
        pattern,
        count,
        only_strings,
    })
}

/// `HELLO [protover [AUTH username password] [SETNAME clientname]]`.
fn parse_hello(args: &[Bytes]) -> Reply {
    let mut protover = None;
    let mut setname = None;
    if let Some(version) = args.get(1) {
        match num::parse_i64(version) {
            Some(v) => protover = Some(v),
            None => {
                return Err(error(
                    "ERR Protocol version is not an integer or out of range",
                ));
            }
        }
    }
    let mut i = 2;
    while i < args.len() {
        let option = lowercase(&args[i]);
        let more = args.len() - i - 1;
        match option.as_str() {
            // No password is configured: like Redis's default user, any is fine.
            "auth" if more >= 2 => i += 3,
            "setname" if more >= 1 => {
                setname = Some(args[i + 1].clone());
                i += 2;
            }
            _ => {
                return Err(error(format!(
                    "ERR Syntax error in HELLO option '{}'",
                    String::from_utf8_lossy(&args[i])
                )));
            }
        }
    }
    if let Some(v) = protover
        && !(2..=3).contains(&v)
    {
        return Err(error("NOPROTO unsupported protocol version"));
    }
    Ok(Command::Hello { protover, setname })
}

fn parse_client(args: &[Bytes]) -> Reply {
    let sub = lowercase(&args[1]);
    Ok(match sub.as_str() {
        "setname" => {
            sub_arity(args, "client|setname", 3)?;
            let name = &args[2];
            if name.iter().any(|&b| b <= b' ' || b > b'~') {
                return Err(error(
                    "ERR Client names cannot contain spaces, newlines or special characters.",
                ));
            }
            Command::ClientSetName(name.clone())
        }
        "getname" => {
            sub_arity(args, "client|getname", 2)?;
            Command::ClientGetName
        }
        "id" => {
            sub_arity(args, "client|id", 2)?;
            Command::ClientId
        }
        "setinfo" => {
            sub_arity(args, "client|setinfo", 4)?;
            Command::ClientSetInfo
        }
        "info" | "list" => Command::ClientInfo,
        "no-evict" | "no-touch" | "reply" => Command::ClientNoop,
        _ => return Err(unknown_subcommand("client", &args[1])),
    })
}

fn parse_config(args: &[Bytes]) -> Reply {
    let sub = lowercase(&args[1]);
    Ok(match sub.as_str() {
        "get" => {
            sub_arity(args, "config|get", -3)?;
            Command::ConfigGet(args[2..].to_vec())
        }
        "set" => {
            sub_arity(args, "config|set", -4)?;
            if !args.len().is_multiple_of(2) {
                return Err(arity_error("config|set"));
            }
            Command::ConfigSet(
                args[2..]
                    .chunks(2)
                    .map(|p| (p[0].clone(), p[1].clone()))
                    .collect(),
            )
        }
        "resetstat" => {
            sub_arity(args, "config|resetstat", 2)?;
            Command::ConfigResetStat
        }
        _ => return Err(unknown_subcommand("config", &args[1])),
    })
}

fn parse_pubsub(args: &[Bytes]) -> Reply {
    let sub = lowercase(&args[1]);
    Ok(match sub.as_str() {
        "channels" => {
            sub_arity(args, "pubsub|channels", -2)?;
            if args.len() > 3 {
                return Err(arity_error("pubsub|channels"));
            }
            Command::PubsubChannels(args.get(2).cloned())
        }
        "numsub" => Command::PubsubNumsub(args[2..].to_vec()),
        "numpat" => {
            sub_arity(args, "pubsub|numpat", 2)?;
            Command::PubsubNumpat
        }
        _ => return Err(unknown_subcommand("pubsub", &args[1])),
    })
}

/// Whether a command may run in RESP2's subscribed mode.
pub fn allowed_while_subscribed(command: &Command) -> bool {
    matches!(
        command,
        Command::Subscribe(_)
            | Command::Unsubscribe(_)
            | Command::PSubscribe(_)
            | Command::PUnsubscribe(_)
            | Command::Ping(_)
            | Command::Quit
            | Command::Reset
    )
}
