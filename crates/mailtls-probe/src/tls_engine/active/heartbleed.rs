//! Heartbleed (CVE-2014-0160): a heartbeat request whose `payload_length`
//! claims more bytes than the record carries. A vulnerable OpenSSL (1.0.1 to
//! 1.0.1f) copies `payload_length` bytes from its own memory into the
//! response; a fixed one drops the request silently (RFC 6520 §4: a message
//! whose payload_length is too large MUST be discarded).
//!
//! ```text
//! RFC 6520 §3 / §4
//!   enum { heartbeat_request(1), heartbeat_response(2), (255) } HeartbeatMessageType;
//!   struct { HeartbeatMessageType type;
//!            uint16 payload_length;
//!            opaque payload[HeartbeatMessage.payload_length];
//!            opaque padding[padding_length]; } HeartbeatMessage;   padding >= 16 bytes
//!   record content type heartbeat(24)
//! ```
//!
//! The request goes out after the server's ServerHelloDone, in clear, as
//! testssl.sh and the original proof of concept do: vulnerable servers
//! process heartbeats during the handshake. It carries no payload and no
//! padding and claims 0x4000 bytes, so every byte of a response beyond the
//! 3-byte header is the server's memory.
//!
//! A `close_notify` alert follows the request in the same write. A server
//! reads its records in order: one with the bug has answered the heartbeat
//! before it reads the alert, and one without closes at the alert instead
//! of leaving the client to wait out [`HEARTBEAT_WAIT`] for nothing.

use mailtls_core::{CheckMethod, Vulnerability, VulnerabilityCheck, VulnerabilityResult};

use crate::tls_engine::active::ActiveContext;
use crate::tls_engine::active::connection::{Dialer, describe, first_flight, hex, record};
use crate::tls_engine::exchange::{ExchangeEnd, exchange};
use crate::tls_engine::extensions;
use crate::tls_engine::record::ServerEvent;
use crate::tls_engine::version::ProtocolVersion;

/// Record content type `heartbeat` (RFC 6520 §3).
pub const CONTENT_TYPE_HEARTBEAT: u8 = 24;
/// `heartbeat_request`.
pub const HEARTBEAT_REQUEST: u8 = 1;
/// `heartbeat_response`.
pub const HEARTBEAT_RESPONSE: u8 = 2;
/// The payload length the request claims.
pub const CLAIMED_PAYLOAD_LENGTH: u16 = 0x4000;
/// The longest wait for the answer to the heartbeat request.
pub const HEARTBEAT_WAIT: std::time::Duration = std::time::Duration::from_secs(3);
/// The most leaked bytes kept as evidence.
pub const EVIDENCE_BYTES: usize = 32;

/// A heartbeat message as received, without its payload kept beyond what
/// evidence needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeartbeatMessage {
    /// 1 = request, 2 = response; anything else as sent.
    pub message_type: u8,
    /// `payload_length` as sent.
    pub payload_length: u16,
    /// Bytes after the 3-byte header (payload and padding, or leaked memory).
    pub body_length: usize,
    /// The first bytes after the header, at most [`EVIDENCE_BYTES`].
    pub body_start: Vec<u8>,
}

impl HeartbeatMessage {
    /// Reads a heartbeat record fragment; `None` when it is shorter than the
    /// 3-byte header.
    pub fn parse(fragment: &[u8]) -> Option<Self> {
        let (&message_type, rest) = fragment.split_first()?;
        let (&[high, low], body) = rest.split_first_chunk::<2>()?;
        Some(Self {
            message_type,
            payload_length: u16::from_be_bytes([high, low]),
            body_length: body.len(),
            body_start: body.iter().take(EVIDENCE_BYTES).copied().collect(),
        })
    }
}

/// The malformed request: type, a payload_length of 0x4000, nothing else.
pub fn heartbleed_request(version: ProtocolVersion) -> Vec<u8> {
    let [high, low] = CLAIMED_PAYLOAD_LENGTH.to_be_bytes();
    record(CONTENT_TYPE_HEARTBEAT, version, &[HEARTBEAT_REQUEST, high, low])
}

/// Runs the check.
pub(crate) async fn check(dialer: &mut Dialer<'_>, context: &ActiveContext) -> VulnerabilityCheck {
    let mut connections = 0;
    let result = run(dialer, context, &mut connections).await;
    VulnerabilityCheck {
        vulnerability: Vulnerability::Heartbleed,
        method: CheckMethod::Active,
        result,
        connections,
    }
}

async fn run(dialer: &mut Dialer<'_>, context: &ActiveContext, connections: &mut u64) -> VulnerabilityResult {
    if !context.heartbeat_echoed {
        return VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no ServerHello echoed the heartbeat extension".to_owned(),
        };
    }
    let Some(version) = super::legacy_version(context) else {
        return VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no version from SSL 3.0 to TLS 1.2 is supported".to_owned(),
        };
    };
    if version == ProtocolVersion::SSL3_0 {
        return VulnerabilityResult::NotTested {
            reason: "the only version below TLS 1.3 is SSL 3.0, which has no extensions".to_owned(),
        };
    }
    if let Some(reason) = dialer.throttled() {
        return VulnerabilityResult::NotTested {
            reason: reason.to_owned(),
        };
    }
    let suites = super::suites_for(context, version);
    let hello = match dialer.hello(version, &suites, vec![extensions::heartbeat(1)]) {
        Ok(hello) => hello,
        Err(reason) => return VulnerabilityResult::NotTested { reason },
    };
    let mut flight = match first_flight(dialer, connections, &hello).await {
        Ok(flight) => flight,
        Err(reason) => return VulnerabilityResult::NotTested { reason },
    };
    if flight.hello.heartbeat_mode.is_none() {
        return VulnerabilityResult::NotVulnerable {
            evidence: format!("the {version} ServerHello did not echo the heartbeat extension"),
        };
    }
    let negotiated = flight.hello.negotiated_version();
    let request = [heartbleed_request(negotiated), close_notify(negotiated)].concat();
    // A server with the bug answers the request as soon as it reads it; a
    // patched one mostly ignores it, and waiting the full reply timeout for
    // nothing would cost every such server that long.
    let wait = dialer.timeout.min(HEARTBEAT_WAIT);
    let reply = exchange(&mut flight.stream, &mut flight.reader, &request, wait, |event| {
        matches!(event, ServerEvent::Heartbeat { .. })
    })
    .await;
    let response = reply.events.iter().find_map(|event| match event {
        ServerEvent::Heartbeat { fragment } => Some(HeartbeatMessage::parse(fragment)),
        _ => None,
    });
    let what = format!("{} (a close_notify followed the request)", describe(&reply, wait));
    judge(response, &what, &reply.end)
}

/// A warning `close_notify(0)` alert record.
fn close_notify(version: ProtocolVersion) -> Vec<u8> {
    record(crate::tls_engine::record::ALERT, version, &[1, 0])
}

/// The verdict from the first heartbeat record that came back (`None`: none
/// came; `Some(None)`: one shorter than a header), or else from how the
/// exchange ended (`what`).
fn judge(response: Option<Option<HeartbeatMessage>>, what: &str, end: &ExchangeEnd) -> VulnerabilityResult {
    match response {
        Some(Some(message)) if message.message_type == HEARTBEAT_RESPONSE && message.body_length > 0 => {
            VulnerabilityResult::Vulnerable {
                evidence: format!(
                    "a heartbeat request with no payload claiming {CLAIMED_PAYLOAD_LENGTH} bytes \
                     got a response with payload_length {} and {} bytes of server memory, \
                     starting {}",
                    message.payload_length,
                    message.body_length,
                    hex(&message.body_start)
                ),
            }
        }
        Some(Some(message)) => VulnerabilityResult::NotVulnerable {
            evidence: format!(
                "heartbeat message type {} with payload_length {} and {} further bytes: nothing leaked",
                message.message_type, message.payload_length, message.body_length
            ),
        },
        Some(None) => VulnerabilityResult::NotVulnerable {
            evidence: "a heartbeat record shorter than its header: nothing leaked".to_owned(),
        },
        None => match end {
            ExchangeEnd::Complete => VulnerabilityResult::NotTested {
                reason: format!("unexpected end of the exchange: {what}"),
            },
            _ => VulnerabilityResult::NotVulnerable {
                evidence: format!("the malformed heartbeat request was not answered: {what}"),
            },
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_request_claims_more_than_it_carries() {
        assert_eq!(
            heartbleed_request(ProtocolVersion::TLS1_2),
            vec![24, 3, 3, 0, 3, 1, 0x40, 0]
        );
    }

    #[test]
    fn a_response_with_memory_is_vulnerable() {
        let mut fragment = vec![2, 0x40, 0];
        fragment.extend(std::iter::repeat_n(0xAB, 100));
        let message = HeartbeatMessage::parse(&fragment);
        let result = judge(Some(message), "", &ExchangeEnd::Complete);
        assert!(result.is_vulnerable());
    }

    #[test]
    fn silence_is_not_vulnerable() {
        let result = judge(None, "no reply within 10 ms", &ExchangeEnd::TimedOut);
        assert_eq!(
            result,
            VulnerabilityResult::NotVulnerable {
                evidence: "the malformed heartbeat request was not answered: no reply within 10 ms"
                    .to_owned()
            }
        );
    }
}
