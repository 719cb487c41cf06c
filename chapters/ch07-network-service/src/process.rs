//! Server processes: find the binary, start it, read its `ready on` line,
//! watch its memory, kill it.
//!
//! The demos never link the server in: they run it as a child process, so
//! that a SIGKILL is a real SIGKILL, memory is the server's own RSS, and the
//! learner's `ch07-server` can be measured exactly like the reference one.

use std::io::{self, BufRead, BufReader, Read};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// The two server binaries, in the order the demos prefer them.
pub const SERVER_NAMES: [&str; 2] = ["ch07-reference-server", "ch07-server"];

/// How long a server may take to print `ready on ...` (AOF replay included).
const READY_TIMEOUT: Duration = Duration::from_secs(20);

/// A server binary found on disk.
#[derive(Debug, Clone)]
pub struct ServerBinary {
    pub path: PathBuf,
    /// True when only a debug build was found: figures will be far lower.
    pub debug_build: bool,
}

// ANCHOR: locate
/// Finds the server: `explicit` if given, else a release build of the
/// reference server, then of the learner's server, then debug builds.
pub fn locate_server(explicit: Option<&Path>) -> Result<ServerBinary, String> {
    if let Some(path) = explicit {
        return if path.is_file() {
            Ok(ServerBinary {
                path: path.to_path_buf(),
                debug_build: false,
            })
        } else {
            Err(format!("--server {}: no such file", path.display()))
        };
    }
    let dirs = target_dirs();
    for profile in ["release", "debug"] {
        for name in SERVER_NAMES {
            for dir in &dirs {
                let path = dir.join(profile).join(name);
                if path.is_file() {
                    let debug_build = profile == "debug";
                    return Ok(ServerBinary { path, debug_build });
                }
            }
        }
    }
    Err(missing_server_message(&dirs))
}
// ANCHOR_END: locate

/// The message printed when no server binary exists yet.
pub fn missing_server_message(searched: &[PathBuf]) -> String {
    let searched: Vec<String> = searched.iter().map(|d| d.display().to_string()).collect();
    format!(
        "no server binary found (looked in {} under release/ and debug/).\n\
         Build the reference server:\n\
         \x20   cargo build --release -p ch07-solutions --bin ch07-reference-server\n\
         or your own, once the chapter's exercises pass:\n\
         \x20   cargo build --release -p ch07-exercises --bin ch07-server\n\
         or point the demo at a binary with --server PATH.",
        searched.join(", ")
    )
}

/// Candidate cargo target directories: `$CARGO_TARGET_DIR`, the one this
/// program was built into, and the workspace's default `target/`.
fn target_dirs() -> Vec<PathBuf> {
    let mut dirs = Vec::new();
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR") {
        let dir = PathBuf::from(dir);
        // Cargo reads a relative CARGO_TARGET_DIR from the current directory.
        let dir = std::env::current_dir().map_or(dir.clone(), |cwd| cwd.join(dir));
        dirs.push(dir);
    }
    if let Ok(exe) = std::env::current_exe() {
        // A demo lives in <target>/release/, a test in <target>/debug/deps/.
        for dir in exe.ancestors().skip(1).take(3) {
            if dir.join("CACHEDIR.TAG").is_file() {
                dirs.push(dir.to_path_buf());
            }
        }
    }
    // This crate is <workspace>/chapters/<chapter>.
    if let Some(workspace) = Path::new(env!("CARGO_MANIFEST_DIR")).ancestors().nth(2) {
        dirs.push(workspace.join("target"));
    }
    dirs.dedup();
    dirs
}

/// A running server: killed (SIGKILL) and reaped when dropped.
pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    stderr_tail: Arc<Mutex<Vec<u8>>>,
}

impl Server {
    /// Starts one of our servers on a port the OS picks, with extra flags,
    /// and waits for its `ready on <ip>:<port>` line.
    pub fn start_ours(binary: &Path, flags: &[String]) -> io::Result<Server> {
        let mut command = Command::new(binary);
        command
            .args(["--port", "0", "--bind", "127.0.0.1"])
            .args(flags);
        let mut child = spawn_piped(command)?;
        let stderr_tail = drain_stderr(&mut child);
        let stdout = child.stdout.take().expect("stdout is piped");
        let (ready_tx, ready_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            for line in lines.by_ref() {
                let Ok(line) = line else { break };
                if let Some(addr) = line.strip_prefix("ready on ") {
                    let _ = ready_tx.send(addr.trim().to_string());
                    break;
                }
            }
            // Keep reading so that a chatty server never blocks on a full pipe.
            for _ in lines {}
        });
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            stderr_tail,
        };
        match ready_rx.recv_timeout(READY_TIMEOUT) {
            Ok(text) => {
                server.addr = text.parse().map_err(|_| {
                    io::Error::other(format!("the server said `ready on {text}`: not an address"))
                })?;
                Ok(server)
            }
            Err(_) => Err(server.failure("never printed `ready on <ip>:<port>`")),
        }
    }

    /// Starts the real `redis-server` on a free loopback port, without
    /// persistence, and waits until it answers.
    pub fn start_redis() -> io::Result<Server> {
        let port = free_port()?;
        let mut command = Command::new("redis-server");
        command.args(["--port", &port.to_string(), "--bind", "127.0.0.1"]);
        command.args(["--save", "", "--appendonly", "no", "--daemonize", "no"]);
        // Its log goes nowhere: a dropped pipe would kill it with SIGPIPE.
        command.args(["--logfile", ""]);
        let mut child = spawn_piped(command)?;
        let stderr_tail = drain_stderr(&mut child);
        let stdout = child.stdout.take().expect("stdout is piped");
        std::thread::spawn(move || std::io::copy(&mut BufReader::new(stdout), &mut io::sink()));
        let mut server = Server {
            child,
            addr: SocketAddr::from(([127, 0, 0, 1], port)),
            stderr_tail,
        };
        let deadline = Instant::now() + READY_TIMEOUT;
        while Instant::now() < deadline {
            if std::net::TcpStream::connect(server.addr).is_ok() {
                return Ok(server);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        Err(server.failure("redis-server never accepted a connection"))
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// The server's resident memory (VmRSS in `/proc/<pid>/status`).
    pub fn rss_bytes(&self) -> Option<u64> {
        rss_of(self.pid())
    }

    /// SIGKILL: the process gets no chance to flush or fsync anything.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }

    fn failure(&mut self, what: &str) -> io::Error {
        self.kill();
        let tail = self.stderr_tail.lock().unwrap();
        io::Error::other(format!(
            "server {what}; its stderr ends with:\n{}",
            String::from_utf8_lossy(&tail)
        ))
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}

fn spawn_piped(mut command: Command) -> io::Result<Child> {
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
}

/// Reads the child's stderr on a thread, keeping the last 4 KiB for errors.
fn drain_stderr(child: &mut Child) -> Arc<Mutex<Vec<u8>>> {
    let tail = Arc::new(Mutex::new(Vec::new()));
    if let Some(mut stderr) = child.stderr.take() {
        let tail = Arc::clone(&tail);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n @ 1..) = stderr.read(&mut chunk) {
                let mut tail = tail.lock().unwrap();
                tail.extend_from_slice(&chunk[..n]);
                let excess = tail.len().saturating_sub(4096);
                tail.drain(..excess);
            }
        });
    }
    tail
}

/// A loopback port that was free a moment ago (for redis-server, which
/// cannot be told "port 0, and tell me what you got").
pub fn free_port() -> io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// VmRSS of a process, in bytes.
pub fn rss_of(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// True when a program is on `PATH`.
pub fn on_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}
