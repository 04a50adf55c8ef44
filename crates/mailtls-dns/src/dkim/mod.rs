//! DKIM key records (RFC 6376, RFC 8463).
//!
//! [`parse`] reads the TXT record at `<selector>._domainkey.<domain>`,
//! decodes the public key far enough to know its type and size, and lints
//! it against RFC 8301's cryptographic requirements.
//!
//! ```text
//! RFC 6376 §3.6.1
//!   key-v-tag    = %x76 [FWS] "=" [FWS] %x44.4B.49.4D.31    ; "DKIM1"
//!   key-h-tag    = %x68 [FWS] "=" [FWS] key-h-tag-alg
//!                  *( [FWS] ":" [FWS] key-h-tag-alg )
//!   key-h-tag-alg = "sha1" / "sha256" / x-key-h-tag-alg
//!   key-k-tag    = %x6b [FWS] "=" [FWS] key-k-tag-type
//!   key-k-tag-type = "rsa" / x-key-k-tag-type               ; RFC 8463 adds "ed25519"
//!   key-n-tag    = %x6e [FWS] "=" [FWS] qp-section
//!   key-p-tag    = %x70 [FWS] "=" [ [FWS] base64string]
//!   key-s-tag    = %x73 [FWS] "=" [FWS] key-s-tag-type
//!                  *( [FWS] ":" [FWS] key-s-tag-type )
//!   key-s-tag-type = "email" / "*" / x-key-s-tag-type
//!   key-t-tag    = %x74 [FWS] "=" [FWS] key-t-tag-flag
//!                  *( [FWS] ":" [FWS] key-t-tag-flag )
//!   key-t-tag-flag = "y" / "s" / x-key-t-tag-flag
//!
//!   v= "This tag MUST be the first tag in the record. Records beginning
//!       with a "v=" tag with any other value MUST be discarded."
//!   p= "An empty value means that this public key has been revoked."
//! RFC 8463 §4.2: for k=ed25519, p= is the base64 of the bare 32-byte key.
//! RFC 8301 §3.2: "Signers MUST use RSA keys of at least 1024 bits for all
//!   keys. Signers SHOULD use RSA keys of at least 2048 bits. Verifiers MUST
//!   be able to validate signatures with keys ranging from 1024 bits to
//!   4096 bits"
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `dkim.syntax.*` | | tag-list syntax, see [`crate::tag_list`] |
//! | `dkim.version.invalid` | Error | the first tag is `v` with a value other than `DKIM1`: the record is discarded |
//! | `dkim.version.not_first` | Error | `v` is present but not the first tag |
//! | `dkim.key.missing` | Error | no `p` tag: the record is not a key record |
//! | `dkim.key.revoked` | Notice | `p=` is empty: the key was revoked |
//! | `dkim.key.invalid_base64` | Error | `p` is not base64 |
//! | `dkim.key.undecodable` | Error | `p` decodes, but not to a key of type `k` |
//! | `dkim.key.unknown_type` | Error | `k` is neither `rsa` nor `ed25519`: verifiers cannot use the key |
//! | `dkim.key.rsa_too_short` | Error | RSA modulus below 1024 bits: verifiers reject it (RFC 8301) |
//! | `dkim.key.rsa_short` | Warning | 1024 to 2047 bits: allowed, but below the 2048 that signers SHOULD use |
//! | `dkim.key.rsa_too_long` | Warning | above 4096 bits: verifiers need not support it |
//! | `dkim.hash.sha1_only` | Warning | `h=sha1`: only SHA-1 signatures, which RFC 8301 forbids |
//! | `dkim.hash.unknown` | Notice | an unknown hash algorithm in `h` |
//! | `dkim.service.not_email` | Error | `s` allows neither `email` nor `*`: the key cannot verify mail |
//! | `dkim.service.unknown` | Notice | an unknown service type in `s` |
//! | `dkim.testing` | Warning | `t=y`: verifiers may treat failures as passes |
//! | `dkim.flag.unknown` | Notice | an unknown flag in `t` |
//! | `dkim.tag.unknown` | Notice | a tag RFC 6376 does not define for key records |

mod der;
mod selectors;

use std::fmt;

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use der::{DerError, RsaKeyEncoding, RsaKeyInfo, rsa_key_info, spki_algorithm};
pub use selectors::DKIM_COMMON_SELECTORS;

use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::{self, Grammar, Tag, TagNameRule, UnknownTag};

const GRAMMAR: Grammar = Grammar {
    issue_prefix: "dkim",
    tag_names: TagNameRule::Alnumpunc,
    names_ignore_case: false,
};

/// Standard base64 that accepts keys published with or without padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The length of an Ed25519 public key (RFC 8032 §5.1.5).
pub const ED25519_KEY_LEN: usize = 32;

/// A DKIM key record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DkimKeyRecord {
    /// `k`: the key type (default `rsa`).
    pub key_type: KeyType,
    /// `h`: the hash algorithms the key may be used with; empty means all.
    pub hash_algorithms: Vec<HashAlgorithm>,
    /// `s`: the service types the key is for; empty means `*` (all).
    pub service_types: Vec<ServiceType>,
    /// `t`: flags.
    pub flags: Vec<KeyFlag>,
    /// `n`: notes for humans.
    pub notes: Option<String>,
    /// `p`: the public key in base64, whitespace removed; empty when revoked.
    pub public_key: String,
    /// What `p` holds, decoded.
    pub key: PublicKey,
    /// Tags RFC 6376 does not define for key records.
    pub unknown_tags: Vec<UnknownTag>,
}

impl DkimKeyRecord {
    /// Whether `t=y` marks the domain as testing DKIM.
    pub fn is_testing(&self) -> bool {
        self.flags.contains(&KeyFlag::Testing)
    }
}

/// `k`: the key type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyType {
    /// `rsa` (RFC 6376).
    Rsa,
    /// `ed25519` (RFC 8463).
    Ed25519,
    /// Any other value, as written.
    Other(String),
}

impl KeyType {
    fn from_value(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "rsa" => Self::Rsa,
            "ed25519" => Self::Ed25519,
            _ => Self::Other(value.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Rsa => "rsa",
            Self::Ed25519 => "ed25519",
            Self::Other(value) => value,
        }
    }
}

/// A hash algorithm named in `h`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum HashAlgorithm {
    /// `sha1`, forbidden by RFC 8301.
    Sha1,
    /// `sha256`.
    Sha256,
    /// Any other value, as written.
    Other(String),
}

impl HashAlgorithm {
    fn from_value(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "sha1" => Self::Sha1,
            "sha256" => Self::Sha256,
            _ => Self::Other(value.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Sha1 => "sha1",
            Self::Sha256 => "sha256",
            Self::Other(value) => value,
        }
    }
}

/// A service type named in `s`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceType {
    /// `*`: all services.
    All,
    /// `email`.
    Email,
    /// Any other value, as written.
    Other(String),
}

impl ServiceType {
    fn from_value(value: &str) -> Self {
        match value.to_ascii_lowercase().as_str() {
            "*" => Self::All,
            "email" => Self::Email,
            _ => Self::Other(value.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::All => "*",
            Self::Email => "email",
            Self::Other(value) => value,
        }
    }
}

/// A flag named in `t`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum KeyFlag {
    /// `y`: the domain is testing DKIM.
    Testing,
    /// `s`: the `i=` domain must equal the `d=` domain exactly.
    Strict,
    /// Any other value, as written.
    Other(String),
}

impl KeyFlag {
    fn from_value(value: &str) -> Self {
        match value {
            "y" => Self::Testing,
            "s" => Self::Strict,
            _ => Self::Other(value.to_owned()),
        }
    }

    fn as_str(&self) -> &str {
        match self {
            Self::Testing => "y",
            Self::Strict => "s",
            Self::Other(value) => value,
        }
    }
}

/// What the `p` tag holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PublicKey {
    /// `p=` is empty: the key was revoked.
    Revoked,
    /// An RSA key.
    Rsa(RsaKeyInfo),
    /// An Ed25519 key of the right length.
    Ed25519,
    /// The key type is unknown, so the key cannot be interpreted.
    UnknownType,
    /// The value is not base64, or does not decode to a key of type `k`.
    Undecodable {
        /// Why, in words.
        reason: String,
    },
}

/// The canonical text of the record: `v=DKIM1; k=…` then the other tags
/// present, `p` last.
impl fmt::Display for DkimKeyRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v=DKIM1; k={}", self.key_type.as_str())?;
        write_list(f, "h", self.hash_algorithms.iter().map(HashAlgorithm::as_str))?;
        write_list(f, "s", self.service_types.iter().map(ServiceType::as_str))?;
        write_list(f, "t", self.flags.iter().map(KeyFlag::as_str))?;
        if let Some(notes) = &self.notes {
            write!(f, "; n={notes}")?;
        }
        for tag in &self.unknown_tags {
            write!(f, "; {}={}", tag.name, tag.value)?;
        }
        write!(f, "; p={}", self.public_key)
    }
}

fn write_list<'a>(
    f: &mut fmt::Formatter<'_>,
    name: &str,
    values: impl Iterator<Item = &'a str>,
) -> fmt::Result {
    let values: Vec<&str> = values.collect();
    if values.is_empty() {
        return Ok(());
    }
    write!(f, "; {name}={}", values.join(":"))
}

/// Parses one TXT record (strings joined) as a DKIM key record.
///
/// Returns `None` when verifiers would not use the record as a key record
/// (wrong version, no `p`), with every issue found; spans refer to `text`.
pub fn parse(text: &str) -> (Option<DkimKeyRecord>, Vec<RecordIssue>) {
    let (tags, mut issues) = tag_list::parse(text, GRAMMAR);
    if let Some(first) = tags.first().filter(|tag| tag.name == "v")
        && first.value != "DKIM1"
    {
        issues.push(RecordIssue::at(
            "dkim.version.invalid",
            IssueLevel::Error,
            first.span(),
            format!(
                "the version is {:?}; a key record with v= other than DKIM1 is discarded",
                first.value
            ),
        ));
        return (None, issues);
    }
    let mut record = DkimKeyRecord {
        key_type: KeyType::Rsa,
        hash_algorithms: Vec::new(),
        service_types: Vec::new(),
        flags: Vec::new(),
        notes: None,
        public_key: String::new(),
        key: PublicKey::Revoked,
        unknown_tags: Vec::new(),
    };
    let mut key_tag = None;
    for (index, tag) in tags.tags.iter().enumerate() {
        match tag.name {
            "v" if index != 0 => issues.push(RecordIssue::at(
                "dkim.version.not_first",
                IssueLevel::Error,
                tag.span(),
                "v= must be the first tag of a key record (RFC 6376 §3.6.1)",
            )),
            "v" => {}
            "k" => {
                record.key_type = KeyType::from_value(tag.value);
                if let KeyType::Other(value) = &record.key_type {
                    issues.push(RecordIssue::at(
                        "dkim.key.unknown_type",
                        IssueLevel::Error,
                        tag.value_span,
                        format!(
                            "key type {value:?} is neither rsa nor ed25519: verifiers cannot use this key"
                        ),
                    ));
                }
            }
            "h" => record.hash_algorithms = read_hashes(tag, &mut issues),
            "s" => record.service_types = read_services(tag, &mut issues),
            "t" => record.flags = read_flags(tag, &mut issues),
            "n" => record.notes = Some(tag.value.to_owned()),
            "p" => key_tag = Some(*tag),
            _ => {
                issues.push(RecordIssue::at(
                    "dkim.tag.unknown",
                    IssueLevel::Notice,
                    tag.span(),
                    format!(
                        "{:?} is not a key record tag (RFC 6376 §3.6.1); verifiers ignore it",
                        tag.name
                    ),
                ));
                record.unknown_tags.push(UnknownTag {
                    name: tag.name.to_owned(),
                    value: tag.value.to_owned(),
                });
            }
        }
    }
    let Some(key_tag) = key_tag else {
        issues.push(RecordIssue::whole(
            "dkim.key.missing",
            IssueLevel::Error,
            "the record has no p= tag, so it holds no public key",
        ));
        return (None, issues);
    };
    record.public_key = key_tag
        .value
        .chars()
        .filter(|c| !c.is_ascii_whitespace())
        .collect();
    record.key = read_key(
        &record.key_type,
        &record.public_key,
        key_tag.value_span,
        &mut issues,
    );
    (Some(record), issues)
}

/// Splits a colon-separated list value.
fn list_values<'t>(tag: &Tag<'t>) -> impl Iterator<Item = &'t str> {
    tag.value
        .split(':')
        .map(|value| value.trim_matches([' ', '\t', '\r', '\n']))
        .filter(|v| !v.is_empty())
}

fn read_hashes(tag: &Tag<'_>, issues: &mut Vec<RecordIssue>) -> Vec<HashAlgorithm> {
    let hashes: Vec<HashAlgorithm> = list_values(tag).map(HashAlgorithm::from_value).collect();
    for hash in &hashes {
        if let HashAlgorithm::Other(name) = hash {
            issues.push(RecordIssue::at(
                "dkim.hash.unknown",
                IssueLevel::Notice,
                tag.span(),
                format!("hash algorithm {name:?} is unknown; verifiers ignore it"),
            ));
        }
    }
    if hashes.contains(&HashAlgorithm::Sha1) && !hashes.contains(&HashAlgorithm::Sha256) {
        issues.push(RecordIssue::at(
            "dkim.hash.sha1_only",
            IssueLevel::Warning,
            tag.span(),
            "h= allows SHA-1 only, and RFC 8301 forbids rsa-sha1: verifiers that follow it cannot \
             accept signatures made with this key",
        ));
    }
    hashes
}

fn read_services(tag: &Tag<'_>, issues: &mut Vec<RecordIssue>) -> Vec<ServiceType> {
    let services: Vec<ServiceType> = list_values(tag).map(ServiceType::from_value).collect();
    for service in &services {
        if let ServiceType::Other(name) = service {
            issues.push(RecordIssue::at(
                "dkim.service.unknown",
                IssueLevel::Notice,
                tag.span(),
                format!("service type {name:?} is unknown"),
            ));
        }
    }
    if !services.is_empty()
        && !services
            .iter()
            .any(|s| matches!(s, ServiceType::All | ServiceType::Email))
    {
        issues.push(RecordIssue::at(
            "dkim.service.not_email",
            IssueLevel::Error,
            tag.span(),
            "s= allows neither email nor *: verifiers must not use this key for mail",
        ));
    }
    services
}

fn read_flags(tag: &Tag<'_>, issues: &mut Vec<RecordIssue>) -> Vec<KeyFlag> {
    let flags: Vec<KeyFlag> = list_values(tag).map(KeyFlag::from_value).collect();
    for flag in &flags {
        match flag {
            KeyFlag::Testing => issues.push(RecordIssue::at(
                "dkim.testing",
                IssueLevel::Warning,
                tag.span(),
                "t=y: the domain is testing DKIM, and verifiers may treat failing signatures as unsigned",
            )),
            KeyFlag::Other(name) => issues.push(RecordIssue::at(
                "dkim.flag.unknown",
                IssueLevel::Notice,
                tag.span(),
                format!("flag {name:?} is unknown; verifiers ignore it"),
            )),
            KeyFlag::Strict => {}
        }
    }
    flags
}

fn read_key(key_type: &KeyType, base64: &str, span: Span, issues: &mut Vec<RecordIssue>) -> PublicKey {
    if base64.is_empty() {
        issues.push(RecordIssue::at(
            "dkim.key.revoked",
            IssueLevel::Notice,
            span,
            "p= is empty: this key has been revoked, and signatures made with it fail",
        ));
        return PublicKey::Revoked;
    }
    let bytes = match BASE64.decode(base64) {
        Ok(bytes) => bytes,
        Err(error) => {
            let reason = format!("p= is not valid base64: {error}");
            issues.push(RecordIssue::at(
                "dkim.key.invalid_base64",
                IssueLevel::Error,
                span,
                reason.clone(),
            ));
            return PublicKey::Undecodable { reason };
        }
    };
    let undecodable = |reason: String, issues: &mut Vec<RecordIssue>| {
        issues.push(RecordIssue::at(
            "dkim.key.undecodable",
            IssueLevel::Error,
            span,
            reason.clone(),
        ));
        PublicKey::Undecodable { reason }
    };
    match key_type {
        KeyType::Rsa => match rsa_key_info(&bytes) {
            Ok(info) => {
                lint_rsa_size(info.modulus_bits, span, issues);
                PublicKey::Rsa(info)
            }
            Err(error) => undecodable(format!("p= does not hold an RSA public key: {error}"), issues),
        },
        KeyType::Ed25519 if bytes.len() == ED25519_KEY_LEN => PublicKey::Ed25519,
        KeyType::Ed25519 => {
            let wrapped = spki_algorithm(&bytes).is_some_and(|oid| oid == "1.3.101.112");
            let reason = if wrapped {
                "p= holds an Ed25519 SubjectPublicKeyInfo; RFC 8463 §4.2 publishes the bare 32-byte key"
                    .to_owned()
            } else {
                format!(
                    "p= decodes to {} bytes; an Ed25519 key is 32 bytes (RFC 8463 §4.2)",
                    bytes.len()
                )
            };
            undecodable(reason, issues)
        }
        KeyType::Other(_) => PublicKey::UnknownType,
    }
}

fn lint_rsa_size(bits: u32, span: Span, issues: &mut Vec<RecordIssue>) {
    let (id, level, advice) = match bits {
        0..1024 => (
            "dkim.key.rsa_too_short",
            IssueLevel::Error,
            "below the 1024 bits RFC 8301 requires: verifiers reject signatures made with it",
        ),
        1024..2048 => (
            "dkim.key.rsa_short",
            IssueLevel::Warning,
            "below the 2048 bits RFC 8301 says signers should use",
        ),
        2048..=4096 => return,
        _ => (
            "dkim.key.rsa_too_long",
            IssueLevel::Warning,
            "above 4096 bits: RFC 8301 requires verifiers to handle keys up to 4096 bits only",
        ),
    };
    issues.push(RecordIssue::at(
        id,
        level,
        span,
        format!("the RSA key has {bits} bits, {advice}"),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    /// RFC 8463 Appendix A.2: the Ed25519 key record of brisbane._domainkey.football.example.com.
    const RFC_8463_ED25519: &str = "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    /// RFC 8463 Appendix A.2: the RSA key record of test._domainkey.football.example.com (1024 bits).
    const RFC_8463_RSA: &str = "v=DKIM1; k=rsa; \
        p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/\
        byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/K4w3QIDAQAB";

    #[test]
    fn rfc_8463_ed25519_key_is_read() {
        let (record, issues) = parse(RFC_8463_ED25519);
        let record = record.unwrap();
        assert_eq!(record.key_type, KeyType::Ed25519);
        assert_eq!(record.key, PublicKey::Ed25519);
        assert_eq!(issues, []);
    }

    #[test]
    fn rfc_8463_rsa_key_is_1024_bits_and_a_warning() {
        let (record, issues) = parse(RFC_8463_RSA);
        assert_eq!(
            record.unwrap().key,
            PublicKey::Rsa(RsaKeyInfo {
                modulus_bits: 1024,
                public_exponent: Some(65537),
                encoding: RsaKeyEncoding::SubjectPublicKeyInfo
            })
        );
        assert_eq!(ids(&issues), ["dkim.key.rsa_short"]);
        assert_eq!(issues[0].level, IssueLevel::Warning);
    }

    #[test]
    fn key_type_defaults_to_rsa_and_version_is_optional() {
        let text = RFC_8463_RSA.replace("v=DKIM1; k=rsa; ", "");
        let (record, _) = parse(&text);
        assert_eq!(record.unwrap().key_type, KeyType::Rsa);
    }

    #[test]
    fn whitespace_inside_p_is_ignored() {
        let (record, issues) = parse("k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPa piMlrwIaaPcHURo=");
        assert_eq!(record.unwrap().key, PublicKey::Ed25519);
        assert_eq!(issues, []);
    }

    #[test]
    fn empty_p_means_revoked() {
        let (record, issues) = parse("v=DKIM1; p=");
        assert_eq!(record.unwrap().key, PublicKey::Revoked);
        assert_eq!(ids(&issues), ["dkim.key.revoked"]);
        assert_eq!(issues[0].level, IssueLevel::Notice);
    }

    #[test]
    fn missing_p_is_not_a_key_record() {
        let (record, issues) = parse("v=DKIM1; k=rsa");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dkim.key.missing"]);
    }

    #[test]
    fn other_version_discards_the_record() {
        let (record, issues) = parse("v=DKIM2; p=");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["dkim.version.invalid"]);
    }

    #[test]
    fn version_after_other_tags_is_an_error() {
        let (record, issues) = parse("k=ed25519; v=DKIM1; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert!(record.is_some());
        assert_eq!(ids(&issues), ["dkim.version.not_first"]);
    }

    #[test]
    fn unknown_key_type_is_an_error() {
        let (record, issues) = parse("v=DKIM1; k=dsa; p=AAAA");
        let record = record.unwrap();
        assert_eq!(record.key_type, KeyType::Other("dsa".into()));
        assert_eq!(record.key, PublicKey::UnknownType);
        assert_eq!(ids(&issues), ["dkim.key.unknown_type"]);
    }

    #[test]
    fn invalid_base64_is_an_error() {
        let (record, issues) = parse("v=DKIM1; p=not*base64");
        assert!(matches!(record.unwrap().key, PublicKey::Undecodable { .. }));
        assert_eq!(ids(&issues), ["dkim.key.invalid_base64"]);
    }

    #[test]
    fn short_ed25519_key_is_undecodable() {
        let (record, issues) = parse("k=ed25519; p=AAAA");
        assert_eq!(
            record.unwrap().key,
            PublicKey::Undecodable {
                reason: "p= decodes to 3 bytes; an Ed25519 key is 32 bytes (RFC 8463 §4.2)".into()
            }
        );
        assert_eq!(ids(&issues), ["dkim.key.undecodable"]);
    }

    #[test]
    fn ed25519_key_published_as_rsa_is_undecodable() {
        let (_, issues) = parse("k=rsa; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!(ids(&issues), ["dkim.key.undecodable"]);
        assert!(issues[0].message.contains("1.3.101.112"), "{}", issues[0].message);
    }

    #[test]
    fn spki_wrapped_ed25519_key_is_named() {
        let (_, issues) = parse("k=ed25519; p=MCowBQYDK2VwAyEA11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!(ids(&issues), ["dkim.key.undecodable"]);
        assert!(issues[0].message.contains("SubjectPublicKeyInfo"));
    }

    #[test]
    fn sha1_only_is_a_warning_but_sha1_with_sha256_is_not() {
        let (_, issues) = parse("v=DKIM1; h=sha1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!(ids(&issues), ["dkim.hash.sha1_only"]);
        let (_, issues) =
            parse("v=DKIM1; h=sha1:sha256; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!(issues, []);
    }

    #[test]
    fn testing_flag_is_a_warning() {
        let (record, issues) =
            parse("v=DKIM1; t=y:s; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        let record = record.unwrap();
        assert!(record.is_testing());
        assert_eq!(record.flags, [KeyFlag::Testing, KeyFlag::Strict]);
        assert_eq!(ids(&issues), ["dkim.testing"]);
    }

    #[test]
    fn service_type_without_email_is_an_error() {
        let (_, issues) = parse("s=tlsrpt; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=");
        assert_eq!(ids(&issues), ["dkim.service.unknown", "dkim.service.not_email"]);
    }

    #[test]
    fn display_is_canonical_with_p_last() {
        let (record, _) =
            parse("p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=; k=ed25519; n=hello; s=email");
        assert_eq!(
            record.unwrap().to_string(),
            "v=DKIM1; k=ed25519; s=email; n=hello; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn tag() -> impl Strategy<Value = String> {
            prop_oneof![
                "k=(rsa|ed25519|RSA|dsa)",
                "h=(sha1|sha256|md5)(:(sha1|sha256))?",
                "s=(email|\\*|tlsrpt)(:email)?",
                "t=[ysx](:[ys])?",
                "n=[!-:<-~]{0,10}",
                "[a-z]{1,4}=[!-:<-~]{0,8}",
            ]
        }

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,300}") {
                let _ = parse(&text);
            }

            #[test]
            fn arbitrary_key_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400), ed in any::<bool>()) {
                let text = format!("k={}; p={}", if ed { "ed25519" } else { "rsa" }, BASE64.encode(&bytes));
                let (record, _) = parse(&text);
                prop_assert!(record.is_some());
            }

            #[test]
            fn display_then_parse_gives_the_same_record(
                tags in prop::collection::vec(tag(), 0..6),
                key in "[A-Za-z0-9+/]{0,60}",
            ) {
                let text = format!("v=DKIM1; {}; p={key}", tags.join("; "));
                if let (Some(record), _) = parse(&text) {
                    let shown = record.to_string();
                    prop_assert_eq!(parse(&shown).0, Some(record), "{}", shown);
                }
            }
        }
    }
}
