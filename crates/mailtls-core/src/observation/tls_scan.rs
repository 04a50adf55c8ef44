//! What the TLS enumeration engine saw on one endpoint: the protocol versions,
//! the cipher suites per version in the server's order, the key exchange
//! groups, the signature algorithms, the TLS features and the vulnerability
//! checks, each with its evidence and the connections it cost.
//!
//! These are observations: "the server chose `TLS_RSA_WITH_RC4_128_SHA` when
//! offered it", not "RC4 is bad". The scorer judges.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ProbeOutcome, TlsVersion};

/// The enumeration of one endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct TlsScan {
    /// Whether the whole scan ran. When the server stopped it (a reset storm,
    /// throttling, the endpoint deadline), what was not reached is `not_tested`.
    pub outcome: ScanOutcome,
    /// TCP connections the scan opened (also counted in the endpoint's total).
    pub connections: u64,
    /// Wall time of the scan in milliseconds.
    pub duration_ms: u64,
    /// One entry per protocol version, SSLv2 to TLSv1.3, oldest first.
    pub protocols: Vec<ProtocolSupport>,
    /// Key exchange groups.
    pub groups: GroupSupport,
    /// Signature algorithms the server signs its key exchange with, by IANA
    /// name (TLS 1.2 ServerKeyExchange; TLS 1.3 where a handshake showed it).
    pub signature_algorithms: Vec<String>,
    /// Finite-field Diffie-Hellman parameters, when a DHE suite was chosen.
    pub dh: Option<DhParameters>,
    /// Protocol features the server supports or not.
    pub features: TlsFeatures,
    /// Vulnerability checks, derived from the enumeration or active.
    pub vulnerabilities: Vec<VulnerabilityCheck>,
    /// Odd behaviour seen on the way (a wrong version in a ServerHello, a
    /// suite that was not offered, garbage instead of a record), as evidence.
    pub anomalies: Vec<String>,
}

/// How a scan ended.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ScanOutcome {
    /// Every planned step ran.
    #[default]
    Completed,
    /// The scan stopped early; later steps are `not_tested`.
    Stopped {
        /// Why, with the server's behaviour as evidence.
        reason: String,
    },
}

impl From<ScanOutcome> for ProbeOutcome {
    fn from(outcome: ScanOutcome) -> Self {
        match outcome {
            ScanOutcome::Completed => ProbeOutcome::Completed,
            ScanOutcome::Stopped { reason } => ProbeOutcome::NotTested { reason },
        }
    }
}

/// Whether a server speaks one protocol version, and with which suites.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProtocolSupport {
    /// The version.
    pub version: TlsVersion,
    /// Whether the server accepted it.
    pub support: Support,
    /// The cipher suites the server accepts with this version, in the
    /// server's preference order when `server_order` is true, otherwise in the
    /// order they were found.
    pub cipher_suites: Vec<CipherSuiteObservation>,
    /// Whether the server imposes its own order of cipher suites (`None` when
    /// fewer than two suites, or not tested).
    pub server_order: Option<bool>,
}

/// Yes, no, or could not tell, with the evidence for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum Support {
    /// Supported; the evidence names the server's reply.
    Yes {
        /// e.g. `ServerHello TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`.
        evidence: String,
    },
    /// Not supported.
    No {
        /// e.g. `alert handshake_failure(40)`, `connection closed`.
        evidence: String,
    },
    /// Could not tell.
    NotTested {
        /// Why.
        reason: String,
    },
}

impl Support {
    /// Whether this is `Yes`.
    pub fn is_yes(&self) -> bool {
        matches!(self, Self::Yes { .. })
    }

    /// Whether this is `No`.
    pub fn is_no(&self) -> bool {
        matches!(self, Self::No { .. })
    }
}

/// One cipher suite the server accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CipherSuiteObservation {
    /// The IANA name, e.g. `TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256` (the
    /// SSL 2.0 cipher kinds by their RFC draft names).
    pub name: String,
    /// The code point (two bytes; three for SSL 2.0 cipher kinds).
    pub code: u32,
    /// The key exchange the server used when it chose this suite, e.g.
    /// `ECDH x25519`, `DH 2048`, `RSA` (from ServerKeyExchange).
    pub key_exchange: Option<String>,
}

/// Key exchange groups the server accepts.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct GroupSupport {
    /// TLS 1.3 groups (found through HelloRetryRequest), by IANA name, in the
    /// server's preference order when `server_order` is true.
    pub tls13: Vec<String>,
    /// TLS 1.2 and older: the ECDHE curves, by IANA name.
    pub tls12: Vec<String>,
    /// Whether the server imposes its order of groups.
    pub server_order: Option<bool>,
    /// When the groups could not be enumerated, why.
    pub not_tested: Option<String>,
}

/// Finite-field Diffie-Hellman parameters seen in a ServerKeyExchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DhParameters {
    /// Bit length of the prime.
    pub prime_bits: u32,
    /// The name of a well-known prime when it is one (e.g. `RFC 7919
    /// ffdhe2048`, `RFC 2409 group 2 (Oakley)`); shared primes make Logjam
    /// precomputation pay off.
    pub well_known: Option<String>,
    /// The suite that was chosen when the parameters were seen.
    pub cipher_suite: String,
}

/// A feature the server has or not, and the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Feature {
    /// Whether the server supports it.
    pub support: Support,
}

impl Feature {
    /// A feature that was not tested, and why.
    pub fn not_tested(reason: impl Into<String>) -> Self {
        Self {
            support: Support::NotTested {
                reason: reason.into(),
            },
        }
    }
}

impl Default for Feature {
    fn default() -> Self {
        Self::not_tested("not reached")
    }
}

/// The TLS features a scanner reports.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct TlsFeatures {
    /// Secure renegotiation (RFC 5746 `renegotiation_info`).
    pub secure_renegotiation: Feature,
    /// Extended master secret (RFC 7627).
    pub extended_master_secret: Feature,
    /// Encrypt-then-MAC for CBC suites (RFC 7366).
    pub encrypt_then_mac: Feature,
    /// Session tickets (RFC 5077) offered by the server.
    pub session_ticket: Feature,
    /// Session resumption that was actually exercised (a second handshake
    /// resumed the first).
    pub session_resumption: Feature,
    /// OCSP stapling (`status_request` acknowledged, or a stapled response).
    pub ocsp_stapling: Feature,
    /// TLS compression (DEFLATE) accepted.
    pub compression: Feature,
    /// The heartbeat extension (RFC 6520) echoed.
    pub heartbeat: Feature,
    /// `TLS_FALLBACK_SCSV` (RFC 7507) honoured: a fallback hello below the
    /// highest version is refused with `inappropriate_fallback`.
    pub fallback_scsv: Feature,
}

/// The vulnerabilities mailtls checks for. The JSON name is the id's last part
/// in finding ids (`tls.vuln.heartbleed`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Vulnerability {
    /// CVE-2014-0160: heartbeat reads past the payload.
    Heartbleed,
    /// CVE-2014-0224: early ChangeCipherSpec accepted.
    CcsInjection,
    /// Return Of Bleichenbacher's Oracle Threat: RSA decryption oracle.
    Robot,
    /// CVE-2016-2183: 64-bit block ciphers (3DES, IDEA) with long sessions.
    Sweet32,
    /// CVE-2015-0204: export RSA accepted.
    Freak,
    /// CVE-2015-4000: export DH or DH primes under 1024 bits (or common primes).
    Logjam,
    /// RFC 7465: RC4 accepted.
    Rc4,
    /// CVE-2011-3389: CBC with TLS 1.0 or SSL 3.0.
    Beast,
    /// CVE-2014-3566: SSL 3.0 with CBC.
    Poodle,
    /// CVE-2016-0800: SSL 2.0 accepted.
    Drown,
    /// CVE-2012-4929: TLS compression.
    Crime,
    /// CVE-2013-0169: CBC with MAC-then-encrypt (information).
    Lucky13,
    /// Suites without encryption or authentication (NULL, anonymous).
    NullOrAnonymous,
    /// No suite with forward secrecy.
    NoForwardSecrecy,
    /// No AEAD suite.
    NoAead,
}

impl Vulnerability {
    /// The name used in JSON and finding ids.
    pub fn id(self) -> &'static str {
        match self {
            Self::Heartbleed => "heartbleed",
            Self::CcsInjection => "ccs_injection",
            Self::Robot => "robot",
            Self::Sweet32 => "sweet32",
            Self::Freak => "freak",
            Self::Logjam => "logjam",
            Self::Rc4 => "rc4",
            Self::Beast => "beast",
            Self::Poodle => "poodle",
            Self::Drown => "drown",
            Self::Crime => "crime",
            Self::Lucky13 => "lucky13",
            Self::NullOrAnonymous => "null_or_anonymous",
            Self::NoForwardSecrecy => "no_forward_secrecy",
            Self::NoAead => "no_aead",
        }
    }
}

/// How a vulnerability check was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckMethod {
    /// From the enumeration's results, without a connection of its own.
    Derived,
    /// By a probe that sends the attack's messages.
    Active,
}

/// One vulnerability check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct VulnerabilityCheck {
    /// Which one.
    pub vulnerability: Vulnerability,
    /// How it was checked.
    pub method: CheckMethod,
    /// What was found.
    pub result: VulnerabilityResult,
    /// Connections the check itself opened (0 for derived checks).
    pub connections: u64,
}

/// The result of a vulnerability check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum VulnerabilityResult {
    /// The server is vulnerable.
    Vulnerable {
        /// What showed it (the suites, the echoed bytes, the differing replies).
        evidence: String,
    },
    /// The server is not vulnerable.
    NotVulnerable {
        /// What showed it, or why the precondition does not hold.
        evidence: String,
    },
    /// The check did not run or could not decide.
    NotTested {
        /// Why.
        reason: String,
    },
}

impl VulnerabilityResult {
    /// Whether this is `Vulnerable`.
    pub fn is_vulnerable(&self) -> bool {
        matches!(self, Self::Vulnerable { .. })
    }
}

impl TlsScan {
    /// The versions the server accepted, oldest first.
    pub fn supported_versions(&self) -> Vec<TlsVersion> {
        self.protocols
            .iter()
            .filter(|protocol| protocol.support.is_yes())
            .map(|protocol| protocol.version)
            .collect()
    }

    /// The entry for `version`, when it was part of the scan.
    pub fn protocol(&self, version: TlsVersion) -> Option<&ProtocolSupport> {
        self.protocols.iter().find(|protocol| protocol.version == version)
    }

    /// The check of `vulnerability`, when it is in the scan.
    pub fn vulnerability(&self, vulnerability: Vulnerability) -> Option<&VulnerabilityCheck> {
        self.vulnerabilities
            .iter()
            .find(|check| check.vulnerability == vulnerability)
    }
}
