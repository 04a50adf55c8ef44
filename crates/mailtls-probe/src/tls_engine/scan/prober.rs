//! One hello, one connection: open, send, read the reply, close; count every
//! connection and stop the scan when the server or the clock says so.

use std::time::{Duration, Instant};

use mailtls_core::transport::BoxStream;

use crate::tls_engine::exchange::{Exchange, ExchangeEnd, HandshakeOpener, OpenError, exchange};
use crate::tls_engine::record::{RecordReader, ServerEvent};
use crate::tls_engine::scan::ScanOptions;
use crate::tls_engine::version::ProtocolVersion;

/// The scan has stopped; the reason is kept in the scan's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stopped;

/// Open failures in a row after which the scan stops.
const MAX_OPEN_FAILURES: u32 = 3;

/// Sends hellos on fresh connections within the scan's bounds.
pub(crate) struct Prober<'a> {
    opener: &'a dyn HandshakeOpener,
    timeout: Duration,
    deadline: Duration,
    started: Instant,
    /// Every `open()` call so far.
    pub connections: u64,
    /// Why the scan stopped, once it has.
    pub stopped: Option<String>,
    /// Odd behaviour seen, as evidence; no duplicates.
    pub anomalies: Vec<String>,
    /// Whether the next [`send`](Self::send) keeps its connection open
    /// when the first flight came whole.
    pub keep: bool,
    /// The connection kept by the last send; dropped (closed) by the next.
    kept: Option<(BoxStream, RecordReader)>,
}

impl<'a> Prober<'a> {
    pub(crate) fn new(opener: &'a dyn HandshakeOpener, options: &ScanOptions) -> Self {
        Self {
            opener,
            timeout: options.timeout,
            deadline: options.deadline,
            started: Instant::now(),
            connections: 0,
            stopped: None,
            anomalies: Vec::new(),
            keep: false,
            kept: None,
        }
    }

    /// Takes in the count, the stop reason and the anomalies of another
    /// lane's prober.
    pub(crate) fn absorb(&mut self, other: Prober<'a>) {
        self.connections = self.connections.saturating_add(other.connections);
        if self.stopped.is_none() {
            self.stopped = other.stopped;
        }
        for anomaly in other.anomalies {
            self.anomaly(anomaly);
        }
    }

    /// The connection the last send kept open (see [`keep`](Self::keep)).
    pub(crate) fn take_kept(&mut self) -> Option<(BoxStream, RecordReader)> {
        self.kept.take()
    }

    /// The longest wait for one reply.
    pub(crate) fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Records an anomaly once.
    pub(crate) fn anomaly(&mut self, text: String) {
        if !self.anomalies.contains(&text) {
            self.anomalies.push(text);
        }
    }

    fn stop(&mut self, reason: String) -> Stopped {
        if self.stopped.is_none() {
            self.stopped = Some(reason);
        }
        Stopped
    }

    /// Sends `hello` on a new connection and reads the reply up to the end of
    /// the server's first flight (ServerHelloDone, a TLS 1.3 ServerHello or
    /// HelloRetryRequest, an SSLv2 SERVER-HELLO), a refusal, the close, or
    /// the timeout.
    pub(crate) async fn send(&mut self, hello: &[u8]) -> Result<Exchange, Stopped> {
        // At most one connection per lane: the one kept last time goes now.
        self.kept = None;
        if self.stopped.is_some() {
            return Err(Stopped);
        }
        let mut failures = 0u32;
        loop {
            let remaining = self.deadline.saturating_sub(self.started.elapsed());
            if remaining.is_zero() {
                let seconds = self.deadline.as_secs();
                return Err(self.stop(format!("the scan deadline of {seconds} s passed")));
            }
            self.connections = self.connections.saturating_add(1);
            let opened = tokio::time::timeout(remaining, self.opener.open()).await;
            let error = match opened {
                Ok(Ok(mut stream)) => {
                    let mut reader = RecordReader::new();
                    let wait = self.timeout.min(remaining);
                    let reply = exchange(&mut stream, &mut reader, hello, wait, first_flight_done).await;
                    if self.keep && reply.end == ExchangeEnd::Complete {
                        self.kept = Some((stream, reader));
                    }
                    return Ok(reply);
                }
                Ok(Err(OpenError::Throttled { reply })) => {
                    return Err(self.stop(format!("the server is throttling: {reply}")));
                }
                Ok(Err(error)) => error.to_string(),
                Err(_) => "opening the connection outlasted the scan deadline".to_owned(),
            };
            failures = failures.saturating_add(1);
            if failures >= MAX_OPEN_FAILURES {
                return Err(self.stop(format!(
                    "{failures} connections in a row could not be opened; the last: {error}"
                )));
            }
            self.anomaly(format!(
                "a connection could not be opened and was tried again: {error}"
            ));
        }
    }
}

/// Whether `event` ends the server's first flight.
fn first_flight_done(event: &ServerEvent) -> bool {
    match event {
        ServerEvent::ServerHelloDone | ServerEvent::Sslv2ServerHello(_) => true,
        ServerEvent::ServerHello(hello) => {
            hello.is_hello_retry_request || hello.negotiated_version() >= ProtocolVersion::TLS1_3
        }
        _ => false,
    }
}
