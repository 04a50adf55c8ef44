//! The socket loop shared by every text-protocol dialogue: send a line, read a
//! line, keep both as evidence.

use mailtls_core::transport::{BoxStream, LineError, LineLimits, LineReader};
use mailtls_core::{Direction, ProbeOutcome, TranscriptLine};

/// Lines kept as evidence per endpoint; later lines are counted, not kept.
const MAX_TRANSCRIPT_LINES: usize = 200;

/// Why a dialogue stopped before its end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stop {
    /// The server kept the probe from going on (a refusal, a drop, a tarpit, nonsense).
    NotTested(String),
    /// The server said it takes no more connections now (SMTP 421): a
    /// refusal that also tells a scan to stop opening connections.
    Throttled(String),
    /// mailtls failed (a socket error).
    Error(String),
}

impl Stop {
    pub(crate) fn into_outcome(self) -> ProbeOutcome {
        match self {
            Stop::NotTested(reason) | Stop::Throttled(reason) => ProbeOutcome::NotTested { reason },
            Stop::Error(message) => ProbeOutcome::Error { message },
        }
    }
}

impl From<LineError> for Stop {
    fn from(error: LineError) -> Self {
        match error {
            LineError::Io { .. } => Stop::Error(error.to_string()),
            LineError::Deadline { .. } => {
                Stop::NotTested(format!("{error}; the server is slow to answer (a tarpit?)"))
            }
            other => Stop::NotTested(other.to_string()),
        }
    }
}

/// A bounded transcript of the dialogue.
#[derive(Debug, Default)]
pub(crate) struct Transcript {
    lines: Vec<TranscriptLine>,
    dropped: usize,
}

impl Transcript {
    pub(crate) fn record(&mut self, direction: Direction, in_tls: bool, text: &str) {
        if self.lines.len() < MAX_TRANSCRIPT_LINES {
            self.lines.push(TranscriptLine {
                direction,
                in_tls,
                text: text.to_owned(),
            });
        } else {
            self.dropped += 1;
        }
    }

    pub(crate) fn into_lines(mut self) -> Vec<TranscriptLine> {
        if self.dropped > 0 {
            self.lines.push(TranscriptLine {
                direction: Direction::Received,
                in_tls: false,
                text: format!("[{} more lines not kept]", self.dropped),
            });
        }
        self.lines
    }
}

/// One phase of a dialogue (before or inside TLS) over one stream.
pub(crate) struct Session<'t> {
    reader: LineReader<BoxStream>,
    transcript: &'t mut Transcript,
    in_tls: bool,
}

impl<'t> Session<'t> {
    pub(crate) fn new(
        stream: BoxStream,
        limits: LineLimits,
        transcript: &'t mut Transcript,
        in_tls: bool,
    ) -> Self {
        Self {
            reader: LineReader::new(stream, limits),
            transcript,
            in_tls,
        }
    }

    /// Reads one line; non-UTF-8 bytes are replaced, as evidence must be text.
    pub(crate) async fn recv(&mut self) -> Result<String, Stop> {
        let line = self.reader.read_line().await?;
        let text = String::from_utf8_lossy(&line).into_owned();
        self.transcript.record(Direction::Received, self.in_tls, &text);
        Ok(text)
    }

    pub(crate) async fn send(&mut self, line: &str) -> Result<(), Stop> {
        self.transcript.record(Direction::Sent, self.in_tls, line);
        self.reader.write_line(line).await?;
        Ok(())
    }

    /// Sends several lines in one write (one TCP segment, normally), each
    /// recorded as sent.
    pub(crate) async fn send_together(&mut self, lines: &[&str]) -> Result<(), Stop> {
        let mut bytes = Vec::new();
        for line in lines {
            self.transcript.record(Direction::Sent, self.in_tls, line);
            bytes.extend_from_slice(line.as_bytes());
            bytes.extend_from_slice(b"\r\n");
        }
        self.reader.write_raw(&bytes).await?;
        Ok(())
    }

    /// Whatever the server sends unasked within `wait`, recorded as received
    /// and removed from the input.
    pub(crate) async fn unasked_within(&mut self, wait: std::time::Duration) -> Result<String, Stop> {
        self.reader.pending_within(wait).await?;
        // Taken, so that the next reply read is the answer to the next command.
        let pending = self.reader.take_pending();
        let text = String::from_utf8_lossy(&pending).trim_end().to_owned();
        if !text.is_empty() {
            self.transcript.record(Direction::Received, self.in_tls, &text);
        }
        Ok(text)
    }

    /// Ends the phase: the stream, and bytes the server sent that nobody asked for.
    pub(crate) fn finish(self) -> (BoxStream, Vec<u8>) {
        self.reader.into_parts()
    }
}
