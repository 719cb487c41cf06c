//! A tiny RESP2 client: encode a command as an array of bulk strings, read
//! one reply. Enough for load generation and checks, and short enough to
//! read: the demos must not depend on the server's own parser.

use std::io;
use std::net::SocketAddr;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One reply from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Simple(String),
    Error(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Option<Vec<Reply>>),
}

impl Reply {
    pub fn is_error(&self) -> bool {
        matches!(self, Reply::Error(_))
    }
}

// ANCHOR: encode
/// `SET k v` on the wire: `*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$1\r\nv\r\n`.
pub fn encode(args: &[&[u8]], out: &mut Vec<u8>) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
}
// ANCHOR_END: encode

/// A connection that sends raw bytes and reads replies one at a time.
pub struct Client {
    stream: BufReader<TcpStream>,
}

impl Client {
    pub async fn connect(addr: SocketAddr) -> io::Result<Client> {
        let stream = TcpStream::connect(addr).await?;
        // A client waiting for each reply gains nothing from Nagle.
        stream.set_nodelay(true)?;
        Ok(Client {
            stream: BufReader::new(stream),
        })
    }

    /// Sends bytes as they are: one command, a pipeline, or garbage.
    pub async fn send_raw(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.stream.get_mut().write_all(bytes).await
    }

    /// Sends one command and reads its reply.
    pub async fn command(&mut self, args: &[&[u8]]) -> io::Result<Reply> {
        let mut request = Vec::new();
        encode(args, &mut request);
        self.send_raw(&request).await?;
        self.read_reply().await
    }

    /// Reads one complete reply; `UnexpectedEof` when the server closed.
    pub async fn read_reply(&mut self) -> io::Result<Reply> {
        let line = self.read_line().await?;
        let (kind, rest) = line.split_at(1);
        match kind {
            "+" => Ok(Reply::Simple(rest.to_string())),
            "-" => Ok(Reply::Error(rest.to_string())),
            ":" => Ok(Reply::Integer(parse_number(rest)?)),
            "$" => {
                let len = parse_number(rest)?;
                if len < 0 {
                    return Ok(Reply::Bulk(None));
                }
                let mut body = vec![0; len as usize + 2];
                self.stream.read_exact(&mut body).await?;
                body.truncate(len as usize);
                Ok(Reply::Bulk(Some(body)))
            }
            "*" => {
                let count = parse_number(rest)?;
                if count < 0 {
                    return Ok(Reply::Array(None));
                }
                let mut items = Vec::with_capacity(count.min(1024) as usize);
                for _ in 0..count {
                    items.push(Box::pin(self.read_reply()).await?);
                }
                Ok(Reply::Array(Some(items)))
            }
            _ => Err(io::Error::new(
                io::ErrorKind::InvalidData,
                format!("not a RESP2 reply: {line:?}"),
            )),
        }
    }

    /// Waits until the server closes the connection, discarding what it sends.
    pub async fn read_to_close(&mut self) -> io::Result<()> {
        let mut sink = [0u8; 4096];
        while self.stream.read(&mut sink).await? > 0 {}
        Ok(())
    }

    async fn read_line(&mut self) -> io::Result<String> {
        let mut line = Vec::new();
        if self.stream.read_until(b'\n', &mut line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        if !line.ends_with(b"\r\n") || line.len() < 3 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a reply line must end with CRLF",
            ));
        }
        line.truncate(line.len() - 2);
        String::from_utf8(line).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
    }
}

fn parse_number(text: &str) -> io::Result<i64> {
    text.parse()
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, format!("bad number {text:?}")))
}
