//! Active vulnerability probes: each sends the messages of one attack, and
//! runs only when the enumeration shows its precondition holds.
//!
//! [`run_active`] runs them one after the other, never in parallel (mail
//! servers count connections per client): Heartbleed, CCS injection, ROBOT,
//! `TLS_FALLBACK_SCSV`, session resumption. A probe whose precondition does
//! not hold opens no connection and says why. Every wait for a reply is
//! bounded by [`ActiveContext::timeout`]; once the server says it is
//! throttling, the probes that remain are not tested.

pub mod ccs_injection;
mod connection;
mod fallback_scsv;
pub mod heartbleed;
pub mod robot;
mod session_resumption;

use std::sync::Arc;
use std::time::Duration;

use mailtls_core::{Feature, VulnerabilityCheck};

use crate::tls_engine::active::connection::Dialer;
use crate::tls_engine::cipher_suites;
use crate::tls_engine::earlier::SessionRecorder;
use crate::tls_engine::exchange::HandshakeOpener;
use crate::tls_engine::version::ProtocolVersion;

/// What the enumeration learnt that the active probes need.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActiveContext {
    /// Versions from SSL 3.0 to TLS 1.3 the server accepted, oldest first.
    pub versions: Vec<ProtocolVersion>,
    /// The suites accepted per version, as code points.
    pub suites: Vec<(ProtocolVersion, Vec<u16>)>,
    /// Whether a ServerHello echoed the heartbeat extension.
    pub heartbeat_echoed: bool,
    /// The name for SNI.
    pub server_name: Option<String>,
    /// The longest wait for one reply.
    pub timeout: Duration,
    /// Connections that may be open at once (0 and 1: one at a time).
    pub lanes: usize,
    /// The sessions the endpoint's own full handshake left, which the
    /// resumption check resumes instead of making a first handshake of its own.
    pub sessions: Option<Arc<SessionRecorder>>,
    /// The CCS injection check, when the enumeration already ran it on one
    /// of its connections.
    pub ccs_injection: Option<VulnerabilityCheck>,
}

/// What the active probes found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ActiveResults {
    /// Heartbleed, CCS injection, ROBOT.
    pub vulnerabilities: Vec<VulnerabilityCheck>,
    /// Whether `TLS_FALLBACK_SCSV` is honoured.
    pub fallback_scsv: Feature,
    /// Whether a session was resumed.
    pub session_resumption: Feature,
    /// Connections the probes opened.
    pub connections: u64,
    /// Odd behaviour seen, as evidence.
    pub anomalies: Vec<String>,
}

/// Runs the active probes whose preconditions hold. With two lanes or more,
/// ROBOT (five to ten connections) runs beside the others; otherwise all run
/// one after another.
pub async fn run_active(opener: &dyn HandshakeOpener, context: &ActiveContext) -> ActiveResults {
    let mut first = dialer(opener, context);
    let mut second = dialer(opener, context);
    let others = async {
        let dialer = &mut first;
        let heartbleed = heartbleed::check(dialer, context).await;
        let ccs_injection = match &context.ccs_injection {
            Some(done) => done.clone(),
            None => ccs_injection::check(dialer, context).await,
        };
        let fallback_scsv = fallback_scsv::check(dialer, context).await;
        let session_resumption = session_resumption::check(dialer, context).await;
        (heartbleed, ccs_injection, fallback_scsv, session_resumption)
    };
    let ((heartbleed, ccs_injection, fallback_scsv, session_resumption), robot) = if context.lanes >= 2 {
        tokio::join!(others, robot::check(&mut second, context))
    } else {
        let others = others.await;
        (others, robot::check(&mut second, context).await)
    };
    let mut results = ActiveResults::default();
    for check in [heartbleed, ccs_injection, robot] {
        results.connections = results.connections.saturating_add(check.connections);
        results.vulnerabilities.push(check);
    }
    let (fallback_scsv, connections) = fallback_scsv;
    results.fallback_scsv = fallback_scsv;
    results.connections = results.connections.saturating_add(connections);
    let (session_resumption, connections) = session_resumption;
    results.session_resumption = session_resumption;
    results.connections = results.connections.saturating_add(connections);
    if let Some(reason) = first.throttled().or_else(|| second.throttled()) {
        results
            .anomalies
            .push(format!("the active probes stopped early: {reason}"));
    }
    results
}

/// The dialer every probe of one run shares.
fn dialer<'a>(opener: &'a dyn HandshakeOpener, context: &ActiveContext) -> Dialer<'a> {
    let server_name = context
        .server_name
        .clone()
        .or_else(|| opener.server_name().map(str::to_owned));
    Dialer::new(opener, context.timeout, server_name)
}

/// Heartbleed alone.
pub async fn check_heartbleed(opener: &dyn HandshakeOpener, context: &ActiveContext) -> VulnerabilityCheck {
    heartbleed::check(&mut dialer(opener, context), context).await
}

/// CCS injection alone.
pub async fn check_ccs_injection(
    opener: &dyn HandshakeOpener,
    context: &ActiveContext,
) -> VulnerabilityCheck {
    ccs_injection::check(&mut dialer(opener, context), context).await
}

/// ROBOT alone.
pub async fn check_robot(opener: &dyn HandshakeOpener, context: &ActiveContext) -> VulnerabilityCheck {
    robot::check(&mut dialer(opener, context), context).await
}

/// `TLS_FALLBACK_SCSV` alone: the feature and the connections it took.
pub async fn check_fallback_scsv(opener: &dyn HandshakeOpener, context: &ActiveContext) -> (Feature, u64) {
    fallback_scsv::check(&mut dialer(opener, context), context).await
}

/// Session resumption alone: the feature and the connections it took.
pub async fn check_session_resumption(
    opener: &dyn HandshakeOpener,
    context: &ActiveContext,
) -> (Feature, u64) {
    session_resumption::check(&mut dialer(opener, context), context).await
}

/// The highest accepted version from SSL 3.0 to TLS 1.2, the ones the
/// engine's own ClientHello speaks.
fn legacy_version(context: &ActiveContext) -> Option<ProtocolVersion> {
    context
        .versions
        .iter()
        .copied()
        .filter(|version| (ProtocolVersion::SSL3_0..=ProtocolVersion::TLS1_2).contains(version))
        .max()
}

/// The suites to offer at `version`: those the server accepted, or, when
/// the enumeration has none for it, every suite of that version.
fn suites_for(context: &ActiveContext, version: ProtocolVersion) -> Vec<u16> {
    context
        .suites
        .iter()
        .find(|(known, suites)| *known == version && !suites.is_empty())
        .map_or_else(|| cipher_suites::codes_for(version), |(_, suites)| suites.clone())
}
