//! Probing one endpoint at one address: connect, speak the protocol up to TLS,
//! complete the handshake, look again inside TLS; then, when the server got
//! as far as a handshake, enumerate its TLS with the engine's scan.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use mailtls_core::transport::{BoxStream, Connector, LineLimits};
use mailtls_core::{
    Dialect, DialogueObservation, Direction, Endpoint, EndpointObservation, Host, ProbeOutcome, TlsMode,
    TlsVersion,
};
use rustls::pki_types::ServerName;

use crate::opener::EndpointOpener;
use crate::session::{Session, Stop, Transcript};
use crate::tls::{self, TrustAnchors};
use crate::tls_engine::earlier::{EarlierHandshake, SessionRecorder};
use crate::tls_engine::scan::{ScanOptions, scan_after};
use crate::{imap, pop3, sieve, smtp};

/// How to probe.
#[derive(Debug, Clone)]
pub struct ProbeConfig {
    /// The name sent in SMTP `EHLO` / LMTP `LHLO`.
    pub ehlo_name: String,
    /// Longest wait for a TCP connection.
    pub connect_timeout: Duration,
    /// Longest wait for a TLS handshake.
    pub tls_timeout: Duration,
    /// Bounds of each text-protocol phase.
    pub limits: LineLimits,
    /// What certificate chains must lead to.
    pub trust: TrustAnchors,
    /// The TLS enumeration after the main probe (versions, suites, groups,
    /// features, vulnerabilities); `None` leaves it out, and the probe then
    /// costs one connection.
    pub tls_scan: Option<ScanOptions>,
}

impl Default for ProbeConfig {
    fn default() -> Self {
        Self {
            // RFC 2606 reserves .invalid: the name says plainly that it is not a mail host.
            ehlo_name: "mailtls.invalid".into(),
            connect_timeout: Duration::from_secs(10),
            tls_timeout: Duration::from_secs(15),
            limits: LineLimits::default(),
            trust: TrustAnchors::mozilla(),
            tls_scan: Some(ScanOptions::default()),
        }
    }
}

/// Probes `endpoint` at `address`, using one connection, plus those of the
/// TLS scan when [`ProbeConfig::tls_scan`] asks for one and the server got as
/// far as a handshake (STARTTLS accepted, or implicit TLS), whether or not
/// the rustls handshake succeeded. Never fails: whatever happens is in the
/// returned observation, including mailtls's own errors.
pub async fn probe_endpoint(
    connector: &dyn Connector,
    config: &ProbeConfig,
    endpoint: &Endpoint,
    address: SocketAddr,
) -> EndpointObservation {
    let server_name = match &endpoint.host {
        Host::Domain(domain) => ServerName::try_from(domain.as_str().to_owned()).ok(),
        Host::Ip(ip) => Some(ServerName::IpAddress((*ip).into())),
    };
    let mut observation = EndpointObservation {
        endpoint: endpoint.clone(),
        address,
        sni: endpoint.host.sni().map(|domain| domain.as_str().to_owned()),
        connections: 0,
        outcome: ProbeOutcome::Completed,
        dialogue: None,
        tls: None,
        tls_failure: None,
        tls_scan: None,
    };
    let Some(server_name) = server_name else {
        observation.outcome = ProbeOutcome::Error {
            message: format!("{} cannot be used as a TLS server name", endpoint.host),
        };
        return observation;
    };
    let stream = match connector.connect(address, config.connect_timeout).await {
        Ok(stream) => stream,
        Err(error) => {
            observation.outcome = ProbeOutcome::Error {
                message: error.to_string(),
            };
            return observation;
        }
    };
    observation.connections = 1;
    let mut transcript = Transcript::default();
    let mut dialogue = DialogueObservation::default();
    // The scan takes the handshake's session (for its resumption check) and choice.
    let sessions = config
        .tls_scan
        .as_ref()
        .map(|_| Arc::new(SessionRecorder::default()));
    let result = run(
        stream,
        config,
        endpoint,
        Handshake {
            server_name,
            sessions: sessions.clone(),
        },
        &mut observation,
        &mut dialogue,
        &mut transcript,
    )
    .await;
    if let Err(stop) = result {
        observation.outcome = stop.into_outcome();
    }
    // A handshake was attempted exactly when it left a result or a failure.
    let reached_handshake = observation.tls.is_some() || observation.tls_failure.is_some();
    if let Some(options) = &config.tls_scan
        && reached_handshake
    {
        let opener = EndpointOpener::new(connector, config, endpoint, address);
        let earlier = EarlierHandshake::new(observation.tls.as_ref(), &tls::offered_suites(), sessions);
        let tls_scan = scan_after(&opener, options, &earlier).await;
        observation.connections = observation.connections.saturating_add(tls_scan.connections);
        observation.tls_scan = Some(tls_scan);
    }
    if endpoint.protocol.dialect() != Dialect::Http {
        dialogue.transcript = transcript.into_lines();
        observation.dialogue = Some(dialogue);
    }
    observation
}

/// The longest wait for the TLS 1.3 tickets of an HTTPS server.
const TICKET_WAIT: Duration = Duration::from_millis(100);

/// The name to validate the certificate for, and where the sessions go.
struct Handshake {
    server_name: ServerName<'static>,
    sessions: Option<Arc<SessionRecorder>>,
}

async fn run(
    stream: BoxStream,
    config: &ProbeConfig,
    endpoint: &Endpoint,
    handshake: Handshake,
    observation: &mut EndpointObservation,
    dialogue: &mut DialogueObservation,
    transcript: &mut Transcript,
) -> Result<(), Stop> {
    let dialect = endpoint.protocol.dialect();
    let alpn: &[&[u8]] = if dialect == Dialect::Http {
        &[b"http/1.1"]
    } else {
        &[]
    };
    let stream = match endpoint.tls_mode() {
        TlsMode::Implicit => stream,
        TlsMode::Starttls => {
            let mut session = Session::new(stream, config.limits, transcript, false);
            let ready = match dialect {
                Dialect::Smtp => {
                    smtp::before_tls(&mut session, dialogue, "EHLO", &config.ehlo_name, true).await?
                }
                Dialect::Lmtp => {
                    smtp::before_tls(&mut session, dialogue, "LHLO", &config.ehlo_name, true).await?
                }
                Dialect::Imap => imap::before_tls(&mut session, dialogue).await?,
                Dialect::Pop3 => pop3::before_tls(&mut session, dialogue).await?,
                Dialect::Sieve => sieve::before_tls(&mut session, dialogue).await?,
                Dialect::Http => true,
            };
            let (stream, unasked) = session.finish();
            if !unasked.is_empty() {
                // Plaintext after the "go ahead" reply would be read as if it came
                // inside TLS by a careless client: evidence of response injection.
                transcript.record(
                    Direction::Received,
                    false,
                    &format!(
                        "[{} bytes after the STARTTLS reply, before the handshake: {:?}]",
                        unasked.len(),
                        String::from_utf8_lossy(unasked.get(..80).unwrap_or(&unasked))
                    ),
                );
            }
            if !ready {
                return Ok(());
            }
            stream
        }
    };
    let keeps_sessions = handshake.sessions.is_some();
    let (stream, facts) = match tls::handshake(
        stream,
        handshake.server_name,
        &config.trust,
        alpn,
        config.tls_timeout,
        handshake.sessions,
    )
    .await
    {
        Ok(done) => done,
        Err(reason) => {
            observation.tls_failure = Some(reason);
            return Ok(());
        }
    };
    let tls13 = facts.version == TlsVersion::Tls13;
    observation.tls = Some(facts);
    let mut stream = stream;
    if dialect == Dialect::Http && keeps_sessions && tls13 {
        // An HTTPS server says nothing before a request, but its TLS 1.3
        // tickets follow the handshake at once: a short read takes them in,
        // so that the scan's resumption check can resume this session.
        tls::take_in_tickets(&mut stream, TICKET_WAIT).await;
    }
    let implicit = endpoint.tls_mode() == TlsMode::Implicit;
    let mut session = Session::new(stream, config.limits, transcript, true);
    match dialect {
        Dialect::Smtp => smtp::after_tls(&mut session, dialogue, "EHLO", &config.ehlo_name, implicit).await,
        Dialect::Lmtp => smtp::after_tls(&mut session, dialogue, "LHLO", &config.ehlo_name, implicit).await,
        Dialect::Imap => imap::after_tls(&mut session, dialogue, implicit).await,
        Dialect::Pop3 => pop3::after_tls(&mut session, dialogue, implicit).await,
        Dialect::Sieve => sieve::after_tls(&mut session, dialogue).await,
        Dialect::Http => Ok(()),
    }
}

/// Probes several endpoints within the default [`Limits`](crate::scheduler::Limits)
/// and returns their observations in the order given. Each target costs one connection.
pub async fn probe_endpoints(
    connector: std::sync::Arc<dyn Connector>,
    config: std::sync::Arc<ProbeConfig>,
    targets: Vec<(Endpoint, SocketAddr)>,
) -> Vec<EndpointObservation> {
    let limits = crate::scheduler::Limits::default();
    crate::scheduler::probe_all(
        connector,
        config,
        limits,
        targets,
        crate::scheduler::no_progress(),
    )
    .await
}

/// Probes `targets` concurrently and returns the whole
/// [`Observations`](mailtls_core::Observations) of an assessment of `target`:
/// the endpoints, when it started, how long it took and how many connections
/// it opened.
pub async fn observe(
    target: mailtls_core::Target,
    connector: std::sync::Arc<dyn Connector>,
    config: std::sync::Arc<ProbeConfig>,
    targets: Vec<(Endpoint, SocketAddr)>,
) -> mailtls_core::Observations {
    let started_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let clock = std::time::Instant::now();
    let endpoints = probe_endpoints(connector, config, targets).await;
    mailtls_core::Observations {
        schema_version: mailtls_core::SCHEMA_VERSION,
        generator: mailtls_core::Generator::mailtls(),
        target,
        started_at,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        connections: endpoints.iter().map(|endpoint| endpoint.connections).sum(),
        endpoints,
    }
}
