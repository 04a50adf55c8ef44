//! A bounded line reader for the server side of the text protocols.
//!
//! Clients are not trusted: a line may never end, and a client may go quiet.
//! The buffer never holds more than one line plus one read, an over-long line
//! is skipped up to its end and reported as such, and every read has an idle
//! timeout.
//!
//! ```text
//! RFC 5321 §2.3.8: lines end in <CRLF>. A bare <LF> is accepted too, as most
//! servers do; the dialogue never depends on the difference.
//! ```

use std::io;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt};
use tokio::time::timeout;

/// Bytes read from the socket at a time.
const READ_CHUNK: usize = 4096;

/// What the client sent next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Input {
    /// A complete line without its line ending.
    Line(Vec<u8>),
    /// A line longer than the limit; its bytes were dropped.
    TooLong,
    /// The client closed the connection (an unterminated last line is dropped).
    Closed,
}

/// Why no input could be read.
#[derive(Debug)]
pub(crate) enum ReadError {
    /// The client sent nothing for the idle timeout.
    Idle,
    /// The socket failed (reset, TLS error).
    Io(io::Error),
}

/// Splits the client's bytes into lines of at most `max_line` bytes.
#[derive(Debug)]
pub(crate) struct LineReader {
    buffer: Vec<u8>,
    max_line: usize,
    /// Inside an over-long line: bytes are dropped until its end.
    discarding: bool,
    idle: Duration,
}

impl LineReader {
    /// An empty reader for lines of at most `max_line` bytes (without the line
    /// ending), waiting at most `idle` for each read.
    pub(crate) fn new(max_line: usize, idle: Duration) -> Self {
        Self {
            buffer: Vec::new(),
            max_line,
            discarding: false,
            idle,
        }
    }

    /// Adds received bytes (the sans-IO half of [`LineReader::read_line`]).
    pub(crate) fn push(&mut self, data: &[u8]) {
        self.buffer.extend_from_slice(data);
    }

    /// The next complete line, if one is buffered. Keeps the buffer bounded:
    /// a line that has grown past the limit without ending is dropped at once.
    pub(crate) fn next_input(&mut self) -> Option<Input> {
        match self.buffer.iter().position(|&byte| byte == b'\n') {
            Some(end) => {
                let mut line: Vec<u8> = self.buffer.drain(..=end).collect();
                line.pop();
                if line.last() == Some(&b'\r') {
                    line.pop();
                }
                if std::mem::take(&mut self.discarding) || line.len() > self.max_line {
                    Some(Input::TooLong)
                } else {
                    Some(Input::Line(line))
                }
            }
            None => {
                // One byte of slack for the CR of a line that is exactly at the limit.
                if self.buffer.len() > self.max_line + 1 {
                    self.buffer.clear();
                    self.discarding = true;
                }
                None
            }
        }
    }

    /// Reads until a line, an over-long line or the end of the connection.
    pub(crate) async fn read_line<S: AsyncRead + Unpin>(
        &mut self,
        stream: &mut S,
    ) -> Result<Input, ReadError> {
        loop {
            if let Some(input) = self.next_input() {
                return Ok(input);
            }
            let mut chunk = [0_u8; READ_CHUNK];
            let read = self.read_some(stream, &mut chunk).await?;
            if read == 0 {
                return Ok(Input::Closed);
            }
            self.push(chunk.get(..read).unwrap_or_default());
        }
    }

    /// Drops the next `count` bytes of the stream, buffered ones first, without
    /// holding more than one read in memory (for SMTP `BDAT` chunks).
    pub(crate) async fn skip<S: AsyncRead + Unpin>(
        &mut self,
        stream: &mut S,
        count: u64,
    ) -> Result<(), ReadError> {
        let buffered = usize::try_from(count)
            .unwrap_or(usize::MAX)
            .min(self.buffer.len());
        self.buffer.drain(..buffered);
        let mut remaining = count - buffered as u64;
        let mut chunk = [0_u8; READ_CHUNK];
        while remaining > 0 {
            let read = self.read_some(stream, &mut chunk).await?;
            if read == 0 {
                return Err(ReadError::Io(io::ErrorKind::UnexpectedEof.into()));
            }
            let wanted = usize::try_from(remaining).unwrap_or(usize::MAX);
            if read > wanted {
                // The chunk ended inside this read: keep what follows it.
                self.push(chunk.get(wanted..read).unwrap_or_default());
                remaining = 0;
            } else {
                remaining -= read as u64;
            }
        }
        Ok(())
    }

    /// Drops everything received but not yet handled and returns how many bytes
    /// that was.
    ///
    /// Called when TLS starts: bytes that arrived in plaintext before the
    /// handshake must never be read as if they had come through TLS (the
    /// STARTTLS command injection of CVE-2011-0411).
    pub(crate) fn discard_buffered(&mut self) -> usize {
        let discarded = self.buffer.len();
        self.buffer.clear();
        self.discarding = false;
        discarded
    }

    async fn read_some<S: AsyncRead + Unpin>(
        &mut self,
        stream: &mut S,
        chunk: &mut [u8],
    ) -> Result<usize, ReadError> {
        match timeout(self.idle, stream.read(chunk)).await {
            Ok(Ok(read)) => Ok(read),
            Ok(Err(error)) => Err(ReadError::Io(error)),
            Err(_) => Err(ReadError::Idle),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reader(max_line: usize) -> LineReader {
        LineReader::new(max_line, Duration::from_secs(1))
    }

    #[test]
    fn crlf_and_bare_lf_both_end_a_line() {
        let mut lines = reader(100);
        lines.push(b"EHLO a\r\nNOOP\nQU");
        assert_eq!(lines.next_input(), Some(Input::Line(b"EHLO a".to_vec())));
        assert_eq!(lines.next_input(), Some(Input::Line(b"NOOP".to_vec())));
        assert_eq!(lines.next_input(), None);
        lines.push(b"IT\r\n");
        assert_eq!(lines.next_input(), Some(Input::Line(b"QUIT".to_vec())));
    }

    #[test]
    fn line_at_the_limit_is_accepted() {
        let mut lines = reader(4);
        lines.push(b"abcd\r\n");
        assert_eq!(lines.next_input(), Some(Input::Line(b"abcd".to_vec())));
    }

    #[test]
    fn complete_line_over_the_limit_is_too_long() {
        let mut lines = reader(4);
        lines.push(b"abcde\r\nok\r\n");
        assert_eq!(lines.next_input(), Some(Input::TooLong));
        assert_eq!(lines.next_input(), Some(Input::Line(b"ok".to_vec())));
    }

    #[test]
    fn unterminated_long_line_is_dropped_and_reported_once_at_its_end() {
        let mut lines = reader(4);
        lines.push(b"0123456789");
        assert_eq!(lines.next_input(), None);
        assert_eq!(lines.buffer.len(), 0);
        lines.push(b"more bytes of the same line");
        assert_eq!(lines.next_input(), None);
        lines.push(b"end\r\nnext\r\n");
        assert_eq!(lines.next_input(), Some(Input::TooLong));
        assert_eq!(lines.next_input(), Some(Input::Line(b"next".to_vec())));
    }

    #[test]
    fn discard_buffered_drops_pipelined_bytes() {
        let mut lines = reader(100);
        lines.push(b"STARTTLS\r\nNOOP\r\n");
        assert_eq!(lines.next_input(), Some(Input::Line(b"STARTTLS".to_vec())));
        assert_eq!(lines.discard_buffered(), 6);
        assert_eq!(lines.next_input(), None);
    }

    #[tokio::test]
    async fn skip_drops_buffered_then_streamed_bytes_and_keeps_the_rest() {
        let mut lines = reader(100);
        lines.push(b"abc");
        let mut stream: &[u8] = b"defgh\r\nQUIT\r\n";
        lines.skip(&mut stream, 6).await.unwrap();
        assert_eq!(
            lines.read_line(&mut stream).await.unwrap(),
            Input::Line(b"gh".to_vec())
        );
        assert_eq!(
            lines.read_line(&mut stream).await.unwrap(),
            Input::Line(b"QUIT".to_vec())
        );
        assert_eq!(lines.read_line(&mut stream).await.unwrap(), Input::Closed);
    }
}
