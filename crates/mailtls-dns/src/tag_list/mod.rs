//! Tag=value lists (RFC 6376 §3.2), the syntax shared by DKIM key records,
//! DMARC, the MTA-STS TXT record, TLS-RPT and BIMI.
//!
//! ```text
//! RFC 6376 §3.2
//!   tag-list  =  tag-spec *( ";" tag-spec ) [ ";" ]
//!   tag-spec  =  [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
//!   tag-name  =  ALPHA *ALNUMPUNC
//!   tag-value =  [ tval *( 1*(WSP / FWS) tval ) ]
//!                     ; Prohibits WSP and FWS at beginning and end
//!   tval      =  1*VALCHAR
//!   VALCHAR   =  %x21-3A / %x3C-7E
//!                     ; EXCLAMATION to TILDE except SEMICOLON
//!   ALNUMPUNC =  ALPHA / DIGIT / "_"
//! RFC 6376 §2.8
//!   FWS       =  [*WSP CRLF] 1*WSP
//!
//! "Tags with duplicate names MUST NOT occur within a single tag-list; if a
//!  tag name does occur more than once, the entire tag-list is invalid."
//!
//! RFC 8461 §3.1 (MTA-STS) and RFC 8460 §3 (TLS-RPT) name their extension tags
//!   sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
//! ```
//!
//! The parser is lenient: it reads every well-formed tag, reports each
//! problem as a [`RecordIssue`] with its byte span, and leaves the verdict on
//! the whole record to the record's own parser. Issue ids are prefixed with
//! the record type ([`Grammar::issue_prefix`]):
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `<prefix>.syntax.empty_tag` | Notice | `;;` or `; ;` in the middle of the list |
//! | `<prefix>.syntax.malformed_tag` | Error | a tag-spec without `=`; it is skipped |
//! | `<prefix>.syntax.invalid_tag_name` | Error | a tag name outside the grammar; the tag is skipped |
//! | `<prefix>.syntax.invalid_value` | Error | a character outside VALCHAR in a value; the tag is kept |
//! | `<prefix>.syntax.duplicate_tag` | Error | a tag name seen before; the first one is kept |

pub mod uri;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue, Span};

/// Which characters a tag name may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TagNameRule {
    /// `ALPHA *ALNUMPUNC` (RFC 6376 §3.2): DKIM, DMARC, BIMI.
    Alnumpunc,
    /// `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`: MTA-STS and TLS-RPT.
    Extension,
}

/// The flavour of tag-list a record type uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grammar {
    /// The first part of every issue id, e.g. `dmarc`.
    pub issue_prefix: &'static str,
    /// The tag name rule.
    pub tag_names: TagNameRule,
    /// Whether `P=` and `p=` name the same tag. RFC 6376 says tags are
    /// case-sensitive; RFC 7489 writes its tag names as ABNF strings, which
    /// are case-insensitive.
    pub names_ignore_case: bool,
}

/// One `name=value` pair, borrowed from the record text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag<'r> {
    /// The tag name as written.
    pub name: &'r str,
    /// The value, without surrounding whitespace; may be empty.
    pub value: &'r str,
    /// Where the name is.
    pub name_span: Span,
    /// Where the value is (an empty span right after `=` for an empty value).
    pub value_span: Span,
}

impl Tag<'_> {
    /// The span from the start of the name to the end of the value.
    pub fn span(&self) -> Span {
        Span::new(self.name_span.start, self.value_span.end.max(self.name_span.end))
    }
}

/// The tags of a record, in the order written, duplicates removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagList<'r> {
    /// The tags in order.
    pub tags: Vec<Tag<'r>>,
    names_ignore_case: bool,
}

impl<'r> TagList<'r> {
    /// The tag called `name`, if present.
    pub fn get(&self, name: &str) -> Option<&Tag<'r>> {
        self.tags
            .iter()
            .find(|tag| same_name(tag.name, name, self.names_ignore_case))
    }

    /// The first tag of the record, which is the version tag for every
    /// record type that has one.
    pub fn first(&self) -> Option<&Tag<'r>> {
        self.tags.first()
    }

    /// Whether `name` is the name of tag `tag` under this list's case rule.
    pub fn is(&self, tag: &Tag<'_>, name: &str) -> bool {
        same_name(tag.name, name, self.names_ignore_case)
    }
}

/// A tag that the record's specification does not define (or that this
/// parser does not know), kept as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnknownTag {
    /// The tag name.
    pub name: String,
    /// The tag value.
    pub value: String,
}

fn same_name(a: &str, b: &str, ignore_case: bool) -> bool {
    if ignore_case {
        a.eq_ignore_ascii_case(b)
    } else {
        a == b
    }
}

/// Parses `text` as a tag-list. Never fails: problems come back as issues.
pub fn parse(text: &str, grammar: Grammar) -> (TagList<'_>, Vec<RecordIssue>) {
    let mut list = TagList {
        tags: Vec::new(),
        names_ignore_case: grammar.names_ignore_case,
    };
    let mut issues = Vec::new();
    let segments = segments(text);
    let last = segments.len().saturating_sub(1);
    for (index, (start, end)) in segments.into_iter().enumerate() {
        let (start, end) = trim_fws(text, start, end);
        if start == end {
            if index != last {
                issues.push(issue(
                    &grammar,
                    "empty_tag",
                    IssueLevel::Notice,
                    Span::new(start, end),
                    "an empty tag between two semicolons".to_owned(),
                ));
            }
            continue;
        }
        if let Some(tag) = parse_tag_spec(text, start, end, &grammar, &mut issues) {
            if let Some(first) = list.get(tag.name) {
                let first_text = first.span().text(text).unwrap_or_default().to_owned();
                issues.push(issue(
                    &grammar,
                    "duplicate_tag",
                    IssueLevel::Error,
                    tag.span(),
                    format!(
                        "tag {:?} occurs again (first as {first_text:?}); a tag may occur only once, \
                         so the whole record is invalid (RFC 6376 §3.2); this copy is ignored",
                        tag.name
                    ),
                ));
            } else {
                list.tags.push(tag);
            }
        }
    }
    (list, issues)
}

/// Whether the record's first tag is `v=<version>`, as the record selection
/// rules of DMARC (RFC 7489 §6.6.3), MTA-STS (RFC 8461 §3.1), TLS-RPT
/// (RFC 8460 §3) and BIMI require. The version value is compared exactly.
pub fn starts_with_version(text: &str, version: &str) -> bool {
    let first = text.split(';').next().unwrap_or_default();
    first.split_once('=').is_some_and(|(name, value)| {
        name.trim_matches(is_fws_char) == "v" && value.trim_matches(is_fws_char) == version
    })
}

/// The record selection shared by DMARC (RFC 7489 §6.6.3), MTA-STS
/// (RFC 8461 §3.1), TLS-RPT (RFC 8460 §3) and BIMI: of the TXT records at one
/// name (strings joined), those not starting with `v=<version>` are
/// discarded, and exactly one must remain; it is parsed with `parse`.
/// `missing` is reported when none remains, `multiple(n)` when `n` remain.
pub fn select_record<R, S: AsRef<str>>(
    txt_records: &[S],
    version: &str,
    parse: impl FnOnce(&str) -> (Option<R>, Vec<RecordIssue>),
    missing: RecordIssue,
    multiple: impl FnOnce(usize) -> RecordIssue,
) -> (Option<R>, Vec<RecordIssue>) {
    let candidates: Vec<&str> = txt_records
        .iter()
        .map(AsRef::as_ref)
        .filter(|text| starts_with_version(text, version))
        .collect();
    match candidates.as_slice() {
        [] => (None, vec![missing]),
        [one] => parse(one),
        several => (None, vec![multiple(several.len())]),
    }
}

/// The byte ranges between semicolons (';' is never part of a value).
fn segments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (at, _) in text.match_indices(';') {
        out.push((start, at));
        start = at + 1;
    }
    out.push((start, text.len()));
    out
}

fn is_fws_char(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n')
}

/// Narrows `start..end` to exclude whitespace at both ends.
fn trim_fws(text: &str, start: usize, end: usize) -> (usize, usize) {
    let piece = text.get(start..end).unwrap_or_default();
    let leading = piece.len() - piece.trim_start_matches(is_fws_char).len();
    let trailing = piece.len() - piece.trim_end_matches(is_fws_char).len();
    if leading == piece.len() {
        return (start, start);
    }
    (start + leading, end - trailing)
}

fn parse_tag_spec<'r>(
    text: &'r str,
    start: usize,
    end: usize,
    grammar: &Grammar,
    issues: &mut Vec<RecordIssue>,
) -> Option<Tag<'r>> {
    let spec = text.get(start..end).unwrap_or_default();
    let Some(equals) = spec.find('=') else {
        issues.push(issue(
            grammar,
            "malformed_tag",
            IssueLevel::Error,
            Span::new(start, end),
            format!("{spec:?} is not a tag=value pair; it is ignored"),
        ));
        return None;
    };
    let (name_start, name_end) = trim_fws(text, start, start + equals);
    let (value_start, value_end) = trim_fws(text, start + equals + 1, end);
    let value_start = if value_start == value_end {
        start + equals + 1
    } else {
        value_start
    };
    let value_end = value_end.max(value_start);
    let name = text.get(name_start..name_end).unwrap_or_default();
    let value = text.get(value_start..value_end).unwrap_or_default();
    let name_span = Span::new(name_start, name_end);
    if let Some(problem) = tag_name_problem(name, grammar.tag_names) {
        issues.push(issue(
            grammar,
            "invalid_tag_name",
            IssueLevel::Error,
            if name.is_empty() {
                Span::new(start, end)
            } else {
                name_span
            },
            format!("{name:?} is not a valid tag name ({problem}); the tag is ignored"),
        ));
        return None;
    }
    if let Some((offset, character)) = invalid_value_char(value) {
        issues.push(issue(
            grammar,
            "invalid_value",
            IssueLevel::Error,
            Span::new(value_start + offset, value_start + offset + character.len_utf8()),
            format!(
                "the value of tag {name:?} contains {character:?}; values hold printable ASCII \
                 characters and inner whitespace only (RFC 6376 §3.2)"
            ),
        ));
    }
    Some(Tag {
        name,
        value,
        name_span,
        value_span: Span::new(value_start, value_end),
    })
}

fn tag_name_problem(name: &str, rule: TagNameRule) -> Option<&'static str> {
    let mut chars = name.chars();
    let Some(first) = chars.next() else {
        return Some("it is empty");
    };
    match rule {
        TagNameRule::Alnumpunc => {
            if !first.is_ascii_alphabetic() {
                return Some("it must start with a letter");
            }
            if !chars.all(|c| c.is_ascii_alphanumeric() || c == '_') {
                return Some("only letters, digits and '_' are allowed");
            }
        }
        TagNameRule::Extension => {
            if !first.is_ascii_alphanumeric() {
                return Some("it must start with a letter or digit");
            }
            if name.len() > 32 {
                return Some("it may be at most 32 characters long");
            }
            if !chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
                return Some("only letters, digits, '_', '-' and '.' are allowed");
            }
        }
    }
    None
}

/// The first character of `value` that is neither VALCHAR nor part of
/// inner folding whitespace, with its byte offset.
fn invalid_value_char(value: &str) -> Option<(usize, char)> {
    let mut chars = value.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let allowed = match c {
            '!'..='~' | ' ' | '\t' => true,
            // CRLF is folding whitespace only when whitespace follows it.
            '\r' => {
                chars.next_if(|&(_, next)| next == '\n').is_some()
                    && chars.peek().is_some_and(|&(_, next)| next == ' ' || next == '\t')
            }
            _ => false,
        };
        if !allowed {
            return Some((offset, c));
        }
    }
    None
}

fn issue(grammar: &Grammar, what: &str, level: IssueLevel, span: Span, message: String) -> RecordIssue {
    RecordIssue::at(
        &format!("{}.syntax.{what}", grammar.issue_prefix),
        level,
        span,
        message,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const DKIM: Grammar = Grammar {
        issue_prefix: "dkim",
        tag_names: TagNameRule::Alnumpunc,
        names_ignore_case: false,
    };
    const DMARC: Grammar = Grammar {
        issue_prefix: "dmarc",
        tag_names: TagNameRule::Alnumpunc,
        names_ignore_case: true,
    };
    const STS: Grammar = Grammar {
        issue_prefix: "mta_sts",
        tag_names: TagNameRule::Extension,
        names_ignore_case: false,
    };

    fn names_and_values<'r>(list: &TagList<'r>) -> Vec<(&'r str, &'r str)> {
        list.tags.iter().map(|tag| (tag.name, tag.value)).collect()
    }

    #[test]
    fn rfc_6376_key_record_splits_into_tags() {
        let (list, issues) = parse("v=DKIM1; k=rsa; p=MIGfMA0G", DKIM);
        assert_eq!(
            names_and_values(&list),
            [("v", "DKIM1"), ("k", "rsa"), ("p", "MIGfMA0G")]
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn spans_point_at_name_and_value() {
        let text = " v = DKIM1 ;p=";
        let (list, _) = parse(text, DKIM);
        let v = list.tags[0];
        assert_eq!(v.name_span.text(text), Some("v"));
        assert_eq!(v.value_span.text(text), Some("DKIM1"));
        assert_eq!(v.span().text(text), Some("v = DKIM1"));
        let p = list.tags[1];
        assert_eq!(p.value, "");
        assert_eq!(p.value_span, Span::new(14, 14));
    }

    #[test]
    fn folding_whitespace_inside_a_value_is_kept() {
        let (list, issues) = parse("p=MIGf\r\n MA0G ab", DKIM);
        assert_eq!(list.tags[0].value, "MIGf\r\n MA0G ab");
        assert_eq!(issues, []);
    }

    #[test]
    fn bare_line_feed_inside_a_value_is_invalid() {
        let (list, issues) = parse("n=a\nb", DKIM);
        assert_eq!(list.tags.len(), 1);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "dkim.syntax.invalid_value");
        assert_eq!(issues[0].span, Some(Span::new(3, 4)));
    }

    #[test]
    fn trailing_semicolon_is_allowed() {
        let (list, issues) = parse("v=DMARC1; p=none;  ", DMARC);
        assert_eq!(list.tags.len(), 2);
        assert_eq!(issues, []);
    }

    #[test]
    fn empty_tag_in_the_middle_is_a_notice() {
        let (list, issues) = parse("v=DMARC1;; p=none", DMARC);
        assert_eq!(list.tags.len(), 2);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "dmarc.syntax.empty_tag");
        assert_eq!(issues[0].level, IssueLevel::Notice);
    }

    #[test]
    fn tag_without_equals_sign_is_skipped_with_an_error() {
        let text = "v=DMARC1; reject; p=none";
        let (list, issues) = parse(text, DMARC);
        assert_eq!(names_and_values(&list), [("v", "DMARC1"), ("p", "none")]);
        assert_eq!(issues[0].id, "dmarc.syntax.malformed_tag");
        assert_eq!(issues[0].span.unwrap().text(text), Some("reject"));
    }

    #[test]
    fn duplicate_tag_keeps_the_first_and_is_an_error() {
        let text = "v=DMARC1; p=none; p=reject";
        let (list, issues) = parse(text, DMARC);
        assert_eq!(list.get("p").unwrap().value, "none");
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "dmarc.syntax.duplicate_tag");
        assert_eq!(issues[0].level, IssueLevel::Error);
        assert_eq!(issues[0].span.unwrap().text(text), Some("p=reject"));
    }

    #[test]
    fn dmarc_tag_names_ignore_case_but_dkim_names_do_not() {
        let (dmarc, dmarc_issues) = parse("p=none; P=reject", DMARC);
        assert_eq!(dmarc.tags.len(), 1);
        assert_eq!(dmarc_issues[0].id, "dmarc.syntax.duplicate_tag");
        let (dkim, dkim_issues) = parse("p=abc; P=def", DKIM);
        assert_eq!(dkim.tags.len(), 2);
        assert_eq!(dkim_issues, []);
        assert_eq!(dkim.get("P").unwrap().value, "def");
    }

    #[test]
    fn tag_name_starting_with_a_digit_is_invalid_for_dkim_but_not_for_sts() {
        let (dkim, dkim_issues) = parse("1x=a", DKIM);
        assert_eq!(dkim.tags, []);
        assert_eq!(dkim_issues[0].id, "dkim.syntax.invalid_tag_name");
        let (sts, sts_issues) = parse("1x-y.z=a", STS);
        assert_eq!(names_and_values(&sts), [("1x-y.z", "a")]);
        assert_eq!(sts_issues, []);
    }

    #[test]
    fn value_with_non_ascii_is_kept_but_reported() {
        let (list, issues) = parse("n=caf\u{e9}", DKIM);
        assert_eq!(list.tags[0].value, "caf\u{e9}");
        assert_eq!(issues[0].id, "dkim.syntax.invalid_value");
        assert_eq!(issues[0].span, Some(Span::new(5, 7)));
    }

    #[test]
    fn empty_text_has_no_tags_and_no_issues() {
        let (list, issues) = parse("", DKIM);
        assert_eq!(list.tags, []);
        assert_eq!(issues, []);
    }

    #[test]
    fn version_check_reads_only_the_first_tag() {
        assert!(starts_with_version("v=DMARC1; p=none", "DMARC1"));
        assert!(starts_with_version(" v = DMARC1 ", "DMARC1"));
        assert!(!starts_with_version("p=none; v=DMARC1", "DMARC1"));
        assert!(!starts_with_version("v=dmarc1; p=none", "DMARC1"));
        assert!(!starts_with_version("v=spf1 -all", "DMARC1"));
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics_and_spans_lie_inside(text in "\\PC{0,200}") {
                let (list, issues) = parse(&text, DKIM);
                for tag in &list.tags {
                    prop_assert_eq!(tag.name_span.text(&text), Some(tag.name));
                    prop_assert_eq!(tag.value_span.text(&text), Some(tag.value));
                }
                for issue in issues {
                    let span = issue.span.unwrap();
                    prop_assert!(span.text(&text).is_some());
                }
            }
        }
    }
}
