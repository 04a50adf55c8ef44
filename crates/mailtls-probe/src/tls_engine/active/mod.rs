//! Active vulnerability probes: each sends the messages of one attack, and
//! runs only when the enumeration shows its precondition holds.
//!
//! [`run_active`] runs ROBOT, Heartbleed, CCS injection,
//! `TLS_FALLBACK_SCSV` and session resumption in as many lanes as the scan
//! has (two by default; the scheduler reserves that many of an address's
//! connection slots, since mail servers count connections per client), each
//! lane taking the next probe when it is free. A probe whose precondition
//! does not hold opens no connection and says why. Every wait for a reply is
//! bounded by [`ActiveContext::timeout`]; once the server says it is
//! throttling, the probes that remain are not tested.

pub mod ccs_injection;
mod connection;
mod fallback_scsv;
pub mod heartbleed;
pub mod robot;
mod session_resumption;

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
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

/// The active probes, in the order they are taken: the longest first, so
/// that the lanes finish together.
const PROBES: [Probe; 5] = [
    Probe::Robot,
    Probe::Heartbleed,
    Probe::CcsInjection,
    Probe::FallbackScsv,
    Probe::SessionResumption,
];

/// One active probe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Probe {
    Heartbleed,
    CcsInjection,
    Robot,
    FallbackScsv,
    SessionResumption,
}

/// What one probe found: a vulnerability check, or a feature with the
/// connections it took.
enum Outcome {
    Check(VulnerabilityCheck),
    Feature(Probe, Feature, u64),
}

/// Runs the active probes whose preconditions hold. With two lanes or more,
/// two run at once, each lane taking the next probe when it is free;
/// otherwise they run one after another.
pub async fn run_active(opener: &dyn HandshakeOpener, context: &ActiveContext) -> ActiveResults {
    let queue = Mutex::new(VecDeque::from(PROBES));
    let throttled: Mutex<Option<String>> = Mutex::new(None);
    let mut first = dialer(opener, context);
    let mut second = dialer(opener, context);
    let mut outcomes = if context.lanes >= 2 {
        let (mut one, two) = tokio::join!(
            lane(&mut first, context, &queue, &throttled),
            lane(&mut second, context, &queue, &throttled)
        );
        one.extend(two);
        one
    } else {
        lane(&mut first, context, &queue, &throttled).await
    };
    let mut results = ActiveResults::default();
    // Reported in a fixed order, whichever lane ran what.
    for wanted in [Probe::Heartbleed, Probe::CcsInjection, Probe::Robot] {
        let found = outcomes.iter().position(|outcome| match outcome {
            Outcome::Check(check) => probe_of(check.vulnerability) == Some(wanted),
            Outcome::Feature(..) => false,
        });
        if let Some(Outcome::Check(check)) = found.map(|index| outcomes.swap_remove(index)) {
            results.connections = results.connections.saturating_add(check.connections);
            results.vulnerabilities.push(check);
        }
    }
    for outcome in outcomes {
        if let Outcome::Feature(probe, feature, connections) = outcome {
            results.connections = results.connections.saturating_add(connections);
            match probe {
                Probe::FallbackScsv => results.fallback_scsv = feature,
                _ => results.session_resumption = feature,
            }
        }
    }
    let reason = throttled.lock().ok().and_then(|reason| reason.clone());
    if let Some(reason) = reason {
        results
            .anomalies
            .push(format!("the active probes stopped early: {reason}"));
    }
    results
}

/// Which probe checks `vulnerability`.
fn probe_of(vulnerability: mailtls_core::Vulnerability) -> Option<Probe> {
    match vulnerability {
        mailtls_core::Vulnerability::Heartbleed => Some(Probe::Heartbleed),
        mailtls_core::Vulnerability::CcsInjection => Some(Probe::CcsInjection),
        mailtls_core::Vulnerability::Robot => Some(Probe::Robot),
        _ => None,
    }
}

/// Runs probes from `queue` on `dialer` until the queue is empty. A server
/// that throttles one lane stops the other's connections too.
async fn lane(
    dialer: &mut Dialer<'_>,
    context: &ActiveContext,
    queue: &Mutex<VecDeque<Probe>>,
    throttled: &Mutex<Option<String>>,
) -> Vec<Outcome> {
    let mut outcomes = Vec::new();
    loop {
        let next = queue.lock().ok().and_then(|mut queue| queue.pop_front());
        let Some(probe) = next else {
            return outcomes;
        };
        if let Some(reason) = throttled.lock().ok().and_then(|reason| reason.clone()) {
            dialer.throttle(&reason);
        }
        outcomes.push(match probe {
            Probe::Heartbleed => Outcome::Check(heartbleed::check(dialer, context).await),
            Probe::CcsInjection => Outcome::Check(match &context.ccs_injection {
                Some(done) => done.clone(),
                None => ccs_injection::check(dialer, context).await,
            }),
            Probe::Robot => Outcome::Check(robot::check(dialer, context).await),
            Probe::FallbackScsv => {
                let (feature, connections) = fallback_scsv::check(dialer, context).await;
                Outcome::Feature(probe, feature, connections)
            }
            Probe::SessionResumption => {
                let (feature, connections) = session_resumption::check(dialer, context).await;
                Outcome::Feature(probe, feature, connections)
            }
        });
        if let Some(reason) = dialer.throttled()
            && let Ok(mut shared) = throttled.lock()
            && shared.is_none()
        {
            *shared = Some(reason.to_owned());
        }
    }
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
