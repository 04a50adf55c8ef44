//! A bounded line reader for text protocols (SMTP, IMAP, POP3, ManageSieve).
//!
//! Servers are not trusted to behave: a line may never end, a reply may never
//! stop, a server may never answer. Every read here has a length limit, a total
//! limit and a deadline, so a probe ends in bounded time and memory whatever the
//! peer sends.
//!
//! ```text
//! RFC 5321 §2.3.8: lines end in <CRLF>; §4.5.3.1.5: a reply line is at most
//! 512 octets including CRLF. Servers in the wild also send bare <LF>, which
//! is accepted here and left for the dialogue to record.
//! ```

use std::io;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::time::{Instant, timeout_at};

use super::connector::Stream;

/// The bounds of one dialogue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineLimits {
    /// Longest line accepted, without its line ending.
    pub max_line: usize,
    /// Most bytes accepted from the peer over the reader's life.
    pub max_total: usize,
    /// Longest the whole dialogue may take, from the reader's creation.
    pub deadline: Duration,
}

impl Default for LineLimits {
    /// Generous for every mail protocol: 4 KiB lines (IMAP capability lines can
    /// be long), 256 KiB in all, 60 seconds.
    fn default() -> Self {
        Self {
            max_line: 4096,
            max_total: 256 * 1024,
            deadline: Duration::from_secs(60),
        }
    }
}

/// Why no line could be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum LineError {
    /// A line ran past `max_line` without ending.
    #[error("the server sent a line longer than {limit} bytes (it began {start:?})")]
    TooLong {
        /// The limit.
        limit: usize,
        /// The first bytes of the line, for evidence.
        start: String,
    },
    /// The peer sent more than `max_total` bytes in all.
    #[error("the server sent more than {limit} bytes in all")]
    TotalExceeded {
        /// The limit.
        limit: usize,
    },
    /// The dialogue's deadline passed.
    #[error("the dialogue took longer than {} ms", limit.as_millis())]
    Deadline {
        /// The deadline as configured.
        limit: Duration,
    },
    /// The peer closed the connection; `partial` holds an unterminated last line.
    #[error("the server closed the connection{}", if partial.is_empty() { String::new() } else { format!(" in the middle of a line ({partial:?})") })]
    Closed {
        /// Bytes received after the last complete line.
        partial: String,
    },
    /// A socket error (reset, read timeout).
    #[error("reading from the server failed: {message}")]
    Io {
        /// The kind of error.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
}

impl From<io::Error> for LineError {
    fn from(error: io::Error) -> Self {
        LineError::Io {
            kind: error.kind(),
            message: error.to_string(),
        }
    }
}

/// How many bytes of an over-long line are kept as evidence.
const EVIDENCE_PREFIX: usize = 80;

fn evidence(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes.get(..EVIDENCE_PREFIX).unwrap_or(bytes)).into_owned()
}

/// The sans-IO part: splits received bytes into lines within the limits.
#[derive(Debug, Clone)]
pub struct LineBuffer {
    buffer: Vec<u8>,
    max_line: usize,
    max_total: usize,
    total: usize,
}

impl LineBuffer {
    /// An empty buffer with the given limits.
    pub fn new(max_line: usize, max_total: usize) -> Self {
        Self {
            buffer: Vec::new(),
            max_line,
            max_total,
            total: 0,
        }
    }

    /// Adds bytes received from the peer.
    pub fn push(&mut self, data: &[u8]) -> Result<(), LineError> {
        self.total = self.total.saturating_add(data.len());
        if self.total > self.max_total {
            return Err(LineError::TotalExceeded {
                limit: self.max_total,
            });
        }
        self.buffer.extend_from_slice(data);
        Ok(())
    }

    /// The next complete line without its `\r\n` (or bare `\n`), if one is buffered.
    pub fn next_line(&mut self) -> Result<Option<Vec<u8>>, LineError> {
        match self.buffer.iter().position(|&b| b == b'\n') {
            Some(end) => {
                let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if line.len() > self.max_line {
                    return Err(LineError::TooLong {
                        limit: self.max_line,
                        start: evidence(&line),
                    });
                }
                Ok(Some(line))
            }
            None if self.buffer.len() > self.max_line + 1 => Err(LineError::TooLong {
                limit: self.max_line,
                start: evidence(&self.buffer),
            }),
            None => Ok(None),
        }
    }

    /// Bytes received but not yet returned as a line.
    pub fn pending(&self) -> &[u8] {
        &self.buffer
    }

    /// Takes the bytes not yet returned as a line.
    pub fn take_pending(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.buffer)
    }

    /// Bytes received in all.
    pub fn total(&self) -> usize {
        self.total
    }
}

/// Reads lines from a stream within [`LineLimits`]; writes command lines.
pub struct LineReader<S> {
    stream: S,
    buffer: LineBuffer,
    deadline: Instant,
    limits: LineLimits,
}

impl<S: Stream> LineReader<S> {
    /// Starts a dialogue on `stream`; the deadline runs from now.
    pub fn new(stream: S, limits: LineLimits) -> Self {
        Self {
            stream,
            buffer: LineBuffer::new(limits.max_line, limits.max_total),
            deadline: Instant::now() + limits.deadline,
            limits,
        }
    }

    /// Reads the next line, without its line ending.
    pub async fn read_line(&mut self) -> Result<Vec<u8>, LineError> {
        let mut chunk = [0u8; 2048];
        loop {
            if let Some(line) = self.buffer.next_line()? {
                return Ok(line);
            }
            let read = timeout_at(self.deadline, self.stream.read(&mut chunk))
                .await
                .map_err(|_| LineError::Deadline {
                    limit: self.limits.deadline,
                })??;
            if read == 0 {
                return Err(LineError::Closed {
                    partial: evidence(self.buffer.pending()),
                });
            }
            self.buffer.push(chunk.get(..read).unwrap_or_default())?;
        }
    }

    /// Reads until `pred` accepts the buffered bytes or the peer goes quiet for `wait`,
    /// returning whatever arrived. Used to see whether a server sends anything unasked.
    pub async fn pending_within(&mut self, wait: Duration) -> Result<Vec<u8>, LineError> {
        let mut chunk = [0u8; 2048];
        let until = (Instant::now() + wait).min(self.deadline);
        if let Ok(read) = timeout_at(until, self.stream.read(&mut chunk)).await {
            let read = read?;
            self.buffer.push(chunk.get(..read).unwrap_or_default())?;
        }
        Ok(self.buffer.pending().to_vec())
    }

    /// Takes the bytes received but not yet returned as lines.
    pub fn take_pending(&mut self) -> Vec<u8> {
        self.buffer.take_pending()
    }

    /// Sends `line` followed by CRLF, within the deadline.
    pub async fn write_line(&mut self, line: &str) -> Result<(), LineError> {
        let mut bytes = Vec::with_capacity(line.len() + 2);
        bytes.extend_from_slice(line.as_bytes());
        bytes.extend_from_slice(b"\r\n");
        self.write_raw(&bytes).await
    }

    /// Sends bytes as they are (several commands in one segment, for example).
    pub async fn write_raw(&mut self, bytes: &[u8]) -> Result<(), LineError> {
        let limit = self.limits.deadline;
        timeout_at(self.deadline, async {
            self.stream.write_all(bytes).await?;
            self.stream.flush().await
        })
        .await
        .map_err(|_| LineError::Deadline { limit })??;
        Ok(())
    }

    /// Bytes received in all.
    pub fn total_received(&self) -> usize {
        self.buffer.total()
    }

    /// Ends the line dialogue, e.g. before a TLS handshake: the stream and any
    /// bytes the peer sent beyond the last line read.
    pub fn into_parts(mut self) -> (S, Vec<u8>) {
        let pending = self.buffer.take_pending();
        (self.stream, pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::duplex;

    fn limits() -> LineLimits {
        LineLimits {
            max_line: 32,
            max_total: 128,
            deadline: Duration::from_secs(5),
        }
    }

    #[test]
    fn buffer_splits_crlf_and_bare_lf() {
        let mut buffer = LineBuffer::new(32, 128);
        buffer.push(b"220 a\r\n250 b\nrest").unwrap();
        assert_eq!(buffer.next_line().unwrap(), Some(b"220 a".to_vec()));
        assert_eq!(buffer.next_line().unwrap(), Some(b"250 b".to_vec()));
        assert_eq!(buffer.next_line().unwrap(), None);
        assert_eq!(buffer.take_pending(), b"rest".to_vec());
    }

    #[test]
    fn buffer_rejects_a_line_that_never_ends() {
        let mut buffer = LineBuffer::new(4, 128);
        buffer.push(b"abcdefgh").unwrap();
        assert_eq!(
            buffer.next_line(),
            Err(LineError::TooLong {
                limit: 4,
                start: "abcdefgh".into()
            })
        );
    }

    #[test]
    fn buffer_accepts_a_line_of_exactly_the_limit_split_before_its_crlf() {
        let mut buffer = LineBuffer::new(4, 128);
        buffer.push(b"abcd\r").unwrap();
        assert_eq!(buffer.next_line().unwrap(), None);
        buffer.push(b"\n").unwrap();
        assert_eq!(buffer.next_line().unwrap(), Some(b"abcd".to_vec()));
    }

    #[test]
    fn buffer_counts_the_total() {
        let mut buffer = LineBuffer::new(64, 10);
        buffer.push(b"12345\n").unwrap();
        assert_eq!(
            buffer.push(b"67890\n"),
            Err(LineError::TotalExceeded { limit: 10 })
        );
    }

    #[tokio::test]
    async fn reads_lines_split_across_writes() {
        let (client, mut server) = duplex(64);
        let mut reader = LineReader::new(client, limits());
        tokio::spawn(async move {
            server.write_all(b"220-mx.exa").await.unwrap();
            tokio::time::sleep(Duration::from_millis(10)).await;
            server.write_all(b"mple ESMTP\r\n220 ready\r\n").await.unwrap();
            let mut buf = [0u8; 6];
            server.read_exact(&mut buf).await.unwrap();
            assert_eq!(&buf, b"EHLO\r\n");
            server.write_all(b"250 ok\r\nextra").await.unwrap();
        });
        assert_eq!(reader.read_line().await.unwrap(), b"220-mx.example ESMTP");
        assert_eq!(reader.read_line().await.unwrap(), b"220 ready");
        reader.write_line("EHLO").await.unwrap();
        assert_eq!(reader.read_line().await.unwrap(), b"250 ok");
        assert_eq!(
            reader.read_line().await,
            Err(LineError::Closed {
                partial: "extra".into()
            })
        );
    }

    #[tokio::test]
    async fn endless_line_is_cut_off() {
        let (client, mut server) = duplex(1024);
        let mut reader = LineReader::new(
            client,
            LineLimits {
                max_total: 4096,
                ..limits()
            },
        );
        tokio::spawn(async move {
            let _ = server.write_all(&[b'x'; 1000]).await;
        });
        assert!(matches!(
            reader.read_line().await,
            Err(LineError::TooLong { limit: 32, .. })
        ));
    }

    #[tokio::test]
    async fn endless_reply_is_cut_off() {
        let (client, mut server) = duplex(1024);
        let mut reader = LineReader::new(client, limits());
        tokio::spawn(async move {
            for _ in 0..100 {
                if server.write_all(b"250-more\r\n").await.is_err() {
                    break;
                }
            }
        });
        let mut lines = 0;
        let error = loop {
            match reader.read_line().await {
                Ok(_) => lines += 1,
                Err(error) => break error,
            }
        };
        assert_eq!(error, LineError::TotalExceeded { limit: 128 });
        assert!(lines <= 13, "read {lines} lines of 10 bytes within 128 bytes");
    }

    #[tokio::test(start_paused = true)]
    async fn silent_server_hits_the_deadline() {
        let (client, _server) = duplex(64);
        let mut reader = LineReader::new(client, limits());
        assert_eq!(
            reader.read_line().await,
            Err(LineError::Deadline {
                limit: Duration::from_secs(5)
            })
        );
    }

    #[tokio::test]
    async fn into_parts_returns_unread_bytes() {
        let (client, mut server) = duplex(64);
        let mut reader = LineReader::new(client, limits());
        server.write_all(b"220 go ahead\r\n\x16\x03\x01").await.unwrap();
        assert_eq!(reader.read_line().await.unwrap(), b"220 go ahead");
        let (_stream, pending) = reader.into_parts();
        assert_eq!(pending, b"\x16\x03\x01");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn lines_never_exceed_the_limit_and_bytes_are_conserved(
                chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..64), 0..20),
                max_line in 1usize..40,
            ) {
                let mut buffer = LineBuffer::new(max_line, 4096);
                let mut returned = 0usize;
                let mut pushed = 0usize;
                'outer: for chunk in &chunks {
                    buffer.push(chunk).unwrap();
                    pushed += chunk.len();
                    loop {
                        match buffer.next_line() {
                            Ok(Some(line)) => {
                                prop_assert!(line.len() <= max_line);
                                prop_assert!(!line.contains(&b'\n'));
                                returned += line.len();
                            }
                            Ok(None) => break,
                            Err(LineError::TooLong { .. }) => break 'outer,
                            Err(other) => prop_assert!(false, "unexpected {other:?}"),
                        }
                    }
                }
                prop_assert!(returned + buffer.pending().len() <= pushed);
            }
        }
    }
}
