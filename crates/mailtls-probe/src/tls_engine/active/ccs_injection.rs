//! CCS injection (CVE-2014-0224): a ChangeCipherSpec before any key
//! exchange. OpenSSL before 0.9.8za, 1.0.0m and 1.0.1h accepted it and
//! switched to keys derived from an empty master secret, which a
//! man in the middle can compute.
//!
//! ```text
//! RFC 5246 §7.1
//!   struct { enum { change_cipher_spec(1), (255) } type; } ChangeCipherSpec;
//!   record content type change_cipher_spec(20); it is only allowed after
//!   the key exchange, right before Finished.
//! RFC 5246 §7.2.2
//!   unexpected_message(10), bad_record_mac(20), decryption_failed(21)
//! ```
//!
//! The probe reads the server's first flight up to ServerHelloDone, then
//! sends two ChangeCipherSpec records at once and reads the first thing that
//! comes back. The decision rule follows nmap's `ssl-ccs-injection` (after
//! Ramon de C Valle's ccsinjection.c) and testssl.sh's `run_ccs_injection`:
//!
//! * A patched server refuses the first, early, ChangeCipherSpec at once:
//!   `unexpected_message(10)` (OpenSSL, GnuTLS), or for some stacks another
//!   fatal alert or a plain close. Not vulnerable.
//! * A vulnerable OpenSSL accepts the first one silently and turns on its
//!   read cipher with keys from the empty master secret. The second
//!   ChangeCipherSpec record is then run through that cipher, fails its MAC
//!   check, and the server answers `bad_record_mac(20)` or
//!   `decryption_failed(21)` (testssl.sh's two "VULNERABLE" bytes). Its
//!   write side has not switched, so the alert comes in clear. Vulnerable.
//! * nmap counts any alert other than `unexpected_message` as vulnerable; we
//!   do not: only the two MAC/decryption alerts show that the record layer
//!   switched keys. Other alerts (`handshake_failure`, `decode_error`, ...)
//!   are refusals of the early message. Silence, like a close, is not the
//!   vulnerable behaviour either (nmap and testssl.sh both report not
//!   vulnerable when nothing comes back), since a vulnerable OpenSSL always
//!   fails the second record.
//! * A record that is not in clear (an encrypted alert, application data, a
//!   handshake record after the server's own ChangeCipherSpec) is not a
//!   refusal we can read: not tested, with the evidence.

use mailtls_core::{CheckMethod, Vulnerability, VulnerabilityCheck, VulnerabilityResult};

use crate::tls_engine::active::ActiveContext;
use crate::tls_engine::active::connection::{Dialer, alert_name, describe_end, first_flight, record};
use std::time::Duration;

use mailtls_core::transport::BoxStream;

use crate::tls_engine::exchange::{Exchange, exchange};
use crate::tls_engine::record::{RecordReader, ServerEvent};
use crate::tls_engine::version::ProtocolVersion;

/// Record content type `change_cipher_spec`.
pub const CONTENT_TYPE_CHANGE_CIPHER_SPEC: u8 = 20;

/// Alert `unexpected_message`.
const UNEXPECTED_MESSAGE: u8 = 10;
/// Alert `bad_record_mac`.
const BAD_RECORD_MAC: u8 = 20;
/// Alert `decryption_failed`.
const DECRYPTION_FAILED: u8 = 21;

/// One ChangeCipherSpec record.
pub fn change_cipher_spec(version: ProtocolVersion) -> Vec<u8> {
    record(CONTENT_TYPE_CHANGE_CIPHER_SPEC, version, &[1])
}

/// Runs the check.
pub(crate) async fn check(dialer: &mut Dialer<'_>, context: &ActiveContext) -> VulnerabilityCheck {
    let mut connections = 0;
    let result = run(dialer, context, &mut connections).await;
    VulnerabilityCheck {
        vulnerability: Vulnerability::CcsInjection,
        method: CheckMethod::Active,
        result,
        connections,
    }
}

async fn run(dialer: &mut Dialer<'_>, context: &ActiveContext, connections: &mut u64) -> VulnerabilityResult {
    let Some(version) = super::legacy_version(context) else {
        return VulnerabilityResult::NotVulnerable {
            evidence: "precondition not met: no version from SSL 3.0 to TLS 1.2 is supported".to_owned(),
        };
    };
    if let Some(reason) = dialer.throttled() {
        return VulnerabilityResult::NotTested {
            reason: reason.to_owned(),
        };
    }
    let suites = super::suites_for(context, version);
    let hello = match dialer.hello(version, &suites, Vec::new()) {
        Ok(hello) => hello,
        Err(reason) => return VulnerabilityResult::NotTested { reason },
    };
    let mut flight = match first_flight(dialer, connections, &hello).await {
        Ok(flight) => flight,
        Err(reason) => return VulnerabilityResult::NotTested { reason },
    };
    let negotiated = flight.hello.negotiated_version();
    send_early(&mut flight.stream, &mut flight.reader, negotiated, dialer.timeout).await
}

/// Sends the two ChangeCipherSpec records on a connection whose first
/// flight (up to ServerHelloDone at `negotiated`) has just been read, and
/// judges the reply.
async fn send_early(
    stream: &mut BoxStream,
    reader: &mut RecordReader,
    negotiated: ProtocolVersion,
    timeout: Duration,
) -> VulnerabilityResult {
    let both = [change_cipher_spec(negotiated), change_cipher_spec(negotiated)].concat();
    let reply = exchange(stream, reader, &both, timeout, |event| {
        !matches!(event, ServerEvent::OtherHandshake { .. })
    })
    .await;
    judge(&reply, timeout)
}

/// The check on a connection the enumeration opened anyway, right after
/// its first flight up to ServerHelloDone at `negotiated`: no connection of
/// its own.
pub(crate) async fn check_on(
    stream: &mut BoxStream,
    reader: &mut RecordReader,
    negotiated: ProtocolVersion,
    timeout: Duration,
) -> VulnerabilityCheck {
    let on = format!(", on the connection of a {negotiated} enumeration hello");
    let result = match send_early(stream, reader, negotiated, timeout).await {
        VulnerabilityResult::Vulnerable { evidence } => VulnerabilityResult::Vulnerable {
            evidence: evidence + &on,
        },
        VulnerabilityResult::NotVulnerable { evidence } => VulnerabilityResult::NotVulnerable {
            evidence: evidence + &on,
        },
        VulnerabilityResult::NotTested { reason } => VulnerabilityResult::NotTested { reason: reason + &on },
    };
    VulnerabilityCheck {
        vulnerability: Vulnerability::CcsInjection,
        method: CheckMethod::Active,
        result,
        connections: 0,
    }
}

/// The decision rule described at the top of this file.
fn judge(reply: &Exchange, timeout: std::time::Duration) -> VulnerabilityResult {
    let first = reply
        .events
        .iter()
        .find(|event| !matches!(event, ServerEvent::OtherHandshake { .. }));
    let sent = "two early ChangeCipherSpec records";
    match first {
        Some(ServerEvent::Alert(alert)) => match alert.description {
            BAD_RECORD_MAC | DECRYPTION_FAILED => VulnerabilityResult::Vulnerable {
                evidence: format!(
                    "{sent} were answered with alert {}: the first was accepted and the second \
                     failed under keys from an empty master secret",
                    alert_name(*alert)
                ),
            },
            UNEXPECTED_MESSAGE => VulnerabilityResult::NotVulnerable {
                evidence: format!("{sent} were refused with alert {}", alert_name(*alert)),
            },
            _ => VulnerabilityResult::NotVulnerable {
                evidence: format!(
                    "{sent} were refused with alert {} (not a record MAC failure)",
                    alert_name(*alert)
                ),
            },
        },
        Some(ServerEvent::EncryptedRecord { content_type, length }) => VulnerabilityResult::NotTested {
            reason: format!(
                "{sent} were answered with a record that is not in clear \
                 (content type {content_type}, {length} bytes)"
            ),
        },
        Some(other) => VulnerabilityResult::NotTested {
            reason: format!("{sent} were answered with something unexpected: {other:?}")
                .chars()
                .take(200)
                .collect(),
        },
        None => VulnerabilityResult::NotVulnerable {
            evidence: format!("{sent} got no alert: {}", describe_end(&reply.end, timeout)),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls_engine::alert::Alert;
    use crate::tls_engine::exchange::ExchangeEnd;

    fn alert(description: u8) -> Exchange {
        Exchange {
            events: vec![ServerEvent::Alert(Alert {
                level: 2,
                description,
            })],
            end: ExchangeEnd::Refused,
        }
    }

    #[test]
    fn unexpected_message_is_a_refusal() {
        assert!(!judge(&alert(10), std::time::Duration::from_secs(1)).is_vulnerable());
    }

    #[test]
    fn a_mac_failure_on_the_second_record_is_vulnerable() {
        assert!(judge(&alert(20), std::time::Duration::from_secs(1)).is_vulnerable());
        assert!(judge(&alert(21), std::time::Duration::from_secs(1)).is_vulnerable());
    }

    #[test]
    fn a_close_is_not_vulnerable() {
        let reply = Exchange {
            events: Vec::new(),
            end: ExchangeEnd::Closed,
        };
        assert_eq!(
            judge(&reply, std::time::Duration::from_secs(1)),
            VulnerabilityResult::NotVulnerable {
                evidence: "two early ChangeCipherSpec records got no alert: connection closed".to_owned()
            }
        );
    }
}
