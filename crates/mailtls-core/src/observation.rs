//! Observations: what mailtls saw, without judgement.
//!
//! An [`Observations`] value is the whole output of the observation stage. It is
//! serialisable, versioned by [`SCHEMA_VERSION`], and can be saved and scored
//! again later. A misbehaving server is an observation; an [`ProbeOutcome::Error`]
//! is for mailtls failing to observe.

use std::net::SocketAddr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::Domain;
use crate::endpoint::Endpoint;
use crate::finding::Finding;

mod certificate;
mod dane;
mod tls_scan;

pub use certificate::{
    BasicConstraintsFacts, CertificateFacts, CertificateParseError, CertificateValidity, ChainCompleteness,
    ChainFacts, ChainLink, PublicKeyAlgorithm, PublicKeyFacts, SignatureAlgorithmFacts, SignatureCheck,
    SubjectAltNames, ValidationLevel, ValidityStatus,
};
pub use dane::{DaneAssessment, DaneStatus, TlsaMatch, TlsaRecordResult, TlsaRollover, TlsaRolloverKind};
pub use tls_scan::{
    CheckMethod, CipherSuiteObservation, DhParameters, Feature, GroupSupport, ProtocolSupport, ScanOutcome,
    Support, TlsFeatures, TlsScan, Vulnerability, VulnerabilityCheck, VulnerabilityResult,
};

/// The version of the JSON report shape. Bumped on every incompatible change;
/// additions of optional fields keep it.
pub const SCHEMA_VERSION: u32 = 1;

/// The program that made a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Generator {
    /// Program name.
    pub name: String,
    /// Program version.
    pub version: String,
}

impl Generator {
    /// This build of mailtls.
    pub fn mailtls() -> Self {
        Self {
            name: "mailtls".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// What was assessed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Target {
    /// A whole mail domain (`mailtls check`).
    Domain {
        /// The domain.
        domain: Domain,
    },
    /// A single server (`mailtls tls`).
    Endpoint {
        /// The endpoint.
        endpoint: Endpoint,
    },
}

/// The root of everything observed in one assessment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Observations {
    /// Shape version of this document; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// Who made it.
    pub generator: Generator,
    /// What was assessed.
    pub target: Target,
    /// Start of the assessment, seconds since the Unix epoch (UTC).
    pub started_at: u64,
    /// Wall time the assessment took, in milliseconds.
    pub duration_ms: u64,
    /// TCP connections opened to servers (DNS not counted).
    pub connections: u64,
    /// One entry per (address, port, SNI) probed.
    pub endpoints: Vec<EndpointObservation>,
}

/// Everything seen on one endpoint at one address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct EndpointObservation {
    /// The service probed.
    pub endpoint: Endpoint,
    /// The address connected to.
    pub address: SocketAddr,
    /// The server name sent in TLS SNI, if any.
    pub sni: Option<String>,
    /// TCP connections this endpoint cost.
    pub connections: u64,
    /// Whether the probe ran to the end.
    pub outcome: ProbeOutcome,
    /// The plaintext dialogue up to the TLS handshake (STARTTLS endpoints), and
    /// the dialogue inside TLS.
    pub dialogue: Option<DialogueObservation>,
    /// Facts of the full TLS handshake.
    pub tls: Option<TlsHandshake>,
    /// Why the full TLS handshake failed, when it was tried and did not complete
    /// (an alert from the server, no version or cipher suite in common).
    pub tls_failure: Option<String>,
    /// The TLS enumeration (versions, suites, groups, features,
    /// vulnerabilities), when it ran.
    #[serde(default)]
    pub tls_scan: Option<TlsScan>,
}

/// How a probe ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum ProbeOutcome {
    /// All planned steps ran.
    Completed,
    /// The server kept the probe from running (throttling, greylisting,
    /// tarpitting, a refusal); the observation says how far it got.
    NotTested {
        /// Why, in words, with the server's reply where there was one.
        reason: String,
    },
    /// mailtls failed to observe (connection refused, timeout, a local error).
    Error {
        /// What failed.
        message: String,
    },
}

/// Which way a line went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From mailtls to the server.
    Sent,
    /// From the server to mailtls.
    Received,
}

/// One line of a text-protocol dialogue, kept as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TranscriptLine {
    /// Which way it went.
    pub direction: Direction,
    /// Whether it went inside TLS.
    pub in_tls: bool,
    /// The line without its line ending; non-UTF-8 bytes replaced.
    pub text: String,
}

/// The text-protocol part of a probe.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct DialogueObservation {
    /// The greeting lines as sent by the server.
    pub greeting: Vec<String>,
    /// Capabilities (SMTP EHLO keywords, IMAP CAPABILITY atoms, POP3 CAPA
    /// lines) announced before TLS.
    pub capabilities_before_tls: Vec<String>,
    /// Whether the server offered STARTTLS/STLS before TLS.
    pub starttls_offered: bool,
    /// The server's reply to STARTTLS/STLS.
    pub starttls_reply: Option<String>,
    /// Capabilities announced inside TLS.
    pub capabilities_after_tls: Vec<String>,
    /// The STARTTLS command injection test (CVE-2011-0411 class), for SMTP.
    #[serde(default)]
    pub starttls_injection: Option<InjectionTest>,
    /// The whole exchange, bounded.
    pub transcript: Vec<TranscriptLine>,
}

/// Whether a server executes plaintext commands pipelined after STARTTLS
/// inside the TLS session (CVE-2011-0411 and its kin). A man in the middle
/// can use such a server to inject commands into a protected session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum InjectionTest {
    /// `STARTTLS` and `NOOP` were sent in one segment and nothing answered the
    /// `NOOP` inside TLS: the server discarded the pipelined plaintext.
    NotVulnerable,
    /// The server answered the plaintext `NOOP` inside TLS.
    Vulnerable {
        /// What the server sent unasked inside TLS.
        evidence: String,
    },
    /// The test did not run.
    NotTested {
        /// Why.
        reason: String,
    },
}

/// A TLS protocol version, named as in the JSON report contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum TlsVersion {
    /// SSL 2.0.
    #[serde(rename = "SSLv2")]
    Ssl2,
    /// SSL 3.0.
    #[serde(rename = "SSLv3")]
    Ssl3,
    /// TLS 1.0.
    #[serde(rename = "TLSv1.0")]
    Tls10,
    /// TLS 1.1.
    #[serde(rename = "TLSv1.1")]
    Tls11,
    /// TLS 1.2.
    #[serde(rename = "TLSv1.2")]
    Tls12,
    /// TLS 1.3.
    #[serde(rename = "TLSv1.3")]
    Tls13,
}

impl TlsVersion {
    /// The name used in reports, e.g. `TLSv1.2`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ssl2 => "SSLv2",
            Self::Ssl3 => "SSLv3",
            Self::Tls10 => "TLSv1.0",
            Self::Tls11 => "TLSv1.1",
            Self::Tls12 => "TLSv1.2",
            Self::Tls13 => "TLSv1.3",
        }
    }
}

/// Facts of one completed TLS handshake.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TlsHandshake {
    /// Negotiated protocol version.
    pub version: TlsVersion,
    /// Negotiated cipher suite, by IANA name.
    pub cipher_suite: String,
    /// Key exchange group, by IANA name, where the TLS stack reports it.
    pub group: Option<String>,
    /// Negotiated ALPN protocol.
    pub alpn: Option<String>,
    /// Whether the server stapled an OCSP response.
    pub ocsp_stapled: bool,
    /// The certificate chain as the server sent it, leaf first.
    pub certificates: Vec<CertificateObservation>,
    /// How the served chain hangs together, when a chain was served.
    #[serde(default)]
    pub chain: Option<ChainFacts>,
    /// Whether the chain validates for the SNI name against the trust anchors used.
    pub trust: TrustVerdict,
    /// How the server's TLSA records match this chain, when DANE was assessed.
    #[serde(default)]
    pub dane: Option<DaneAssessment>,
}

/// One certificate as served.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub struct CertificateObservation {
    /// SHA-256 of the DER encoding, lower-case hex.
    pub sha256: String,
    /// The DER encoding, base64 (standard alphabet, padded).
    pub der_base64: String,
    /// What the certificate says, when its DER parses.
    #[serde(default)]
    pub facts: Option<CertificateFacts>,
    /// Why the DER does not parse, when it does not.
    #[serde(default)]
    pub parse_error: Option<CertificateParseError>,
}

/// The verdict of chain validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum TrustVerdict {
    /// The chain leads to a trust anchor and is valid for the name now.
    Trusted,
    /// It does not; `reason` names why (unknown issuer, expired, name mismatch…).
    Untrusted {
        /// The validator's reason.
        reason: String,
    },
    /// Validation did not run (no name to validate against, no chain).
    NotChecked {
        /// Why not.
        reason: String,
    },
}

/// A graded report: observations plus the findings made from them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Report {
    /// Shape version of this document; see [`SCHEMA_VERSION`].
    pub schema_version: u32,
    /// What was seen.
    pub observations: Observations,
    /// What it means.
    pub findings: Vec<Finding>,
}

/// How a DNS lookup ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum LookupStatus {
    /// Records of the asked type exist.
    Answer,
    /// The name exists but has no records of this type (NOERROR, empty answer).
    NoData,
    /// The name does not exist (NXDOMAIN).
    NxDomain,
    /// No usable answer: SERVFAIL, REFUSED, a timeout, a malformed reply. This
    /// is never "no record": the check that needed it is not tested.
    Error,
}

/// What can be said about the authenticity of an answer (RFC 4035 §3.2.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DnssecStatus {
    /// Validated: the AD bit from a resolver trusted to validate.
    Secure {
        /// Where the verdict came from, e.g. `AD bit from validating resolver 127.0.0.53:53`.
        source: String,
    },
    /// A validating resolver answered without AD: the zone is not signed (or
    /// not signed from a secure parent).
    Insecure {
        /// Where the verdict came from.
        source: String,
    },
    /// Validation failed: SERVFAIL from a validating resolver, but an answer
    /// when checking is disabled (CD).
    Bogus {
        /// What showed it.
        reason: String,
    },
    /// Nothing can be said, e.g. the resolver is not trusted to validate.
    Indeterminate {
        /// Why.
        reason: String,
    },
}

/// One DNS question and what came back, as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DnsLookup {
    /// The name asked, fully qualified (trailing dot).
    pub name: String,
    /// The record type asked, e.g. `MX`.
    pub record_type: String,
    /// How it ended.
    pub status: LookupStatus,
    /// The records of the asked type, in presentation format, as served.
    pub records: Vec<String>,
    /// CNAMEs followed on the way, in order, as `owner -> target`.
    pub cname_chain: Vec<String>,
    /// DNSSEC status of the answer.
    pub dnssec: DnssecStatus,
    /// The resolver that answered.
    pub server: Option<SocketAddr>,
    /// What went wrong, when `status` is `error`.
    pub error: Option<String>,
}
