//! The sans-IO reader of what a server sends back to a probe ClientHello.
//!
//! Bytes go in with [`RecordReader::push`] as they arrive; [`ServerEvent`]s
//! come out of [`RecordReader::next_event`]. The reader reassembles records
//! and handshake messages across fragmented and coalesced records, recognises
//! an SSLv2 reply and a reply that is not TLS at all, and never holds more
//! than [`BUFFER_LIMIT`] unparsed bytes plus one handshake message of at most
//! [`MAX_HANDSHAKE_LENGTH`]. Anything odd is an event, never a panic.
//!
//! ```text
//! RFC 5246 §6.2.1 (RFC 8446 §5.1)
//!   enum { change_cipher_spec(20), alert(21), handshake(22),
//!          application_data(23), heartbeat(24) (RFC 6520), (255) } ContentType;
//!   struct { ContentType type; ProtocolVersion version; uint16 length;
//!            opaque fragment[TLSPlaintext.length]; } TLSPlaintext;
//!   length <= 2^14 (plaintext); TLSCiphertext.length <= 2^14 + 2048
//!   Handshake messages may be fragmented across records and several may
//!   share one record; other content types may not interleave a fragmented
//!   handshake message.
//! RFC 5246 §7.4
//!   struct { HandshakeType msg_type; uint24 length; ... body } Handshake;
//!   server_hello(2), certificate(11), server_key_exchange(12),
//!   certificate_request(13), server_hello_done(14), certificate_status(22)
//! ```

use std::collections::VecDeque;

use crate::tls_engine::alert::Alert;
use crate::tls_engine::cipher_suites::{self, KeyExchange};
use crate::tls_engine::server_messages::{
    ServerHello, ServerKeyExchange, parse_certificate, parse_server_hello, parse_server_key_exchange,
};
use crate::tls_engine::sslv2::{MAX_SSLV2_BODY, Sslv2Message, Sslv2ServerHello, parse_sslv2_message};
use crate::tls_engine::version::ProtocolVersion;

/// The longest record fragment accepted (TLSCiphertext bound, RFC 5246 §6.2.3).
pub const MAX_RECORD_LENGTH: usize = (1 << 14) + 2048;
/// The longest handshake message accepted (a long certificate chain fits).
pub const MAX_HANDSHAKE_LENGTH: usize = 1 << 18;
/// The most unparsed bytes the reader holds (one full SSLv2 record, which is
/// larger than one full TLS record).
pub const BUFFER_LIMIT: usize = 2 + MAX_SSLV2_BODY;
/// How many of the first bytes a `NotTls` event keeps as evidence.
pub const EVIDENCE_BYTES: usize = 32;

const CHANGE_CIPHER_SPEC: u8 = 20;
/// Record content type `alert` (RFC 5246 §6.2.1).
pub(crate) const ALERT: u8 = 21;
const HANDSHAKE: u8 = 22;
const HEARTBEAT: u8 = 24;

/// Something the server sent, or something odd about it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ServerEvent {
    /// A ServerHello or HelloRetryRequest.
    ServerHello(ServerHello),
    /// A TLS ≤ 1.2 Certificate in clear: DER certificates, leaf first.
    Certificate {
        /// The chain as sent.
        der_chain: Vec<Vec<u8>>,
    },
    /// A ServerKeyExchange.
    ServerKeyExchange(ServerKeyExchange),
    /// ServerHelloDone.
    ServerHelloDone,
    /// Any other handshake message in clear (CertificateRequest,
    /// CertificateStatus, NewSessionTicket, ...).
    OtherHandshake {
        /// The handshake type.
        msg_type: u8,
        /// The body as sent.
        body: Vec<u8>,
    },
    /// An alert in clear.
    Alert(Alert),
    /// ChangeCipherSpec; what follows is encrypted.
    ChangeCipherSpec,
    /// A record that is encrypted (after ChangeCipherSpec, after a TLS 1.3
    /// ServerHello, or application data).
    EncryptedRecord {
        /// Its content type.
        content_type: u8,
        /// Its length.
        length: usize,
    },
    /// A heartbeat record (RFC 6520), as sent.
    Heartbeat {
        /// The record fragment.
        fragment: Vec<u8>,
    },
    /// An SSL 2.0 SERVER-HELLO.
    Sslv2ServerHello(Sslv2ServerHello),
    /// An SSL 2.0 ERROR.
    Sslv2Error {
        /// The error code.
        code: u16,
    },
    /// The reply does not start like TLS or SSL at all (an SMTP line, an HTTP
    /// response, ...). The reader stops.
    NotTls {
        /// The first bytes received, up to [`EVIDENCE_BYTES`].
        first_bytes: Vec<u8>,
    },
    /// Something that breaks the rules, at stream `offset` (of the record
    /// header concerned).
    Unexpected {
        /// What it was.
        what: Unexpected,
        /// Byte offset in the stream.
        offset: u64,
    },
}

/// The ways a reply can be odd.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unexpected {
    /// A record longer than [`MAX_RECORD_LENGTH`]; the reader stops.
    RecordTooLong {
        /// The announced length.
        length: usize,
    },
    /// A handshake message longer than [`MAX_HANDSHAKE_LENGTH`]; the reader stops.
    HandshakeTooLong {
        /// The announced length.
        length: usize,
    },
    /// A record whose major version is not 3; the reader stops.
    RecordVersion {
        /// The version in the header.
        version: u16,
    },
    /// A content type that is not 20–24; the reader stops.
    UnknownContentType {
        /// The content type.
        content_type: u8,
    },
    /// A zero-length handshake or alert record.
    EmptyRecord {
        /// Its content type.
        content_type: u8,
    },
    /// Another content type arrived in the middle of a fragmented handshake
    /// message; the partial message is dropped.
    InterleavedRecord {
        /// The content type that interrupted.
        content_type: u8,
    },
    /// An alert record whose length is not a multiple of 2.
    MalformedAlert {
        /// The record length.
        length: usize,
    },
    /// A handshake message that could not be read; the reader goes on.
    MalformedHandshake {
        /// The handshake type.
        msg_type: u8,
        /// Why.
        reason: &'static str,
    },
    /// An SSLv2 record that could not be read; the reader stops.
    MalformedSslv2 {
        /// Why.
        reason: &'static str,
    },
    /// The stream ended inside a record or handshake message; the reader stops.
    Truncated {
        /// Bytes received but not parsed.
        pending: usize,
    },
}

/// Reassembles a server's reply into [`ServerEvent`]s.
#[derive(Debug, Default)]
pub struct RecordReader {
    buffer: Vec<u8>,
    buffer_offset: u64,
    handshake: Vec<u8>,
    handshake_offset: u64,
    events: VecDeque<ServerEvent>,
    seen_first: bool,
    stopped: bool,
    ended: bool,
    encrypted: bool,
    key_exchange: Option<KeyExchange>,
    export: bool,
    version: Option<ProtocolVersion>,
}

enum Step {
    Progress,
    NeedMore,
}

impl RecordReader {
    /// A reader at the start of a server's reply.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes bytes as they arrive and returns how many were accepted; the
    /// rest must be pushed again after draining [`next_event`](Self::next_event).
    /// Once the reader has stopped, bytes are accepted and ignored.
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        if self.stopped || self.ended {
            return bytes.len();
        }
        let room = BUFFER_LIMIT.saturating_sub(self.buffer.len());
        let accepted = bytes.get(..room.min(bytes.len())).unwrap_or_default();
        self.buffer.extend_from_slice(accepted);
        accepted.len()
    }

    /// Says the stream has ended (EOF or reset): pending bytes become a
    /// `Truncated` (or `NotTls`) event.
    pub fn end_of_stream(&mut self) {
        self.ended = true;
    }

    /// Whether the reader has stopped (after `NotTls`, an SSLv2 reply, a
    /// fatal framing problem or the end of the stream) and will yield nothing
    /// more once its pending events are drained.
    pub fn is_stopped(&self) -> bool {
        self.stopped
    }

    /// Unparsed bytes held.
    pub fn buffered(&self) -> usize {
        self.buffer.len().saturating_add(self.handshake.len())
    }

    /// Pushes all of `bytes`, collecting every event.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<ServerEvent> {
        let mut events = Vec::new();
        let mut rest = bytes;
        loop {
            let accepted = self.push(rest);
            rest = rest.get(accepted..).unwrap_or_default();
            while let Some(event) = self.next_event() {
                events.push(event);
            }
            // `accepted == 0` with bytes left cannot happen (a full buffer
            // always holds a complete record), but must not loop forever.
            if rest.is_empty() || accepted == 0 {
                return events;
            }
        }
    }

    /// The next event, or `None` until more bytes arrive.
    pub fn next_event(&mut self) -> Option<ServerEvent> {
        loop {
            if let Some(event) = self.events.pop_front() {
                return Some(event);
            }
            if self.stopped {
                return None;
            }
            if let Some(event) = self.take_handshake_message() {
                return Some(event);
            }
            match self.take_record() {
                Step::Progress => {}
                Step::NeedMore => {
                    if self.ended {
                        self.stop_at_end();
                        continue;
                    }
                    return None;
                }
            }
        }
    }

    fn stop(&mut self, event: ServerEvent) {
        self.events.push_back(event);
        self.stopped = true;
    }

    fn unexpected(&mut self, what: Unexpected, offset: u64) {
        self.events.push_back(ServerEvent::Unexpected { what, offset });
    }

    fn stop_at_end(&mut self) {
        let pending = self.buffer.len().saturating_add(self.handshake.len());
        self.stopped = true;
        if pending == 0 {
            return;
        }
        if !self.seen_first && !looks_like_tls(&self.buffer) {
            self.events.push_back(ServerEvent::NotTls {
                first_bytes: evidence(&self.buffer),
            });
        } else {
            let offset = if self.buffer.is_empty() {
                self.handshake_offset
            } else {
                self.buffer_offset
            };
            self.unexpected(Unexpected::Truncated { pending }, offset);
        }
    }

    fn take_record(&mut self) -> Step {
        let Some(&first) = self.buffer.first() else {
            return Step::NeedMore;
        };
        if !self.seen_first && first & 0x80 != 0 {
            return self.take_sslv2();
        }
        // Wait for a whole header before judging, so that `NotTls` carries
        // some evidence; the end of the stream judges a shorter reply.
        let Some(&[content_type, major, minor, high, low]) = self.buffer.get(..5) else {
            return Step::NeedMore;
        };
        let offset = self.buffer_offset;
        if !self.seen_first && !looks_like_tls(&self.buffer) {
            let first_bytes = evidence(&self.buffer);
            self.stop(ServerEvent::NotTls { first_bytes });
            return Step::Progress;
        }
        self.seen_first = true;
        if major != 3 {
            let version = u16::from_be_bytes([major, minor]);
            self.stop(ServerEvent::Unexpected {
                what: Unexpected::RecordVersion { version },
                offset,
            });
            return Step::Progress;
        }
        if !(CHANGE_CIPHER_SPEC..=HEARTBEAT).contains(&content_type) {
            self.stop(ServerEvent::Unexpected {
                what: Unexpected::UnknownContentType { content_type },
                offset,
            });
            return Step::Progress;
        }
        let length = usize::from(u16::from_be_bytes([high, low]));
        if length > MAX_RECORD_LENGTH {
            self.stop(ServerEvent::Unexpected {
                what: Unexpected::RecordTooLong { length },
                offset,
            });
            return Step::Progress;
        }
        let end = 5 + length;
        let Some(fragment) = self.buffer.get(5..end) else {
            return Step::NeedMore;
        };
        let fragment = fragment.to_vec();
        self.buffer.drain(..end);
        self.buffer_offset = self.buffer_offset.saturating_add(end as u64);
        self.handle_record(content_type, fragment, offset);
        Step::Progress
    }

    fn take_sslv2(&mut self) -> Step {
        let Some(&[high, low]) = self.buffer.get(..2) else {
            return Step::NeedMore;
        };
        let length = usize::from(u16::from_be_bytes([high & 0x7F, low]));
        let Some(body) = self.buffer.get(2..2 + length) else {
            return Step::NeedMore;
        };
        let event = match parse_sslv2_message(body) {
            Ok(Sslv2Message::ServerHello(hello)) => ServerEvent::Sslv2ServerHello(hello),
            Ok(Sslv2Message::Error { code }) => ServerEvent::Sslv2Error { code },
            Err(reason) => ServerEvent::Unexpected {
                what: Unexpected::MalformedSslv2 { reason },
                offset: self.buffer_offset,
            },
        };
        self.seen_first = true;
        self.buffer.clear();
        self.stop(event);
        Step::Progress
    }

    fn handle_record(&mut self, content_type: u8, fragment: Vec<u8>, offset: u64) {
        if !self.handshake.is_empty() && content_type != HANDSHAKE {
            self.handshake.clear();
            self.unexpected(Unexpected::InterleavedRecord { content_type }, offset);
        }
        let length = fragment.len();
        match content_type {
            CHANGE_CIPHER_SPEC => {
                self.events.push_back(ServerEvent::ChangeCipherSpec);
                self.encrypted = true;
            }
            // A 2-byte alert is in clear even after ChangeCipherSpec: an
            // encrypted one carries at least a MAC or tag.
            ALERT if self.encrypted && length != 2 => {
                self.events
                    .push_back(ServerEvent::EncryptedRecord { content_type, length });
            }
            ALERT => {
                if length == 0 {
                    self.unexpected(Unexpected::EmptyRecord { content_type }, offset);
                } else if !length.is_multiple_of(2) {
                    self.unexpected(Unexpected::MalformedAlert { length }, offset);
                } else {
                    for pair in fragment.chunks_exact(2) {
                        if let &[level, description] = pair {
                            self.events
                                .push_back(ServerEvent::Alert(Alert { level, description }));
                        }
                    }
                }
            }
            HANDSHAKE if self.encrypted => {
                self.events
                    .push_back(ServerEvent::EncryptedRecord { content_type, length });
            }
            HANDSHAKE => {
                if fragment.is_empty() {
                    self.unexpected(Unexpected::EmptyRecord { content_type }, offset);
                } else {
                    if self.handshake.is_empty() {
                        self.handshake_offset = offset;
                    }
                    self.handshake.extend_from_slice(&fragment);
                }
            }
            HEARTBEAT => self.events.push_back(ServerEvent::Heartbeat { fragment }),
            _ => self
                .events
                .push_back(ServerEvent::EncryptedRecord { content_type, length }),
        }
    }

    fn take_handshake_message(&mut self) -> Option<ServerEvent> {
        let &[msg_type, a, b, c] = self.handshake.get(..4)? else {
            return None;
        };
        let length = (usize::from(a) << 16) | (usize::from(b) << 8) | usize::from(c);
        if length > MAX_HANDSHAKE_LENGTH {
            let offset = self.handshake_offset;
            self.handshake.clear();
            self.stop(ServerEvent::Unexpected {
                what: Unexpected::HandshakeTooLong { length },
                offset,
            });
            return self.events.pop_front();
        }
        let body = self.handshake.get(4..4 + length)?.to_vec();
        self.handshake.drain(..4 + length);
        Some(self.handshake_event(msg_type, body))
    }

    fn handshake_event(&mut self, msg_type: u8, body: Vec<u8>) -> ServerEvent {
        let offset = self.handshake_offset;
        let malformed = |reason| ServerEvent::Unexpected {
            what: Unexpected::MalformedHandshake { msg_type, reason },
            offset,
        };
        match msg_type {
            2 => match parse_server_hello(&body) {
                Ok(hello) => {
                    if !hello.is_hello_retry_request {
                        let suite = cipher_suites::lookup(hello.cipher_suite);
                        self.key_exchange = suite.map(|suite| suite.key_exchange);
                        self.export = suite.is_some_and(|suite| suite.export);
                        self.version = Some(hello.negotiated_version());
                        if hello.negotiated_version() >= ProtocolVersion::TLS1_3 {
                            self.encrypted = true;
                        }
                    }
                    ServerEvent::ServerHello(hello)
                }
                Err(reason) => malformed(reason),
            },
            11 => match parse_certificate(&body) {
                Ok(der_chain) => ServerEvent::Certificate { der_chain },
                Err(reason) => malformed(reason),
            },
            12 => ServerEvent::ServerKeyExchange(parse_server_key_exchange(
                &body,
                self.key_exchange,
                self.export,
                self.version,
            )),
            14 if body.is_empty() => ServerEvent::ServerHelloDone,
            14 => malformed("ServerHelloDone with a body"),
            _ => ServerEvent::OtherHandshake { msg_type, body },
        }
    }
}

/// Whether `bytes` start like a TLS record: a known content type and major
/// version 3 (as far as the bytes go).
fn looks_like_tls(bytes: &[u8]) -> bool {
    let type_ok = bytes
        .first()
        .is_none_or(|byte| (CHANGE_CIPHER_SPEC..=HEARTBEAT).contains(byte));
    let major_ok = bytes.get(1).is_none_or(|&byte| byte == 3);
    type_ok && major_ok
}

fn evidence(bytes: &[u8]) -> Vec<u8> {
    bytes.iter().take(EVIDENCE_BYTES).copied().collect()
}
