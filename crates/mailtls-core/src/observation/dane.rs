//! DANE: how the TLSA records published for a server match the chain it served
//! (RFC 6698, RFC 7671, RFC 7672).
//!
//! ```text
//! RFC 7218 acronyms: usage 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE;
//! selector 0 Cert, 1 SPKI; matching type 0 Full, 1 SHA2-256, 2 SHA2-512.
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The TLSA records of one server, matched against one served chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DaneAssessment {
    /// What the record set as a whole achieves.
    pub status: DaneStatus,
    /// The TLSA RRset was DNSSEC-validated. Without that, the set is unusable.
    pub dnssec_secure: bool,
    /// The names a DANE-TA chain's leaf must carry: the TLSA base domain and
    /// the MX host name (RFC 7672 §3.2.2).
    pub reference_names: Vec<String>,
    /// Each record with its result, in the order given.
    pub records: Vec<TlsaRecordResult>,
    /// How the set prepares for a key or certificate change.
    pub rollover: TlsaRollover,
}

/// What a TLSA record set achieves for one server.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum DaneStatus {
    /// At least one usable record matches: a DANE client authenticates the server.
    Authenticated {
        /// Positions (0-based, in `records`) of the records that match.
        matched: Vec<u32>,
    },
    /// Usable records exist but none matches: a DANE client refuses to deliver.
    NotAuthenticated {
        /// Why.
        reason: String,
    },
    /// The set cannot be used (not DNSSEC-secure, or no usable record): a DANE
    /// client still requires TLS but cannot authenticate the server
    /// (RFC 7672 §2.2).
    Unusable {
        /// Why.
        reason: String,
    },
}

/// One TLSA record and how it fared.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TlsaRecordResult {
    /// The record in presentation form: `usage selector matching-type hex`.
    pub record: String,
    /// Certificate usage.
    pub usage: u8,
    /// Its RFC 7218 acronym (`DANE-EE`), or `unassigned`.
    pub usage_name: String,
    /// Selector.
    pub selector: u8,
    /// Its RFC 7218 acronym (`SPKI`), or `unassigned`.
    pub selector_name: String,
    /// Matching type.
    pub matching_type: u8,
    /// Its RFC 7218 acronym (`SHA2-256`), or `unassigned`.
    pub matching_type_name: String,
    /// The outcome.
    pub result: TlsaMatch,
}

/// The outcome of matching one TLSA record against a served chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum TlsaMatch {
    /// The record matches.
    Matched {
        /// Position in the chain (0 = leaf) of the certificate it matches.
        position: u32,
        /// What was checked.
        reason: String,
    },
    /// The record is usable but does not match.
    NotMatched {
        /// Why, e.g. which certificate the digest matched but the name did not.
        reason: String,
    },
    /// Usage PKIX-TA(0) or PKIX-EE(1): SMTP clients treat the record as
    /// unusable (RFC 7672 §3.1.3).
    UnusableForSmtp {
        /// Why.
        reason: String,
    },
    /// An unassigned usage, selector or matching type, or association data
    /// that cannot be a digest of its type.
    Unusable {
        /// Why.
        reason: String,
    },
}

impl TlsaMatch {
    /// Whether the record matched.
    pub fn is_matched(&self) -> bool {
        matches!(self, Self::Matched { .. })
    }

    /// Whether a DANE SMTP client could use the record at all.
    pub fn is_usable(&self) -> bool {
        matches!(self, Self::Matched { .. } | Self::NotMatched { .. })
    }
}

/// How a TLSA set prepares for a key change (RFC 7671 §8).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TlsaRollover {
    /// The kind of scheme.
    pub kind: TlsaRolloverKind,
    /// The usable records' parameters, e.g. `3 1 1 + 2 1 1` (distinct
    /// records, DANE-EE first).
    pub description: String,
    /// What the scheme means for a key change, in words.
    pub note: String,
}

/// A kind of TLSA rollover scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsaRolloverKind {
    /// No usable record.
    NoUsableRecords,
    /// One usable association: a new key or certificate breaks DANE until the
    /// record is changed and the old one has left every cache.
    SingleAssociation,
    /// Two or more DANE-EE associations with the same parameters: the current
    /// and the next key ("3 1 1 + 3 1 1", RFC 7671 §8.1).
    CurrentAndNext,
    /// DANE-EE for the server key plus DANE-TA for its issuer ("3 1 1 + 2 1 1",
    /// RFC 7671 §8.4).
    DaneEeWithDaneTa,
    /// DANE-TA only, two or more anchors: any key they certify matches.
    DaneTaOnly,
    /// DANE-EE associations with different parameters each: a change of
    /// parameters in progress (RFC 7671 §8.3).
    ParameterTransition,
}
