//! `TLS_FALLBACK_SCSV` (RFC 7507): a client that retries with a lower
//! version after a failed handshake says so, and a server that supports a
//! higher version refuses the retry, which stops downgrade attacks that
//! provoke the failure.
//!
//! ```text
//! RFC 7507 §3: the client includes TLS_FALLBACK_SCSV {0x56, 0x00} in
//!   ClientHello.cipher_suites when ClientHello.client_version is below the
//!   highest version it supports.
//! RFC 7507 §3: if TLS_FALLBACK_SCSV is present and client_version is lower
//!   than the highest version the server supports, the server MUST answer
//!   with a fatal inappropriate_fallback(86) alert.
//! ```
//!
//! The probe sends one hello at the second-highest version the server
//! accepts (for a server with TLS 1.3, a TLS 1.2 hello without
//! `supported_versions`), with the SCSV after the suites the server accepted
//! at that version.

use mailtls_core::{Feature, Support};

use crate::tls_engine::active::ActiveContext;
use crate::tls_engine::active::connection::{Dialer, describe};
use crate::tls_engine::cipher_suites::{self, FALLBACK_SCSV};
use crate::tls_engine::exchange::{ExchangeEnd, exchange};
use crate::tls_engine::record::{RecordReader, ServerEvent};
use crate::tls_engine::version::ProtocolVersion;

/// Alert `inappropriate_fallback`.
const INAPPROPRIATE_FALLBACK: u8 = 86;

/// The version to fall back to: the highest accepted version below the
/// highest one, when it is one this probe can send (SSL 3.0 to TLS 1.2).
fn fallback_version(context: &ActiveContext) -> Option<(ProtocolVersion, ProtocolVersion)> {
    let mut versions: Vec<ProtocolVersion> = context
        .versions
        .iter()
        .copied()
        .filter(|version| *version >= ProtocolVersion::SSL3_0)
        .collect();
    versions.sort_unstable();
    versions.dedup();
    let highest = versions.pop()?;
    let second = versions.pop()?;
    Some((highest, second))
}

/// Runs the check; the result and the connections it opened.
pub(crate) async fn check(dialer: &mut Dialer<'_>, context: &ActiveContext) -> (Feature, u64) {
    let mut connections = 0;
    let support = run(dialer, context, &mut connections).await;
    (Feature { support }, connections)
}

async fn run(dialer: &mut Dialer<'_>, context: &ActiveContext, connections: &mut u64) -> Support {
    let Some((highest, fallback)) = fallback_version(context) else {
        return Support::NotTested {
            reason: "only one protocol version is supported: there is nothing to fall back to".to_owned(),
        };
    };
    if let Some(reason) = dialer.throttled() {
        return Support::NotTested {
            reason: reason.to_owned(),
        };
    }
    let mut suites = super::suites_for(context, fallback);
    suites.push(FALLBACK_SCSV);
    let hello = match dialer.hello(fallback, &suites, Vec::new()) {
        Ok(hello) => hello,
        Err(reason) => return Support::NotTested { reason },
    };
    let mut stream = match dialer.open(connections).await {
        Ok(stream) => stream,
        Err(reason) => return Support::NotTested { reason },
    };
    let mut reader = RecordReader::new();
    let reply = exchange(&mut stream, &mut reader, &hello, dialer.timeout, |event| {
        matches!(event, ServerEvent::ServerHello(_))
    })
    .await;
    let sent = format!("a {fallback} hello with TLS_FALLBACK_SCSV (highest supported: {highest})");
    if let Some(alert) = reply.alert()
        && alert.description == INAPPROPRIATE_FALLBACK
    {
        return Support::Yes {
            evidence: format!("{sent} was refused with alert inappropriate_fallback(86)"),
        };
    }
    if let Some(hello) = reply.server_hello() {
        return Support::No {
            evidence: format!(
                "{sent} was accepted: ServerHello {} {}",
                hello.negotiated_version(),
                cipher_suites::name(hello.cipher_suite)
            ),
        };
    }
    // The suites and the version were accepted without the SCSV during the
    // enumeration, so a refusal of this hello is a refusal of the fallback,
    // even when the server does not name it: some servers (Dovecot) close
    // the connection without sending their alert.
    let refused = matches!(reply.end, ExchangeEnd::Closed | ExchangeEnd::Refused) && reply.events.is_empty()
        || reply.alert().is_some_and(|alert| alert.is_fatal());
    if refused {
        return Support::Yes {
            evidence: format!(
                "{sent} was refused ({}), although the same version and suites were accepted without it",
                describe(&reply, dialer.timeout)
            ),
        };
    }
    Support::NotTested {
        reason: format!(
            "{sent} got neither a refusal nor a ServerHello: {}",
            describe(&reply, dialer.timeout)
        ),
    }
}
