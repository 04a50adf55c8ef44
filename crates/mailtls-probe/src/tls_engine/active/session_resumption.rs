//! Session resumption, exercised: a full handshake with rustls, then a
//! second one with the same client configuration, which offers what the
//! first left behind (a TLS 1.3 ticket, a TLS 1.2 session id or ticket).
//!
//! ```text
//! RFC 8446 §4.6.1: after the handshake the server MAY send
//!   NewSessionTicket; the client offers it as a PSK (§4.2.11) later.
//! RFC 5246 §7.4.1.2 / RFC 5077 §3.1: a TLS 1.2 client resumes by sending
//!   the session id (or ticket) of an earlier session; the server agrees by
//!   echoing the id and skipping Certificate and key exchange.
//! ```
//!
//! TLS 1.3 tickets come after the handshake, so after the first handshake
//! the probe reads for a short while (whatever arrives is discarded)
//! before it closes the connection.
//!
//! When the endpoint's own full handshake left a session
//! ([`ActiveContext::sessions`]), that handshake is the first one, and the
//! check costs one connection.

use std::sync::Arc;
use std::time::Duration;

use mailtls_core::{Feature, Support};
use rustls::client::Resumption;
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, HandshakeKind, ProtocolVersion as RustlsVersion};
use tokio::io::AsyncWriteExt;
use tokio_rustls::TlsConnector;

use crate::danger::ObservingVerifier;
use crate::tls::TrustAnchors;
use crate::tls_engine::active::ActiveContext;
use crate::tls_engine::active::connection::Dialer;
use crate::tls_engine::version::ProtocolVersion;

/// The longest wait for a TLS 1.3 NewSessionTicket after the handshake.
const TICKET_WAIT: Duration = Duration::from_millis(300);

/// Runs the check; the result and the connections it opened.
pub(crate) async fn check(dialer: &mut Dialer<'_>, context: &ActiveContext) -> (Feature, u64) {
    let mut connections = 0;
    let support = run(dialer, context, &mut connections).await;
    (Feature { support }, connections)
}

fn client_config() -> Result<ClientConfig, String> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let verifier = ObservingVerifier::new(&TrustAnchors::mozilla(), Arc::clone(&provider))
        .map_err(|error| error.to_string())?;
    let mut config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| error.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    config.resumption = Resumption::in_memory_sessions(4);
    Ok(config)
}

/// The name to present: the SNI name when there is one, else an address,
/// which sends no SNI but keys the session cache all the same.
fn reference_name(server_name: Option<&str>) -> ServerName<'static> {
    server_name
        .and_then(|name| ServerName::try_from(name.to_owned()).ok())
        .unwrap_or(ServerName::IpAddress(
            std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST).into(),
        ))
}

/// What one handshake showed.
struct Handshake {
    version: Option<RustlsVersion>,
    kind: Option<HandshakeKind>,
}

async fn handshake(
    dialer: &mut Dialer<'_>,
    connections: &mut u64,
    connector: &TlsConnector,
    name: ServerName<'static>,
    wait_for_ticket: bool,
) -> Result<Handshake, String> {
    let stream = dialer.open(connections).await?;
    let timeout = dialer.timeout;
    let mut tls = match tokio::time::timeout(timeout.saturating_mul(2), connector.connect(name, stream)).await
    {
        Err(_) => {
            return Err(format!(
                "the TLS handshake took longer than {} ms",
                timeout.saturating_mul(2).as_millis()
            ));
        }
        Ok(Err(error)) => return Err(format!("the TLS handshake failed: {error}")),
        Ok(Ok(tls)) => tls,
    };
    let (_, connection) = tls.get_ref();
    let shown = Handshake {
        version: connection.protocol_version(),
        kind: connection.handshake_kind(),
    };
    if wait_for_ticket && shown.version == Some(RustlsVersion::TLSv1_3) {
        // Any application data (an SMTPS greeting) is read and dropped.
        crate::tls::take_in_tickets(&mut tls, TICKET_WAIT.min(timeout)).await;
    }
    let _ = tokio::time::timeout(timeout, tls.shutdown()).await;
    Ok(shown)
}

async fn run(dialer: &mut Dialer<'_>, context: &ActiveContext, connections: &mut u64) -> Support {
    let modern = context
        .versions
        .iter()
        .any(|version| *version == ProtocolVersion::TLS1_2 || *version == ProtocolVersion::TLS1_3);
    if !modern {
        return Support::NotTested {
            reason: "neither TLS 1.2 nor TLS 1.3 is supported".to_owned(),
        };
    }
    if let Some(reason) = dialer.throttled() {
        return Support::NotTested {
            reason: reason.to_owned(),
        };
    }
    // A session the endpoint's own handshake left is resumed under the name
    // it was stored under, with the configuration that stored it.
    let earlier = context
        .sessions
        .as_ref()
        .and_then(|sessions| sessions.resumable());
    let (connector, name, first) = match earlier {
        Some((config, name)) => (TlsConnector::from(config), name, None),
        None => {
            let config = match client_config() {
                Ok(config) => config,
                Err(reason) => return Support::NotTested { reason },
            };
            let connector = TlsConnector::from(Arc::new(config));
            let name = reference_name(dialer.server_name.clone().as_deref());
            match handshake(dialer, connections, &connector, name.clone(), true).await {
                Ok(first) => (connector, name, Some(first)),
                Err(reason) => {
                    return Support::NotTested {
                        reason: format!("first handshake: {reason}"),
                    };
                }
            }
        }
    };
    let source = if first.is_none() {
        " of the endpoint's own handshake"
    } else {
        ""
    };
    let first_version = match first.as_ref().map(|first| first.version) {
        None => "the endpoint's own handshake",
        Some(Some(RustlsVersion::TLSv1_3)) => "TLSv1.3",
        Some(Some(RustlsVersion::TLSv1_2)) => "TLSv1.2",
        Some(_) => "an unknown version",
    };
    let second = match handshake(dialer, connections, &connector, name, false).await {
        Ok(second) => second,
        Err(reason) => {
            return Support::NotTested {
                reason: format!("second handshake: {reason}"),
            };
        }
    };
    let version = match second.version {
        Some(RustlsVersion::TLSv1_3) => "TLSv1.3",
        Some(RustlsVersion::TLSv1_2) => "TLSv1.2",
        _ => "an unknown version",
    };
    match second.kind {
        Some(HandshakeKind::Resumed) => Support::Yes {
            evidence: match second.version {
                Some(RustlsVersion::TLSv1_3) => {
                    format!("TLSv1.3 session{source} resumed with a ticket (PSK)")
                }
                _ => format!("{version} session{source} resumed (session id or ticket)"),
            },
        },
        _ => Support::No {
            evidence: format!(
                "the second handshake ({version}) was a full one, not a resumption of the first ({first_version})"
            ),
        },
    }
}
