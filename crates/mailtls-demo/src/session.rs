//! One client connection: the plaintext phase, the switch to TLS, the TLS phase.
//!
//! The protocol logic lives in sans-IO [`Dialogue`]s (SMTP, IMAP, POP3) that turn
//! one line into one [`Step`]. This loop only moves bytes: it is the same for
//! every protocol, and the same before and inside TLS, because it is generic
//! over the stream.

use std::net::SocketAddr;
use std::time::Duration;

use mailtls_core::TlsMode;
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::timeout;
use tokio_rustls::TlsAcceptor;

use crate::line::{Input, LineReader, ReadError};

/// How long a client may stay silent before the server hangs up.
pub(crate) const IDLE_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a TLS handshake may take.
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// What the server does after a client line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Send the reply and read the next line.
    Reply(String),
    /// Drop the next `bytes` bytes of the stream, then send the reply (SMTP `BDAT`).
    ReplyAfterSkipping {
        /// How many bytes to drop.
        bytes: u64,
        /// The reply to send afterwards.
        reply: String,
    },
    /// Send the reply, forget anything already received, and start the TLS handshake.
    StartTls(String),
    /// Send the reply and close the connection.
    Close(String),
}

/// The server side of a line-based mail protocol, without I/O.
///
/// Replies are complete, CRLF-terminated text.
pub(crate) trait Dialogue: Clone + Send + 'static {
    /// The longest command line accepted, without its line ending.
    const MAX_LINE: usize;

    /// What the server sends first: on connect, or after the handshake on implicit TLS.
    fn greeting(&self) -> String;

    /// Handles one line from the client.
    fn on_line(&mut self, line: &[u8]) -> Step;

    /// Handles a line longer than [`Dialogue::MAX_LINE`].
    fn on_line_too_long(&mut self) -> Step;

    /// TLS is now established: the dialogue forgets what it learned in plaintext
    /// (RFC 3207 §4.2) and offers what is only offered inside TLS.
    fn on_tls_started(&mut self);

    /// The last words when the client has been silent for too long.
    fn on_idle_timeout(&self) -> String;
}

/// How a phase of the connection ended.
enum Outcome {
    /// The dialogue asked for TLS.
    StartTls,
    /// The connection is over.
    Closed,
}

/// Serves one connection to its end.
pub(crate) async fn serve<D: Dialogue>(
    mut tcp: TcpStream,
    peer: SocketAddr,
    mut dialogue: D,
    acceptor: TlsAcceptor,
    mode: TlsMode,
) {
    if mode == TlsMode::Starttls {
        match converse(&mut tcp, &mut dialogue, true).await {
            Outcome::StartTls => {}
            Outcome::Closed => return,
        }
    }
    let mut tls = match timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
        Ok(Ok(tls)) => tls,
        Ok(Err(error)) => {
            tracing::debug!(%peer, %error, "TLS handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!(%peer, "TLS handshake timed out");
            return;
        }
    };
    dialogue.on_tls_started();
    // A dialogue inside TLS never asks for TLS again; if one did, the
    // connection would simply end here.
    let _ = converse(&mut tls, &mut dialogue, mode == TlsMode::Implicit).await;
}

/// Runs the dialogue on one stream until it closes or asks for TLS.
async fn converse<S, D>(stream: &mut S, dialogue: &mut D, greet: bool) -> Outcome
where
    S: AsyncRead + AsyncWrite + Unpin,
    D: Dialogue,
{
    // The reader belongs to this phase only: whatever it has buffered when the
    // phase ends is dropped with it, never carried into TLS.
    let mut reader = LineReader::new(D::MAX_LINE, IDLE_TIMEOUT);
    if greet && send(stream, &dialogue.greeting()).await.is_err() {
        return Outcome::Closed;
    }
    loop {
        let step = match reader.read_line(stream).await {
            Ok(Input::Line(line)) => dialogue.on_line(&line),
            Ok(Input::TooLong) => dialogue.on_line_too_long(),
            Ok(Input::Closed) => return Outcome::Closed,
            Err(ReadError::Io(error)) => {
                tracing::debug!(%error, "reading from the client failed");
                return Outcome::Closed;
            }
            Err(ReadError::Idle) => Step::Close(dialogue.on_idle_timeout()),
        };
        match step {
            Step::Reply(reply) => {
                if send(stream, &reply).await.is_err() {
                    return Outcome::Closed;
                }
            }
            Step::ReplyAfterSkipping { bytes, reply } => {
                if reader.skip(stream, bytes).await.is_err() || send(stream, &reply).await.is_err() {
                    return Outcome::Closed;
                }
            }
            Step::StartTls(reply) => {
                if send(stream, &reply).await.is_err() {
                    return Outcome::Closed;
                }
                let discarded = reader.discard_buffered();
                if discarded > 0 {
                    tracing::debug!(discarded, "dropped plaintext pipelined after the TLS command");
                }
                return Outcome::StartTls;
            }
            Step::Close(reply) => {
                // The connection ends either way; a failed goodbye changes nothing.
                let _ = send(stream, &reply).await;
                let _ = stream.shutdown().await;
                return Outcome::Closed;
            }
        }
    }
}

async fn send<S: AsyncWrite + Unpin>(stream: &mut S, reply: &str) -> std::io::Result<()> {
    stream.write_all(reply.as_bytes()).await?;
    stream.flush().await
}

/// Splits a command line into its first word and the rest, with the spaces
/// between them removed. The line is read as UTF-8, invalid bytes replaced,
/// so that no input can make a dialogue fail.
pub(crate) fn split_command(line: &[u8]) -> (String, String) {
    let text = String::from_utf8_lossy(line);
    let text = text.trim_start_matches(' ');
    match text.split_once(' ') {
        Some((word, rest)) => (word.to_owned(), rest.trim_matches(' ').to_owned()),
        None => (text.to_owned(), String::new()),
    }
}
