//! The shared vocabulary of mailtls.
//!
//! `mailtls-core` holds what every other crate speaks: [`Domain`] names,
//! [`Endpoint`]s and their [`MailProtocol`]s, the serialisable report model
//! ([`Observations`], [`Finding`], [`Report`]), and the [`transport`] traits
//! through which all I/O passes. It has no I/O policy of its own: the default
//! tokio implementations of the traits are plain and replaceable.
//!
//! Nothing here judges. The probe records what it saw; `mailtls-score` decides
//! what that means.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod domain;
pub mod endpoint;
pub mod finding;
pub mod observation;
pub mod schema;
pub mod transport;

pub use domain::{Domain, DomainError};
pub use endpoint::{Dialect, Endpoint, EndpointError, Host, MailProtocol, TlsMode};
pub use finding::{Evidence, Finding, Reference, Severity, Status};
pub use observation::{
    BasicConstraintsFacts, CertificateFacts, CertificateObservation, CertificateParseError,
    CertificateValidity, ChainCompleteness, ChainFacts, ChainLink, CheckMethod, CipherSuiteObservation,
    DaneAssessment, DaneStatus, DhParameters, DialogueObservation, Direction, DnsLookup, DnssecStatus,
    EndpointObservation, Feature, Generator, GroupSupport, InjectionTest, LookupStatus, Observations,
    ProbeOutcome, ProtocolSupport, PublicKeyAlgorithm, PublicKeyFacts, Report, SCHEMA_VERSION, ScanOutcome,
    SignatureAlgorithmFacts, SignatureCheck, SubjectAltNames, Support, Target, TlsFeatures, TlsHandshake,
    TlsScan, TlsVersion, TlsaMatch, TlsaRecordResult, TlsaRollover, TlsaRolloverKind, TranscriptLine,
    TrustVerdict, ValidationLevel, ValidityStatus, Vulnerability, VulnerabilityCheck, VulnerabilityResult,
};
