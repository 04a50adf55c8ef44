//! DMARC report URIs (`rua`, `ruf`): a URI with an optional size limit.
//!
//! ```text
//! RFC 7489 §6.4
//!   dmarc-uri = URI [ "!" 1*DIGIT [ "k" / "m" / "g" / "t" ] ]
//!               ; "URI" is imported from [URI]; commas (ASCII
//!               ; 0x2C) and exclamation points (ASCII 0x21)
//!               ; MUST be encoded; the numeric portion MUST fit
//!               ; within an unsigned 64-bit integer
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::uri::{self, MailtoAddress};

/// One report destination of a `rua` or `ruf` tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DmarcUri {
    /// The URI without the size suffix, e.g. `mailto:dmarc@example.com`.
    pub uri: String,
    /// The `!size` limit: reports larger than this are not sent there.
    pub max_size: Option<ReportSize>,
}

impl DmarcUri {
    /// The address, when this is a `mailto:` URI.
    pub fn mailto(&self) -> Option<MailtoAddress> {
        uri::parse_mailto(&self.uri).ok()
    }
}

impl fmt::Display for DmarcUri {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.uri)?;
        if let Some(size) = self.max_size {
            write!(f, "!{size}")?;
        }
        Ok(())
    }
}

/// A report size limit: a number and an optional unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReportSize {
    /// The number as written.
    pub value: u64,
    /// The unit; none means bytes.
    pub unit: Option<SizeUnit>,
}

impl ReportSize {
    /// The limit in bytes, saturating at `u64::MAX`.
    pub fn bytes(self) -> u64 {
        let factor: u64 = match self.unit {
            None => 1,
            Some(SizeUnit::Kilo) => 1 << 10,
            Some(SizeUnit::Mega) => 1 << 20,
            Some(SizeUnit::Giga) => 1 << 30,
            Some(SizeUnit::Tera) => 1 << 40,
        };
        self.value.saturating_mul(factor)
    }
}

impl fmt::Display for ReportSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.value)?;
        if let Some(unit) = self.unit {
            f.write_str(unit.as_str())?;
        }
        Ok(())
    }
}

/// The unit of a report size limit (binary multiples, RFC 7489 §6.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SizeUnit {
    /// `k`: 2^10 bytes.
    Kilo,
    /// `m`: 2^20 bytes.
    Mega,
    /// `g`: 2^30 bytes.
    Giga,
    /// `t`: 2^40 bytes.
    Tera,
}

impl SizeUnit {
    fn from_char(c: char) -> Option<Self> {
        match c.to_ascii_lowercase() {
            'k' => Some(Self::Kilo),
            'm' => Some(Self::Mega),
            'g' => Some(Self::Giga),
            't' => Some(Self::Tera),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Kilo => "k",
            Self::Mega => "m",
            Self::Giga => "g",
            Self::Tera => "t",
        }
    }
}

/// Reads the comma-separated URI list of tag `tag` (`rua` or `ruf`) whose
/// value starts at byte `offset` of the record. Invalid URIs are reported
/// and left out.
pub(super) fn parse_uri_list(
    tag: &str,
    value: &str,
    offset: usize,
    issues: &mut Vec<RecordIssue>,
) -> Vec<DmarcUri> {
    let mut uris = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let piece_start = start;
        start += piece.len() + 1;
        let trimmed = piece.trim_matches([' ', '\t']);
        let leading = piece.len() - piece.trim_start_matches([' ', '\t']).len();
        let span = Span::new(
            offset + piece_start + leading,
            offset + piece_start + leading + trimmed.len(),
        );
        if trimmed.is_empty() {
            issues.push(RecordIssue::at(
                &format!("dmarc.{tag}.empty_uri"),
                IssueLevel::Notice,
                span,
                format!("an empty entry in the {tag} list"),
            ));
            continue;
        }
        match parse_dmarc_uri(trimmed) {
            Ok(parsed) => {
                if let Some(scheme) = uri::scheme(&parsed.uri).filter(|s| !s.eq_ignore_ascii_case("mailto")) {
                    issues.push(RecordIssue::at(
                        &format!("dmarc.{tag}.unsupported_scheme"),
                        IssueLevel::Warning,
                        span,
                        format!(
                            "{:?} uses the {scheme}: scheme; receivers are only required to support \
                             mailto: (RFC 7489 §6.2), so reports may never arrive",
                            parsed.uri
                        ),
                    ));
                }
                uris.push(parsed);
            }
            Err(reason) => issues.push(RecordIssue::at(
                &format!("dmarc.{tag}.invalid_uri"),
                IssueLevel::Warning,
                span,
                format!("{reason}; receivers ignore this report destination"),
            )),
        }
    }
    uris
}

fn parse_dmarc_uri(text: &str) -> Result<DmarcUri, String> {
    let (uri, max_size) = match text.rsplit_once('!') {
        Some((uri, size)) => (
            uri,
            Some(parse_size(size).ok_or_else(|| {
                format!("{text:?} has the size limit {size:?}, which is not digits with an optional k/m/g/t")
            })?),
        ),
        None => (text, None),
    };
    match uri::scheme(uri) {
        None => Err(format!("{uri:?} is not a URI (it has no scheme such as mailto:)")),
        Some(scheme) if scheme.eq_ignore_ascii_case("mailto") => {
            uri::parse_mailto(uri).map_err(|error| error.to_string())?;
            Ok(DmarcUri {
                uri: uri.to_owned(),
                max_size,
            })
        }
        Some(_) => {
            if let Some(character) = uri.chars().find(|c| !c.is_ascii_graphic()) {
                return Err(format!(
                    "{uri:?} contains {character:?}, which a URI may not hold unencoded"
                ));
            }
            Ok(DmarcUri {
                uri: uri.to_owned(),
                max_size,
            })
        }
    }
}

fn parse_size(text: &str) -> Option<ReportSize> {
    let (digits, unit) = match text.char_indices().last() {
        Some((at, c)) if c.is_ascii_alphabetic() => (text.get(..at)?, Some(SizeUnit::from_char(c)?)),
        _ => (text, None),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some(ReportSize {
        value: digits.parse().ok()?,
        unit,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size_suffix_is_split_off() {
        let mut issues = Vec::new();
        let uris = parse_uri_list("rua", "mailto:dmarc@example.com!10m", 0, &mut issues);
        assert_eq!(
            uris,
            [DmarcUri {
                uri: "mailto:dmarc@example.com".into(),
                max_size: Some(ReportSize {
                    value: 10,
                    unit: Some(SizeUnit::Mega)
                })
            }]
        );
        assert_eq!(uris[0].max_size.unwrap().bytes(), 10 * 1024 * 1024);
        assert_eq!(issues, []);
    }

    #[test]
    fn list_entries_keep_their_spans() {
        let mut issues = Vec::new();
        let uris = parse_uri_list("rua", "mailto:a@example.com, mailto:nope", 4, &mut issues);
        assert_eq!(uris.len(), 1);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "dmarc.rua.invalid_uri");
        assert_eq!(issues[0].span, Some(Span::new(26, 37)));
    }

    #[test]
    fn bad_size_suffix_makes_the_uri_invalid() {
        let mut issues = Vec::new();
        let uris = parse_uri_list("ruf", "mailto:a@example.com!10x", 0, &mut issues);
        assert_eq!(uris, []);
        assert_eq!(issues[0].id, "dmarc.ruf.invalid_uri");
    }

    #[test]
    fn https_destination_is_kept_with_a_warning() {
        let mut issues = Vec::new();
        let uris = parse_uri_list("rua", "https://reports.example.com/dmarc", 0, &mut issues);
        assert_eq!(uris.len(), 1);
        assert_eq!(issues[0].id, "dmarc.rua.unsupported_scheme");
        assert_eq!(issues[0].level, IssueLevel::Warning);
    }

    #[test]
    fn size_overflowing_u64_is_invalid() {
        assert_eq!(parse_size("99999999999999999999999"), None);
        assert_eq!(
            parse_size("18446744073709551615"),
            Some(ReportSize {
                value: u64::MAX,
                unit: None
            })
        );
    }
}
