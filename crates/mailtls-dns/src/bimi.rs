//! BIMI: the assertion record (v=BIMI1; l=; a=) at `<selector>._bimi.<domain>`.
//!
//! ```text
//! draft-brand-indicators-for-message-identification §4.2 (the grammar,
//! condensed; tags follow the tag=value list syntax of RFC 6376 §3.2)
//!   bimi-record   = bimi-version *(bimi-sep bimi-tag) [bimi-sep]
//!   bimi-version  = "v" *WSP "=" *WSP "BIMI1"      ; first, case-sensitive
//!   bimi-sep      = *WSP ";" *WSP
//!   bimi-location = "l" *WSP "=" *WSP [URI]        ; https: SVG Tiny PS logo
//!   bimi-evidence = "a" *WSP "=" *WSP [URI]        ; https: PEM with the VMC/CMC
//!   bimi-avp      = "avp" *WSP "=" *WSP ( "brand" / "personal" )
//!   An assertion record whose l= and a= are both empty declines to
//!   publish an indicator.
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `bimi.syntax.*` | | tag-list syntax, see [`crate::tag_list`] |
//! | `bimi.version.missing` | Error | the record does not start with `v=BIMI1`: it is discarded |
//! | `bimi.declined` | Notice | `l` and `a` empty or absent: the domain declines to show a logo |
//! | `bimi.location.not_https` | Error | `l` is not an `https:` URL: receivers do not fetch it |
//! | `bimi.location.invalid_uri` | Error | `l` is an `https:` URL without a valid host |
//! | `bimi.location.not_svg` | Warning | `l` does not end in `.svg`: the logo must be SVG Tiny PS |
//! | `bimi.evidence.not_https` | Error | `a` is not an `https:` URL |
//! | `bimi.evidence.invalid_uri` | Error | `a` is an `https:` URL without a valid host |
//! | `bimi.evidence.missing` | Notice | a logo without `a=`: large receivers show logos only with a VMC or CMC |
//! | `bimi.avp.invalid` | Warning | `avp` is not `brand` or `personal` |
//! | `bimi.tag.unknown` | Notice | a tag the draft does not define |
//! | `bimi.record.missing` | Notice | no TXT record starts with `v=BIMI1` |
//! | `bimi.record.multiple` | Error | more than one does: receivers show no logo |

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::uri::{self, UriError};
use crate::tag_list::{self, Grammar, TagNameRule, UnknownTag};

const GRAMMAR: Grammar = Grammar {
    issue_prefix: "bimi",
    tag_names: TagNameRule::Alnumpunc,
    names_ignore_case: false,
};

const VERSION: &str = "BIMI1";

/// A BIMI assertion record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BimiRecord {
    /// `l`: the URL of the logo as written; `None` when empty or absent.
    pub location: Option<String>,
    /// `a`: the URL of the Verified Mark or Common Mark Certificate as
    /// written; `None` when empty or absent.
    pub evidence: Option<String>,
    /// `avp`: whether the receiver should show the brand logo or the
    /// sender's personal avatar.
    pub avatar_preference: Option<AvatarPreference>,
    /// Tags the draft does not define.
    pub unknown_tags: Vec<UnknownTag>,
}

impl BimiRecord {
    /// Whether the record declines to publish an indicator (`l=` and `a=` empty).
    pub fn is_declination(&self) -> bool {
        self.location.is_none() && self.evidence.is_none()
    }
}

/// The `avp` tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AvatarPreference {
    /// `brand`: show the BIMI logo.
    Brand,
    /// `personal`: prefer the sender's own avatar.
    Personal,
}

impl AvatarPreference {
    fn as_str(self) -> &'static str {
        match self {
            Self::Brand => "brand",
            Self::Personal => "personal",
        }
    }
}

/// The canonical text: `v=BIMI1; l=…` then `a`, `avp` and unknown tags.
impl fmt::Display for BimiRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v=BIMI1; l={}", self.location.as_deref().unwrap_or_default())?;
        if let Some(evidence) = &self.evidence {
            write!(f, "; a={evidence}")?;
        }
        if let Some(avp) = self.avatar_preference {
            write!(f, "; avp={}", avp.as_str())?;
        }
        for tag in &self.unknown_tags {
            write!(f, "; {}={}", tag.name, tag.value)?;
        }
        Ok(())
    }
}

/// Parses one TXT record (strings joined) as a BIMI assertion record;
/// `None` when receivers would discard it. Spans refer to `text`.
pub fn parse(text: &str) -> (Option<BimiRecord>, Vec<RecordIssue>) {
    let (tags, mut issues) = tag_list::parse(text, GRAMMAR);
    if !tags
        .first()
        .is_some_and(|tag| tag.name == "v" && tag.value == VERSION)
    {
        issues.push(RecordIssue::whole(
            "bimi.version.missing",
            IssueLevel::Error,
            "the record does not start with v=BIMI1, so receivers discard it",
        ));
        return (None, issues);
    }
    let mut record = BimiRecord {
        location: None,
        evidence: None,
        avatar_preference: None,
        unknown_tags: Vec::new(),
    };
    for tag in tags.tags.iter().skip(1) {
        match tag.name {
            "l" if !tag.value.is_empty() => {
                check_https("location", tag.value, tag.value_span, &mut issues);
                lint_svg(tag.value, tag.value_span, &mut issues);
                record.location = Some(tag.value.to_owned());
            }
            "a" if !tag.value.is_empty() => {
                check_https("evidence", tag.value, tag.value_span, &mut issues);
                record.evidence = Some(tag.value.to_owned());
            }
            "l" | "a" => {}
            "avp" => match tag.value {
                "brand" => record.avatar_preference = Some(AvatarPreference::Brand),
                "personal" => record.avatar_preference = Some(AvatarPreference::Personal),
                other => issues.push(RecordIssue::at(
                    "bimi.avp.invalid",
                    IssueLevel::Warning,
                    tag.span(),
                    format!("avp={other:?} is neither brand nor personal; receivers ignore it"),
                )),
            },
            _ => {
                issues.push(RecordIssue::at(
                    "bimi.tag.unknown",
                    IssueLevel::Notice,
                    tag.span(),
                    format!("{:?} is not a BIMI tag; receivers ignore it", tag.name),
                ));
                record.unknown_tags.push(UnknownTag {
                    name: tag.name.to_owned(),
                    value: tag.value.to_owned(),
                });
            }
        }
    }
    if record.is_declination() {
        issues.push(RecordIssue::whole(
            "bimi.declined",
            IssueLevel::Notice,
            "l= and a= are empty: the domain declines to publish a brand indicator",
        ));
    } else if record.location.is_some() && record.evidence.is_none() {
        issues.push(RecordIssue::whole(
            "bimi.evidence.missing",
            IssueLevel::Notice,
            "there is no a= certificate (VMC or CMC); the large mailbox providers show logos only with one",
        ));
    }
    (Some(record), issues)
}

fn check_https(what: &str, value: &str, span: Span, issues: &mut Vec<RecordIssue>) {
    match uri::parse_https(value) {
        Ok(_) => {}
        Err(UriError::WrongScheme { .. } | UriError::NoScheme { .. }) => issues.push(RecordIssue::at(
            &format!("bimi.{what}.not_https"),
            IssueLevel::Error,
            span,
            format!("{value:?} is not an https: URL; receivers fetch BIMI {what} over HTTPS only"),
        )),
        Err(error) => issues.push(RecordIssue::at(
            &format!("bimi.{what}.invalid_uri"),
            IssueLevel::Error,
            span,
            format!("{error}; receivers cannot fetch it"),
        )),
    }
}

fn lint_svg(value: &str, span: Span, issues: &mut Vec<RecordIssue>) {
    let path = value.split(['?', '#']).next().unwrap_or_default();
    let is_svg = path.len() >= 4
        && path
            .get(path.len() - 4..)
            .is_some_and(|end| end.eq_ignore_ascii_case(".svg"));
    if !is_svg {
        issues.push(RecordIssue::at(
            "bimi.location.not_svg",
            IssueLevel::Warning,
            span,
            format!("{value:?} does not end in .svg; a BIMI logo must be an SVG Tiny PS document"),
        ));
    }
}

/// Applies the record selection to every TXT record (strings joined) at
/// `<selector>._bimi.<domain>`: those not starting with `v=BIMI1` are
/// discarded; exactly one must remain.
pub fn parse_rrset<S: AsRef<str>>(txt_records: &[S]) -> (Option<BimiRecord>, Vec<RecordIssue>) {
    tag_list::select_record(
        txt_records,
        VERSION,
        parse,
        RecordIssue::whole(
            "bimi.record.missing",
            IssueLevel::Notice,
            "no TXT record starts with v=BIMI1: the domain publishes no brand indicator",
        ),
        |count| {
            RecordIssue::whole(
                "bimi.record.multiple",
                IssueLevel::Error,
                format!("{count} TXT records start with v=BIMI1; with more than one, receivers show no logo"),
            )
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    #[test]
    fn record_with_logo_and_certificate_has_no_issues() {
        let (record, issues) =
            parse("v=BIMI1; l=https://images.example.com/logo.svg; a=https://images.example.com/vmc.pem");
        let record = record.unwrap();
        assert_eq!(
            record.location.as_deref(),
            Some("https://images.example.com/logo.svg")
        );
        assert_eq!(
            record.evidence.as_deref(),
            Some("https://images.example.com/vmc.pem")
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn logo_without_certificate_is_a_notice() {
        let (_, issues) = parse("v=BIMI1; l=https://example.com/logo.svg");
        assert_eq!(ids(&issues), ["bimi.evidence.missing"]);
        assert_eq!(issues[0].level, IssueLevel::Notice);
    }

    #[test]
    fn empty_location_and_evidence_decline() {
        let (record, issues) = parse("v=BIMI1; l=; a=;");
        assert!(record.unwrap().is_declination());
        assert_eq!(ids(&issues), ["bimi.declined"]);
    }

    #[test]
    fn http_logo_is_an_error_at_the_value() {
        let text = "v=BIMI1; l=http://example.com/logo.svg; a=https://example.com/vmc.pem";
        let (_, issues) = parse(text);
        assert_eq!(ids(&issues), ["bimi.location.not_https"]);
        assert_eq!(
            issues[0].span.unwrap().text(text),
            Some("http://example.com/logo.svg")
        );
    }

    #[test]
    fn png_logo_is_a_warning() {
        let (_, issues) = parse("v=BIMI1; l=https://example.com/logo.png; a=https://example.com/vmc.pem");
        assert_eq!(ids(&issues), ["bimi.location.not_svg"]);
        assert_eq!(issues[0].level, IssueLevel::Warning);
    }

    #[test]
    fn svg_check_ignores_the_query() {
        let (_, issues) = parse("v=BIMI1; l=https://example.com/Logo.SVG?v=2; a=https://example.com/vmc.pem");
        assert_eq!(issues, []);
    }

    #[test]
    fn avatar_preference_is_read() {
        let (record, _) =
            parse("v=BIMI1; l=https://e.example/l.svg; a=https://e.example/a.pem; avp=personal");
        assert_eq!(
            record.unwrap().avatar_preference,
            Some(AvatarPreference::Personal)
        );
    }

    #[test]
    fn record_not_starting_with_version_is_discarded() {
        let (record, issues) = parse("l=https://example.com/logo.svg; v=BIMI1");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["bimi.version.missing"]);
    }

    #[test]
    fn multiple_records_mean_no_logo() {
        let (record, issues) = parse_rrset(&["v=BIMI1; l=", "v=BIMI1; l=https://e.example/x.svg"]);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["bimi.record.multiple"]);
    }

    #[test]
    fn display_is_canonical() {
        let (record, _) = parse("v=BIMI1;a=https://e.example/a.pem;l=https://e.example/l.svg;");
        assert_eq!(
            record.unwrap().to_string(),
            "v=BIMI1; l=https://e.example/l.svg; a=https://e.example/a.pem"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn tag() -> impl Strategy<Value = String> {
            prop_oneof![
                "l=(https?://[a-z]{1,5}\\.example/[a-z]{0,5}(\\.svg|\\.png)?)?",
                "a=(https://[a-z]{1,5}\\.example/[a-z]{0,5}\\.pem)?",
                "avp=(brand|personal|x)",
                "[a-z]{1,4}=[!-:<-~]{0,8}",
            ]
        }

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,200}") {
                let _ = parse(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_record(tags in prop::collection::vec(tag(), 0..5)) {
                let text = format!("v=BIMI1; {}", tags.join("; "));
                if let (Some(record), _) = parse(&text) {
                    let shown = record.to_string();
                    prop_assert_eq!(parse(&shown).0, Some(record), "{}", shown);
                }
            }
        }
    }
}
