//! The socket loop of the engine: open a connection that is ready for a
//! ClientHello, send bytes, and read [`ServerEvent`]s until the reply is
//! complete, the server gives up, or the deadline passes.
//!
//! Everything that decides what to send and what a reply means is sans-IO
//! elsewhere; this file is the short, boring part around it.

use std::time::Duration;

use async_trait::async_trait;
use mailtls_core::transport::BoxStream;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::tls_engine::record::{RecordReader, ServerEvent};

/// Why no connection ready for a ClientHello could be had.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OpenError {
    /// TCP connect failed (refused, timed out, reset).
    #[error("connect: {message}")]
    Connect {
        /// What failed.
        message: String,
    },
    /// The server will not start TLS now (STARTTLS refused or not offered,
    /// the greeting was not a welcome); the reply is the evidence.
    #[error("the server did not start TLS: {reply}")]
    Refused {
        /// The server's reply.
        reply: String,
    },
    /// The server asks us to go away for a while (SMTP 421, a closed
    /// connection at greeting): the scan must stop rather than press on.
    #[error("the server is throttling: {reply}")]
    Throttled {
        /// The server's reply.
        reply: String,
    },
}

/// Opens connections to one endpoint, each ready for a ClientHello: after
/// the STARTTLS dialogue for STARTTLS endpoints, at once for implicit TLS.
/// Tests put scripted servers behind it.
#[async_trait]
pub trait HandshakeOpener: Send + Sync {
    /// A new connection; every call is one TCP connection.
    async fn open(&self) -> Result<BoxStream, OpenError>;
    /// The name to send in SNI, if any.
    fn server_name(&self) -> Option<&str>;
}

/// How an exchange ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExchangeEnd {
    /// `done` said the reply was complete.
    Complete,
    /// A fatal alert, a non-TLS reply or a reader stop ended it.
    Refused,
    /// The server closed the connection (EOF).
    Closed,
    /// A read or write failed (connection reset, ...).
    Failed {
        /// The I/O error.
        message: String,
    },
    /// The deadline passed with the reply incomplete.
    TimedOut,
}

/// What came back for one flight of bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    /// Everything the server sent, in order.
    pub events: Vec<ServerEvent>,
    /// How it ended.
    pub end: ExchangeEnd,
}

impl Exchange {
    /// The first ServerHello (or HelloRetryRequest), if any.
    pub fn server_hello(&self) -> Option<&crate::tls_engine::server_messages::ServerHello> {
        self.events.iter().find_map(|event| match event {
            ServerEvent::ServerHello(hello) => Some(hello),
            _ => None,
        })
    }

    /// The first alert, if any.
    pub fn alert(&self) -> Option<&crate::tls_engine::alert::Alert> {
        self.events.iter().find_map(|event| match event {
            ServerEvent::Alert(alert) => Some(alert),
            _ => None,
        })
    }
}

/// The most bytes one exchange reads before it gives up on the reply: more
/// than any certificate chain a sane server sends, little enough for memory.
pub const MAX_REPLY_BYTES: usize = 512 * 1024;

/// Sends `bytes` (nothing when empty) on `stream` and reads events until
/// `done` returns true for one of them, a fatal alert or a reader stop
/// arrives, the peer closes, or `deadline` passes. `reader` carries state
/// across exchanges on the same connection.
pub async fn exchange(
    stream: &mut BoxStream,
    reader: &mut RecordReader,
    bytes: &[u8],
    deadline: Duration,
    mut done: impl FnMut(&ServerEvent) -> bool + Send,
) -> Exchange {
    let mut events = Vec::new();
    let end = tokio::time::timeout(deadline, async {
        if !bytes.is_empty() {
            if let Err(error) = stream.write_all(bytes).await {
                return ExchangeEnd::Failed {
                    message: error.to_string(),
                };
            }
            if let Err(error) = stream.flush().await {
                return ExchangeEnd::Failed {
                    message: error.to_string(),
                };
            }
        }
        let mut buffer = vec![0u8; 16 * 1024];
        let mut received = 0usize;
        loop {
            if let Some(end) = drain(reader, &mut events, &mut done) {
                return end;
            }
            if received >= MAX_REPLY_BYTES {
                return ExchangeEnd::Failed {
                    message: format!("more than {MAX_REPLY_BYTES} bytes without a complete reply"),
                };
            }
            match stream.read(&mut buffer).await {
                Ok(0) => {
                    reader.end_of_stream();
                    while let Some(event) = reader.next_event() {
                        events.push(event);
                    }
                    return ExchangeEnd::Closed;
                }
                Ok(count) => {
                    received = received.saturating_add(count);
                    let mut chunk = buffer.get(..count).unwrap_or_default();
                    loop {
                        let accepted = reader.push(chunk);
                        chunk = chunk.get(accepted..).unwrap_or_default();
                        if chunk.is_empty() || accepted == 0 {
                            break;
                        }
                        if let Some(end) = drain(reader, &mut events, &mut done) {
                            return end;
                        }
                    }
                }
                Err(error) => {
                    return ExchangeEnd::Failed {
                        message: error.to_string(),
                    };
                }
            }
        }
    })
    .await
    .unwrap_or(ExchangeEnd::TimedOut);
    Exchange { events, end }
}

/// Moves the reader's pending events into `events`; `Some` when the exchange is over.
fn drain(
    reader: &mut RecordReader,
    events: &mut Vec<ServerEvent>,
    done: &mut (impl FnMut(&ServerEvent) -> bool + Send),
) -> Option<ExchangeEnd> {
    while let Some(event) = reader.next_event() {
        let finished = done(&event);
        let refused = matches!(event, ServerEvent::Alert(alert) if alert.is_fatal())
            || matches!(event, ServerEvent::NotTls { .. } | ServerEvent::Sslv2Error { .. });
        events.push(event);
        if finished {
            return Some(ExchangeEnd::Complete);
        }
        if refused {
            return Some(ExchangeEnd::Refused);
        }
    }
    reader.is_stopped().then_some(ExchangeEnd::Refused)
}
