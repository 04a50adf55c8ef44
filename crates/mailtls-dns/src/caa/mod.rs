//! CAA (RFC 8659): properties and the tree climb.
//!
//! A [`Caa`] property is built from the wire fields ([`Caa::new`],
//! [`Caa::from_wire`]) or presentation text ([`parse_presentation`]);
//! [`Caa::lint`] checks its tag and value. [`caa_lookup_names`] lists the
//! names a CA consults.
//!
//! ```text
//! RFC 8659 §4.1
//!   +0-1-2-3-4-5-6-7-|0-1-2-3-4-5-6-7-|
//!   | Flags          | Tag Length = n |
//!   +----------------|----------------+...+---------------+
//!   | Tag char 0     | Tag char 1     |...| Tag char n-1  |
//!   +----------------|----------------+...+---------------+
//!   +----------------|----------------+.....+----------------+
//!   | Value byte 0   | Value byte 1   |.....| Value byte m-1 |
//!   +----------------|----------------+.....+----------------+
//!
//!   Flags: ... Bit 0, the Issuer Critical Flag: If the value is set to
//!   "1", the Property is critical. A CA MUST NOT issue certificates for any
//!   FQDN if the Relevant RRset for that FQDN contains a CAA critical
//!   Property for an unknown or unsupported Property Tag.
//!   Tag: ... Tags MAY contain ASCII characters "a" through "z", "A" through
//!   "Z", and the numbers 0 through 9. Tags MUST NOT contain any other
//!   characters. Matching of tags is case insensitive.
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `caa.tag.invalid` | Error | a tag that is empty or not letters and digits |
//! | `caa.tag.unknown_critical` | Error | an unknown tag with the critical flag: CAs must refuse to issue |
//! | `caa.tag.unknown` | Notice | an unknown tag without the critical flag: CAs ignore it |
//! | `caa.flags.reserved` | Notice | flag bits other than the critical flag are set |
//! | `caa.value.not_utf8` | Warning | a value that is not UTF-8 text (shown with replacement characters) |
//! | `caa.issue.nobody`, `caa.issuewild.nobody` | Notice | an empty issuer (`;`): no CA may issue |
//! | `caa.issue.invalid`, `caa.issuewild.invalid` | Error | a value outside the issue-value grammar |
//! | `caa.iodef.invalid` | Error | an iodef value that is not a `mailto:`, `http:` or `https:` URL |
//! | `caa.presentation.*` | Error | presentation text that does not parse (see [`parse_presentation`]) |

mod issuer;
mod lookup;
mod presentation;

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use issuer::{CaaParameter, IssuerValue, parse_issuer_value};
pub use lookup::caa_lookup_names;
pub use presentation::parse_presentation;

use crate::record_issue::{IssueLevel, RecordIssue};
use crate::tag_list::uri;

/// The Issuer Critical Flag (bit 0, the most significant bit).
pub const CRITICAL_FLAG: u8 = 0x80;

/// Property tags with a meaning: RFC 8659 (`issue`, `issuewild`, `iodef`),
/// RFC 9495 (`issuemail`), the BIMI mark certificate tag (`issuevmc`) and the
/// CA/Browser Forum's contact tags (`contactemail`, `contactphone`).
pub const KNOWN_TAGS: &[&str] = &[
    "issue",
    "issuewild",
    "iodef",
    "issuemail",
    "issuevmc",
    "contactemail",
    "contactphone",
];

/// A CAA property.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Caa {
    /// The Issuer Critical Flag.
    pub critical: bool,
    /// The property tag as published.
    pub tag: String,
    /// The property value.
    pub value: String,
}

impl Caa {
    /// A property from its fields; flag bits other than the critical flag are dropped.
    pub fn new(flags: u8, tag: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            critical: flags & CRITICAL_FLAG != 0,
            tag: tag.into(),
            value: value.into(),
        }
    }

    /// A property from its wire bytes, reporting reserved flag bits and a
    /// value that is not UTF-8, plus the issues of [`Caa::lint`].
    pub fn from_wire(flags: u8, tag: &[u8], value: &[u8]) -> (Self, Vec<RecordIssue>) {
        let mut issues = Vec::new();
        if flags & !CRITICAL_FLAG != 0 {
            issues.push(RecordIssue::whole(
                "caa.flags.reserved",
                IssueLevel::Notice,
                format!("flags {flags} set reserved bits besides the critical flag (128); CAs ignore them"),
            ));
        }
        let value = match std::str::from_utf8(value) {
            Ok(text) => text.to_owned(),
            Err(_) => {
                issues.push(RecordIssue::whole(
                    "caa.value.not_utf8",
                    IssueLevel::Warning,
                    "the property value is not UTF-8 text",
                ));
                String::from_utf8_lossy(value).into_owned()
            }
        };
        let caa = Self::new(flags, String::from_utf8_lossy(tag), value);
        issues.extend(caa.lint());
        (caa, issues)
    }

    /// The wire flags: 128 when critical, else 0.
    pub fn flags(&self) -> u8 {
        if self.critical { CRITICAL_FLAG } else { 0 }
    }

    /// Whether the tag is one of [`KNOWN_TAGS`] (case-insensitively).
    pub fn is_known_tag(&self) -> bool {
        KNOWN_TAGS
            .iter()
            .any(|known| known.eq_ignore_ascii_case(&self.tag))
    }

    /// For `issue`, `issuewild`, `issuemail` and `issuevmc`: the parsed value.
    pub fn issuer_value(&self) -> Option<IssuerValue> {
        let tag = self.tag.to_ascii_lowercase();
        matches!(tag.as_str(), "issue" | "issuewild" | "issuemail" | "issuevmc")
            .then(|| parse_issuer_value(&self.value, &tag).0)
            .flatten()
    }

    /// What is wrong or notable about this property.
    pub fn lint(&self) -> Vec<RecordIssue> {
        let mut issues = Vec::new();
        if self.tag.is_empty() || !self.tag.bytes().all(|b| b.is_ascii_alphanumeric()) {
            issues.push(RecordIssue::whole(
                "caa.tag.invalid",
                IssueLevel::Error,
                format!(
                    "tag {:?} is not one or more ASCII letters and digits (RFC 8659 §4.1)",
                    self.tag
                ),
            ));
        }
        let tag = self.tag.to_ascii_lowercase();
        match tag.as_str() {
            "issue" | "issuewild" | "issuemail" | "issuevmc" => {
                issues.extend(parse_issuer_value(&self.value, &tag).1);
            }
            "iodef" => {
                let scheme = uri::scheme(&self.value).map(str::to_ascii_lowercase);
                let checked = match scheme.as_deref() {
                    Some("mailto") => uri::parse_mailto(&self.value).map(|_| ()),
                    Some("https") => uri::parse_https(&self.value).map(|_| ()),
                    Some("http") => uri::parse_http(&self.value).map(|_| ()),
                    _ => Err(uri::UriError::NoScheme {
                        uri: self.value.clone(),
                    }),
                };
                if let Err(error) = checked {
                    issues.push(RecordIssue::whole(
                        "caa.iodef.invalid",
                        IssueLevel::Error,
                        format!(
                            "iodef {:?} is not a valid mailto:, http: or https: URL ({error}); CAs cannot \
                             report refused requests there (RFC 8659 §4.4)",
                            self.value
                        ),
                    ));
                }
            }
            _ if self.is_known_tag() => {}
            _ if self.critical => issues.push(RecordIssue::whole(
                "caa.tag.unknown_critical",
                IssueLevel::Error,
                format!(
                    "tag {:?} is unknown and marked critical: CAs that do not know it must refuse to issue \
                     any certificate for the domain (RFC 8659 §4.1)",
                    self.tag
                ),
            )),
            _ => issues.push(RecordIssue::whole(
                "caa.tag.unknown",
                IssueLevel::Notice,
                format!("tag {:?} is unknown; CAs ignore it", self.tag),
            )),
        }
        issues
    }
}

/// The presentation form: `flags tag "value"` with `"` and `\` escaped and
/// control characters as `\DDD`.
impl fmt::Display for Caa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} \"", self.flags(), self.tag)?;
        for c in self.value.chars() {
            match c {
                '"' | '\\' => write!(f, "\\{c}")?,
                c if c.is_ascii_control() => write!(f, "\\{:03}", u32::from(c))?,
                c => write!(f, "{c}")?,
            }
        }
        f.write_str("\"")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    #[test]
    fn issue_property_for_a_ca_has_no_issues() {
        let caa = Caa::new(0, "issue", "letsencrypt.org");
        assert_eq!(caa.lint(), []);
        assert_eq!(
            caa.issuer_value().unwrap().issuer.unwrap().as_str(),
            "letsencrypt.org"
        );
    }

    #[test]
    fn critical_flag_is_bit_0() {
        assert!(Caa::new(128, "issue", ";").critical);
        assert!(!Caa::new(1, "issue", ";").critical);
    }

    #[test]
    fn unknown_critical_tag_blocks_issuance() {
        let caa = Caa::new(128, "tbs", "Unknown");
        assert_eq!(ids(&caa.lint()), ["caa.tag.unknown_critical"]);
        assert_eq!(caa.lint()[0].level, IssueLevel::Error);
    }

    #[test]
    fn unknown_tag_without_critical_flag_is_a_notice() {
        assert_eq!(ids(&Caa::new(0, "tbs", "x").lint()), ["caa.tag.unknown"]);
    }

    #[test]
    fn tag_matching_is_case_insensitive() {
        assert_eq!(Caa::new(128, "ISSUE", "ca.example.net").lint(), []);
    }

    #[test]
    fn tag_with_punctuation_is_invalid() {
        assert_eq!(
            ids(&Caa::new(0, "is-sue", "x").lint()),
            ["caa.tag.invalid", "caa.tag.unknown"]
        );
    }

    #[test]
    fn iodef_must_be_a_mailto_or_http_url() {
        assert_eq!(Caa::new(0, "iodef", "mailto:security@example.com").lint(), []);
        assert_eq!(Caa::new(0, "iodef", "https://iodef.example.com/").lint(), []);
        assert_eq!(Caa::new(0, "iodef", "http://iodef.example.com/").lint(), []);
        assert_eq!(
            ids(&Caa::new(0, "iodef", "security@example.com").lint()),
            ["caa.iodef.invalid"]
        );
    }

    #[test]
    fn from_wire_reports_reserved_flags_and_bad_utf8() {
        let (caa, issues) = Caa::from_wire(1, b"issue", b"ca.example.net\xff");
        assert!(!caa.critical);
        assert_eq!(
            ids(&issues),
            ["caa.flags.reserved", "caa.value.not_utf8", "caa.issue.invalid"]
        );
    }

    #[test]
    fn display_quotes_and_escapes_the_value() {
        assert_eq!(
            Caa::new(128, "tbs", "a\"b\\c\n").to_string(),
            "128 tbs \"a\\\"b\\\\c\\010\""
        );
    }
}
