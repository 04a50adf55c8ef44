//! TLSA (RFC 6698, 7671, 7672): record values and their fitness for SMTP.
//!
//! A [`Tlsa`] is built from the numbers and bytes the resolver returns
//! ([`Tlsa::new`]) or from presentation text ([`parse_presentation`]).
//! [`Tlsa::lint`] judges one record for DANE SMTP (RFC 7672); [`lint_rrset`]
//! and [`rollover_scheme`] judge the set published for one MX host.
//!
//! ```text
//! RFC 6698 §2.1
//!                       1 1 1 1 1 1 1 1 1 1 2 2 2 2 2 2 2 2 2 2 3 3
//!   0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//!  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!  |  Cert. Usage  |   Selector    | Matching Type |               /
//!  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               /
//!  /                                                               /
//!  /                 Certificate Association Data                  /
//!  /                                                               /
//!  +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! RFC 7218 acronyms: usage 0 PKIX-TA, 1 PKIX-EE, 2 DANE-TA, 3 DANE-EE;
//! selector 0 Cert, 1 SPKI; matching type 0 Full, 1 SHA2-256, 2 SHA2-512.
//!
//! RFC 7672 §3.1.3: "TLSA records published for SMTP servers SHOULD NOT
//!   include records with usage PKIX-TA(0) or PKIX-EE(1). ... SMTP client
//!   implementations ... treat such records as "unusable"."
//! RFC 7672 §3.1.2: "TLSA records with a matching type of Full(0) are
//!   discouraged."
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `tlsa.usage.pkix` | Warning | usage 0 or 1: SMTP clients treat the record as unusable |
//! | `tlsa.usage.unknown` | Error | an unassigned usage: the record is unusable |
//! | `tlsa.selector.unknown` | Error | an unassigned selector |
//! | `tlsa.matching_type.unknown` | Error | an unassigned matching type |
//! | `tlsa.matching_type.full` | Warning | matching type 0: the whole certificate or key, discouraged |
//! | `tlsa.data.length` | Error | data length does not fit the matching type (32 for SHA2-256, 64 for SHA2-512) |
//! | `tlsa.selector.certificate` | Notice | `3 0 x`: the record must change with every certificate renewal |
//! | `tlsa.presentation.*` | Error | presentation text that does not parse (see [`parse_presentation`]) |
//! | `tlsa.rrset.unusable` | Error | no record of the set is usable for SMTP |
//! | `tlsa.rollover.single` | Notice | a single usable association: no next key is published |

mod presentation;
mod rollover;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use presentation::parse_presentation;
pub use rollover::{RolloverKind, RolloverScheme, lint_rrset, rollover_scheme};

use crate::record_issue::{IssueLevel, RecordIssue};

/// A TLSA record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Tlsa {
    /// Certificate usage.
    pub usage: CertUsage,
    /// Which part of the certificate is matched.
    pub selector: Selector,
    /// How it is matched.
    pub matching_type: MatchingType,
    /// The certificate association data (in JSON: lowercase hex).
    #[serde(with = "hex_string")]
    #[schemars(with = "String")]
    pub data: Vec<u8>,
}

impl Tlsa {
    /// A record from its wire fields.
    pub fn new(usage: u8, selector: u8, matching_type: u8, data: Vec<u8>) -> Self {
        Self {
            usage: CertUsage::from_u8(usage),
            selector: Selector::from_u8(selector),
            matching_type: MatchingType::from_u8(matching_type),
            data,
        }
    }

    /// The three parameters as written, e.g. `3 1 1`.
    pub fn parameters(&self) -> String {
        format!(
            "{} {} {}",
            self.usage.to_u8(),
            self.selector.to_u8(),
            self.matching_type.to_u8()
        )
    }

    /// Whether a DANE SMTP client can use this record (RFC 7672 §3.1.3):
    /// usage DANE-TA or DANE-EE, known selector and matching type, and data
    /// of the right length.
    pub fn is_usable_for_smtp(&self) -> bool {
        matches!(self.usage, CertUsage::DaneTa | CertUsage::DaneEe)
            && !matches!(self.selector, Selector::Unassigned(_))
            && !matches!(self.matching_type, MatchingType::Unassigned(_))
            && self.data_length_problem().is_none()
    }

    /// What is wrong or notable about this record for DANE SMTP.
    pub fn lint(&self) -> Vec<RecordIssue> {
        let mut issues = Vec::new();
        let record = self.parameters();
        match self.usage {
            CertUsage::PkixTa | CertUsage::PkixEe => issues.push(RecordIssue::whole(
                "tlsa.usage.pkix",
                IssueLevel::Warning,
                format!(
                    "TLSA {record}: usage {} ({}) is not usable for SMTP; DANE SMTP clients ignore the \
                     record (RFC 7672 §3.1.3). Publish DANE-EE(3) or DANE-TA(2)",
                    self.usage.to_u8(),
                    self.usage.acronym()
                ),
            )),
            CertUsage::Unassigned(value) => issues.push(RecordIssue::whole(
                "tlsa.usage.unknown",
                IssueLevel::Error,
                format!("TLSA {record}: certificate usage {value} is unassigned; the record is unusable"),
            )),
            CertUsage::DaneTa | CertUsage::DaneEe => {}
        }
        if let Selector::Unassigned(value) = self.selector {
            issues.push(RecordIssue::whole(
                "tlsa.selector.unknown",
                IssueLevel::Error,
                format!("TLSA {record}: selector {value} is unassigned; the record is unusable"),
            ));
        }
        match self.matching_type {
            MatchingType::Unassigned(value) => issues.push(RecordIssue::whole(
                "tlsa.matching_type.unknown",
                IssueLevel::Error,
                format!("TLSA {record}: matching type {value} is unassigned; the record is unusable"),
            )),
            MatchingType::Full => issues.push(RecordIssue::whole(
                "tlsa.matching_type.full",
                IssueLevel::Warning,
                format!(
                    "TLSA {record}: matching type Full(0) publishes the whole certificate or key, which is \
                     discouraged (RFC 7672 §3.1.2); publish its SHA2-256 digest (matching type 1)"
                ),
            )),
            MatchingType::Sha256 | MatchingType::Sha512 => {}
        }
        if let Some(problem) = self.data_length_problem() {
            issues.push(RecordIssue::whole(
                "tlsa.data.length",
                IssueLevel::Error,
                format!("TLSA {record}: {problem}; the record is unusable"),
            ));
        }
        if self.usage == CertUsage::DaneEe && self.selector == Selector::FullCertificate {
            issues.push(RecordIssue::whole(
                "tlsa.selector.certificate",
                IssueLevel::Notice,
                format!(
                    "TLSA {record}: DANE-EE with selector Cert(0) changes with every certificate renewal; \
                     \"3 1 1\" (the key) survives renewals that keep the key (RFC 7671 §5.1)"
                ),
            ));
        }
        issues
    }

    fn data_length_problem(&self) -> Option<String> {
        let expected = match self.matching_type {
            MatchingType::Sha256 => 32,
            MatchingType::Sha512 => 64,
            MatchingType::Full if self.data.is_empty() => {
                return Some("the association data is empty".to_owned());
            }
            MatchingType::Full | MatchingType::Unassigned(_) => return None,
        };
        (self.data.len() != expected).then(|| {
            format!(
                "the association data is {} bytes long, but a {} digest is {expected}",
                self.data.len(),
                self.matching_type.acronym()
            )
        })
    }
}

/// The presentation form: `usage selector matching-type hex`.
impl fmt::Display for Tlsa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.parameters(), hex_string::encode(&self.data))
    }
}

/// Certificate usage (RFC 6698 §2.1.1, RFC 7218).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertUsage {
    /// 0, PKIX-TA: a CA that must also pass PKIX validation.
    PkixTa,
    /// 1, PKIX-EE: the server certificate, which must also pass PKIX validation.
    PkixEe,
    /// 2, DANE-TA: a trust anchor of the domain's own choosing.
    DaneTa,
    /// 3, DANE-EE: the server certificate or key itself.
    DaneEe,
    /// Any other value.
    Unassigned(u8),
}

impl CertUsage {
    /// The value for a wire number.
    pub fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::PkixTa,
            1 => Self::PkixEe,
            2 => Self::DaneTa,
            3 => Self::DaneEe,
            other => Self::Unassigned(other),
        }
    }

    /// The wire number.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::PkixTa => 0,
            Self::PkixEe => 1,
            Self::DaneTa => 2,
            Self::DaneEe => 3,
            Self::Unassigned(value) => value,
        }
    }

    /// The RFC 7218 acronym.
    pub fn acronym(self) -> &'static str {
        match self {
            Self::PkixTa => "PKIX-TA",
            Self::PkixEe => "PKIX-EE",
            Self::DaneTa => "DANE-TA",
            Self::DaneEe => "DANE-EE",
            Self::Unassigned(_) => "unassigned",
        }
    }
}

/// Selector (RFC 6698 §2.1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Selector {
    /// 0, Cert: the full certificate.
    FullCertificate,
    /// 1, SPKI: the SubjectPublicKeyInfo.
    SubjectPublicKeyInfo,
    /// Any other value.
    Unassigned(u8),
}

impl Selector {
    /// The value for a wire number.
    pub fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::FullCertificate,
            1 => Self::SubjectPublicKeyInfo,
            other => Self::Unassigned(other),
        }
    }

    /// The wire number.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::FullCertificate => 0,
            Self::SubjectPublicKeyInfo => 1,
            Self::Unassigned(value) => value,
        }
    }
}

/// Matching type (RFC 6698 §2.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MatchingType {
    /// 0, Full: the selected content itself.
    Full,
    /// 1, SHA2-256 of the selected content.
    Sha256,
    /// 2, SHA2-512 of the selected content.
    Sha512,
    /// Any other value.
    Unassigned(u8),
}

impl MatchingType {
    /// The value for a wire number.
    pub fn from_u8(value: u8) -> Self {
        match value {
            0 => Self::Full,
            1 => Self::Sha256,
            2 => Self::Sha512,
            other => Self::Unassigned(other),
        }
    }

    /// The wire number.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Full => 0,
            Self::Sha256 => 1,
            Self::Sha512 => 2,
            Self::Unassigned(value) => value,
        }
    }

    /// The RFC 7218 acronym.
    pub fn acronym(self) -> &'static str {
        match self {
            Self::Full => "Full",
            Self::Sha256 => "SHA2-256",
            Self::Sha512 => "SHA2-512",
            Self::Unassigned(_) => "unassigned",
        }
    }
}

/// Association data as a lowercase hex string in JSON and presentation form.
mod hex_string {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn encode(bytes: &[u8]) -> String {
        bytes.iter().map(|byte| format!("{byte:02x}")).collect()
    }

    /// Decodes hex digits (either case); `None` on an odd count or a non-hex character.
    pub(super) fn decode(text: &str) -> Option<Vec<u8>> {
        if !text.len().is_multiple_of(2) {
            return None;
        }
        text.as_bytes()
            .chunks(2)
            .map(|pair| {
                let digits = std::str::from_utf8(pair).ok()?;
                u8::from_str_radix(digits, 16)
                    .ok()
                    .filter(|_| pair.iter().all(u8::is_ascii_hexdigit))
            })
            .collect()
    }

    pub(super) fn serialize<S: Serializer>(bytes: &[u8], serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&encode(bytes))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<u8>, D::Error> {
        let text = String::deserialize(deserializer)?;
        decode(&text).ok_or_else(|| serde::de::Error::custom("association data must be hex digits"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    #[test]
    fn dane_ee_spki_sha256_is_usable_without_issues() {
        let record = Tlsa::new(3, 1, 1, vec![0xab; 32]);
        assert!(record.is_usable_for_smtp());
        assert_eq!(record.lint(), []);
    }

    #[test]
    fn pkix_usages_are_unusable_for_smtp() {
        for usage in [0, 1] {
            let record = Tlsa::new(usage, 1, 1, vec![0; 32]);
            assert!(!record.is_usable_for_smtp());
            assert_eq!(ids(&record.lint()), ["tlsa.usage.pkix"]);
        }
    }

    #[test]
    fn sha256_with_wrong_length_is_an_error() {
        let record = Tlsa::new(3, 1, 1, vec![0; 31]);
        assert!(!record.is_usable_for_smtp());
        let issues = record.lint();
        assert_eq!(ids(&issues), ["tlsa.data.length"]);
        assert_eq!(
            issues[0].message,
            "TLSA 3 1 1: the association data is 31 bytes long, but a SHA2-256 digest is 32; the record is unusable"
        );
    }

    #[test]
    fn sha512_needs_64_bytes() {
        assert_eq!(Tlsa::new(2, 1, 2, vec![0; 64]).lint(), []);
        assert_eq!(ids(&Tlsa::new(2, 1, 2, vec![0; 32]).lint()), ["tlsa.data.length"]);
    }

    #[test]
    fn full_matching_type_is_discouraged() {
        let record = Tlsa::new(2, 0, 0, vec![0x30, 0x82]);
        assert!(record.is_usable_for_smtp());
        assert_eq!(ids(&record.lint()), ["tlsa.matching_type.full"]);
    }

    #[test]
    fn unassigned_values_are_errors() {
        let record = Tlsa::new(4, 2, 3, vec![1]);
        assert_eq!(record.usage, CertUsage::Unassigned(4));
        assert_eq!(
            ids(&record.lint()),
            [
                "tlsa.usage.unknown",
                "tlsa.selector.unknown",
                "tlsa.matching_type.unknown"
            ]
        );
    }

    #[test]
    fn dane_ee_full_certificate_is_a_notice() {
        assert_eq!(
            ids(&Tlsa::new(3, 0, 1, vec![0; 32]).lint()),
            ["tlsa.selector.certificate"]
        );
    }

    #[test]
    fn display_is_presentation_form_in_lowercase_hex() {
        assert_eq!(Tlsa::new(3, 1, 1, vec![0xab, 0x01]).to_string(), "3 1 1 ab01");
    }

    #[test]
    fn json_carries_data_as_hex() {
        let record = Tlsa::new(3, 1, 1, vec![0xde, 0xad]);
        let json = serde_json::to_value(&record).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"usage": "dane_ee", "selector": "subject_public_key_info", "matching_type": "sha256", "data": "dead"})
        );
        assert_eq!(serde_json::from_value::<Tlsa>(json).unwrap(), record);
    }

    #[test]
    fn hex_decoding_rejects_signs_and_odd_lengths() {
        assert_eq!(hex_string::decode("aB01"), Some(vec![0xab, 0x01]));
        assert_eq!(hex_string::decode("+1"), None);
        assert_eq!(hex_string::decode("abc"), None);
    }
}
