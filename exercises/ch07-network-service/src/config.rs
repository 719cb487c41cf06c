//! Given code: the server's command-line flags.
//!
//! `--port N` (0: the OS picks), `--bind ADDR`, `--appendonly yes|no`,
//! `--appendfsync always|everysec|no`, `--dir PATH` (where the AOF goes),
//! `--maxclients N`, `--timeout SECS` (idle clients; 0: never),
//! `--databases N`, and two teaching knobs that bring back mini-redis's
//! slow behaviour: `--flush-per-reply` and `--no-nodelay`.

use crate::aof::Fsync;
use std::path::PathBuf;
use std::time::Duration;

#[derive(Clone, Debug)]
pub struct Config {
    pub port: u16,
    pub bind: String,
    pub appendonly: bool,
    pub appendfsync: Fsync,
    pub dir: PathBuf,
    pub appendfilename: String,
    pub maxclients: usize,
    /// `None`: idle clients are never closed.
    pub timeout: Option<Duration>,
    pub databases: usize,
    pub flush_per_reply: bool,
    pub nodelay: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 6379,
            bind: "127.0.0.1".into(),
            appendonly: false,
            appendfsync: Fsync::EverySec,
            dir: PathBuf::from("."),
            appendfilename: "appendonly.aof".into(),
            maxclients: 10_000,
            timeout: None,
            databases: 16,
            flush_per_reply: false,
            nodelay: true,
        }
    }
}

impl Config {
    /// Parses flags (without the program name); an error says which flag is wrong.
    pub fn from_args(args: impl IntoIterator<Item = String>) -> Result<Config, String> {
        let mut config = Config::default();
        let mut args = args.into_iter();
        while let Some(flag) = args.next() {
            let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
            match flag.as_str() {
                "--port" => config.port = parse(&flag, &value(&flag)?)?,
                "--bind" => config.bind = value(&flag)?,
                "--appendonly" => config.appendonly = yes_no(&flag, &value(&flag)?)?,
                "--appendfsync" => config.appendfsync = value(&flag)?.parse()?,
                "--dir" => config.dir = PathBuf::from(value(&flag)?),
                "--appendfilename" => config.appendfilename = value(&flag)?,
                "--maxclients" => config.maxclients = parse(&flag, &value(&flag)?)?,
                "--timeout" => {
                    let seconds: u64 = parse(&flag, &value(&flag)?)?;
                    config.timeout = (seconds > 0).then(|| Duration::from_secs(seconds));
                }
                "--databases" => config.databases = parse::<usize>(&flag, &value(&flag)?)?.max(1),
                "--flush-per-reply" => config.flush_per_reply = true,
                "--no-nodelay" => config.nodelay = false,
                "--help" | "-h" => return Err(USAGE.into()),
                other => return Err(format!("unknown flag {other:?}\n{USAGE}")),
            }
        }
        Ok(config)
    }

    /// The AOF's path.
    pub fn aof_path(&self) -> PathBuf {
        self.dir.join(&self.appendfilename)
    }
}

pub const USAGE: &str = "usage: ch07-server [--port N] [--bind ADDR] [--appendonly yes|no] \
[--appendfsync always|everysec|no] [--dir PATH] [--maxclients N] [--timeout SECS] \
[--databases N] [--flush-per-reply] [--no-nodelay]";

fn parse<T: std::str::FromStr>(flag: &str, text: &str) -> Result<T, String> {
    text.parse()
        .map_err(|_| format!("{flag}: {text:?} is not a valid number"))
}

fn yes_no(flag: &str, text: &str) -> Result<bool, String> {
    match text {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(format!("{flag} takes yes or no, not {other:?}")),
    }
}
