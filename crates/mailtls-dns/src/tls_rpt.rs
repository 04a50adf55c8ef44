//! SMTP TLS Reporting (RFC 8460): the TXT record at `_smtp._tls.<domain>`.
//!
//! ```text
//! RFC 8460 §3
//!   tlsrpt-record     = tlsrpt-version 1*(field-delim tlsrpt-field)
//!                       [field-delim]
//!   field-delim       = *WSP ";" *WSP
//!   tlsrpt-field      = tlsrpt-rua /        ; Note 1
//!                       tlsrpt-extension
//!   tlsrpt-version    = %s"v=TLSRPTv1"
//!   tlsrpt-rua        = %s"rua="
//!                       tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)
//!   tlsrpt-uri        = URI
//!                     ; "URI" is imported from [RFC3986];
//!                     ; commas (ASCII 0x2C) and exclamation
//!                     ; points (ASCII 0x21) MUST be encoded
//!   tlsrpt-extension  = tlsrpt-ext-name "=" tlsrpt-ext-value
//!   tlsrpt-ext-name   = ( ALPHA / DIGIT ) *31 ( ALPHA / DIGIT / "_" / "-" / "." )
//!   tlsrpt-ext-value  = 1*(%x21-3A / %x3C / %x3E-7E)
//!                     ; chars excluding "=", ";", SP, and control chars
//!
//!   Note 1: The "rua" field is required.
//!
//!   The record supports the ability to declare more than one rua ...
//!   "mailto:" and "https:" are the two URI schemes defined.
//!
//!   If multiple TXT records for "_smtp._tls" are returned by the resolver,
//!   records that do not begin with "v=TLSRPTv1;" are discarded. If the
//!   number of resulting records is not one, senders MUST assume the
//!   recipient domain does not implement TLSRPT.
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `tls_rpt.syntax.*` | | tag-list syntax, see [`crate::tag_list`] |
//! | `tls_rpt.version.missing` | Error | the record does not start with `v=TLSRPTv1`: it is discarded |
//! | `tls_rpt.rua.missing` | Error | no `rua` with a usable URI: nobody receives reports |
//! | `tls_rpt.rua.invalid_uri` | Error | a `mailto:`/`https:` URI that does not parse; it is ignored |
//! | `tls_rpt.rua.unsupported_scheme` | Error | a scheme other than `mailto:` and `https:`; it is ignored |
//! | `tls_rpt.rua.empty_uri` | Notice | `,,` in the URI list |
//! | `tls_rpt.record.missing` | Notice | no TXT record starts with `v=TLSRPTv1` |
//! | `tls_rpt.record.multiple` | Error | more than one does: senders assume no TLS-RPT |

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::uri::{self, HttpsUrl, MailtoAddress};
use crate::tag_list::{self, Grammar, TagNameRule, UnknownTag};

const GRAMMAR: Grammar = Grammar {
    issue_prefix: "tls_rpt",
    tag_names: TagNameRule::Extension,
    names_ignore_case: false,
};

const VERSION: &str = "TLSRPTv1";

/// A TLS-RPT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TlsRptRecord {
    /// `rua`: where reports go; only valid `mailto:` and `https:` URIs.
    pub rua: Vec<ReportDestination>,
    /// Extension tags, kept as written.
    pub extensions: Vec<UnknownTag>,
}

/// A report destination of `rua`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportDestination {
    /// Reports by mail.
    Mailto {
        /// The URI as written.
        uri: String,
        /// Its address.
        address: MailtoAddress,
    },
    /// Reports by HTTPS POST.
    Https {
        /// The URI as written.
        uri: String,
        /// Its parts.
        url: HttpsUrl,
    },
}

impl ReportDestination {
    /// The URI as written.
    pub fn uri(&self) -> &str {
        match self {
            Self::Mailto { uri, .. } | Self::Https { uri, .. } => uri,
        }
    }
}

/// The canonical text: `v=TLSRPTv1; rua=…` then the extensions.
impl fmt::Display for TlsRptRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let uris: Vec<&str> = self.rua.iter().map(ReportDestination::uri).collect();
        write!(f, "v=TLSRPTv1; rua={}", uris.join(","))?;
        for tag in &self.extensions {
            write!(f, "; {}={}", tag.name, tag.value)?;
        }
        Ok(())
    }
}

/// Parses one TXT record (strings joined) as a TLS-RPT record; `None` when
/// senders would not use it. Spans refer to `text`.
pub fn parse(text: &str) -> (Option<TlsRptRecord>, Vec<RecordIssue>) {
    let (tags, mut issues) = tag_list::parse(text, GRAMMAR);
    if !tags
        .first()
        .is_some_and(|tag| tag.name == "v" && tag.value == VERSION)
    {
        issues.push(RecordIssue::whole(
            "tls_rpt.version.missing",
            IssueLevel::Error,
            "the record does not start with v=TLSRPTv1, so senders discard it (RFC 8460 §3)",
        ));
        return (None, issues);
    }
    let mut rua = Vec::new();
    let mut extensions = Vec::new();
    for tag in tags.tags.iter().skip(1) {
        if tag.name == "rua" {
            rua = read_rua(tag.value, tag.value_span.start, &mut issues);
        } else {
            extensions.push(UnknownTag {
                name: tag.name.to_owned(),
                value: tag.value.to_owned(),
            });
        }
    }
    if rua.is_empty() {
        issues.push(RecordIssue::whole(
            "tls_rpt.rua.missing",
            IssueLevel::Error,
            "the record has no usable rua URI, so no sender can deliver TLS reports (RFC 8460 §3)",
        ));
        return (None, issues);
    }
    (Some(TlsRptRecord { rua, extensions }), issues)
}

fn read_rua(value: &str, offset: usize, issues: &mut Vec<RecordIssue>) -> Vec<ReportDestination> {
    let mut destinations = Vec::new();
    let mut start = 0;
    for piece in value.split(',') {
        let leading = piece.len() - piece.trim_start_matches([' ', '\t']).len();
        let trimmed = piece.trim_matches([' ', '\t']);
        let span = Span::new(offset + start + leading, offset + start + leading + trimmed.len());
        start += piece.len() + 1;
        if trimmed.is_empty() {
            issues.push(RecordIssue::at(
                "tls_rpt.rua.empty_uri",
                IssueLevel::Notice,
                span,
                "an empty entry in rua",
            ));
            continue;
        }
        let scheme = uri::scheme(trimmed).map(str::to_ascii_lowercase);
        let parsed = match scheme.as_deref() {
            Some("mailto") => uri::parse_mailto(trimmed).map(|address| ReportDestination::Mailto {
                uri: trimmed.to_owned(),
                address,
            }),
            Some("https") => uri::parse_https(trimmed).map(|url| ReportDestination::Https {
                uri: trimmed.to_owned(),
                url,
            }),
            _ => {
                issues.push(RecordIssue::at(
                    "tls_rpt.rua.unsupported_scheme",
                    IssueLevel::Error,
                    span,
                    format!(
                        "{trimmed:?} is neither a mailto: nor an https: URI (RFC 8460 §3); it is ignored"
                    ),
                ));
                continue;
            }
        };
        match parsed {
            Ok(destination) => destinations.push(destination),
            Err(error) => issues.push(RecordIssue::at(
                "tls_rpt.rua.invalid_uri",
                IssueLevel::Error,
                span,
                format!("{error}; senders ignore this destination"),
            )),
        }
    }
    destinations
}

/// Applies the record selection of RFC 8460 §3 to every TXT record
/// (strings joined) at `_smtp._tls.<domain>`.
pub fn parse_rrset<S: AsRef<str>>(txt_records: &[S]) -> (Option<TlsRptRecord>, Vec<RecordIssue>) {
    tag_list::select_record(
        txt_records,
        VERSION,
        parse,
        RecordIssue::whole(
            "tls_rpt.record.missing",
            IssueLevel::Notice,
            "no TXT record at _smtp._tls starts with v=TLSRPTv1: senders send no TLS reports",
        ),
        |count| {
            RecordIssue::whole(
                "tls_rpt.record.multiple",
                IssueLevel::Error,
                format!(
                    "{count} TXT records at _smtp._tls start with v=TLSRPTv1; with more than one, senders \
                     assume the domain does not implement TLS-RPT (RFC 8460 §3)"
                ),
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    #[test]
    fn rfc_8460_mailto_example_is_read() {
        // RFC 8460 §3.1
        let (record, issues) = parse("v=TLSRPTv1;rua=mailto:reports@example.com");
        let record = record.unwrap();
        assert_eq!(record.rua.len(), 1);
        assert!(
            matches!(&record.rua[0], ReportDestination::Mailto { address, .. } if address.domain.as_str() == "example.com")
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn rfc_8460_https_example_is_read() {
        // RFC 8460 §3.1
        let (record, issues) = parse("v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt");
        assert!(
            matches!(&record.unwrap().rua[0], ReportDestination::Https { url, .. } if url.path == "/v1/tlsrpt")
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn several_destinations_are_kept_in_order() {
        let (record, _) = parse("v=TLSRPTv1; rua=mailto:a@example.com, https://r.example.net/x");
        let uris: Vec<String> = record.unwrap().rua.iter().map(|d| d.uri().to_owned()).collect();
        assert_eq!(uris, ["mailto:a@example.com", "https://r.example.net/x"]);
    }

    #[test]
    fn http_destination_is_unsupported_with_its_span() {
        let text = "v=TLSRPTv1; rua=http://r.example.net/x,mailto:a@example.com";
        let (record, issues) = parse(text);
        assert_eq!(record.unwrap().rua.len(), 1);
        assert_eq!(ids(&issues), ["tls_rpt.rua.unsupported_scheme"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("http://r.example.net/x"));
    }

    #[test]
    fn missing_rua_means_no_reporting() {
        let (record, issues) = parse("v=TLSRPTv1;");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tls_rpt.rua.missing"]);
    }

    #[test]
    fn invalid_mailto_is_an_error() {
        let (record, issues) = parse("v=TLSRPTv1; rua=mailto:reports");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tls_rpt.rua.invalid_uri", "tls_rpt.rua.missing"]);
    }

    #[test]
    fn record_not_starting_with_version_is_discarded() {
        let (record, issues) = parse("rua=mailto:a@example.com; v=TLSRPTv1");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tls_rpt.version.missing"]);
    }

    #[test]
    fn multiple_records_mean_no_reporting() {
        let (record, issues) = parse_rrset(&[
            "v=TLSRPTv1; rua=mailto:a@example.com",
            "v=TLSRPTv1; rua=mailto:b@example.com",
        ]);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tls_rpt.record.multiple"]);
    }

    #[test]
    fn display_is_canonical() {
        let (record, _) = parse("v=TLSRPTv1 ; rua=mailto:a@example.com , https://r.example.net/x ; x-y=1");
        assert_eq!(
            record.unwrap().to_string(),
            "v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.net/x; x-y=1"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,200}") {
                let _ = parse(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_record(
                uris in prop::collection::vec(
                    "(mailto:[a-z]{1,5}@[a-z]{1,5}\\.com|https://[a-z]{1,5}\\.net(:[0-9]{1,5})?/[a-z/]{0,6}|ftp://x)", 0..4),
                extensions in prop::collection::vec("[a-z0-9][a-z0-9_.-]{0,8}=[!-:<>-~]{1,8}", 0..3),
            ) {
                let text = format!("v=TLSRPTv1; rua={}; {}", uris.join(","), extensions.join("; "));
                if let (Some(record), _) = parse(&text) {
                    let shown = record.to_string();
                    prop_assert_eq!(parse(&shown).0, Some(record), "{}", shown);
                }
            }
        }
    }
}
