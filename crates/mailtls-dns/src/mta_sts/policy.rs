//! The MTA-STS policy file served at `https://mta-sts.<domain>/.well-known/mta-sts.txt`.
//!
//! ```text
//! RFC 8461 §3.2
//!   sts-policy-record        = sts-policy-field *WSP
//!                              *(sts-policy-term sts-policy-field *WSP)
//!                              [sts-policy-term]
//!   sts-policy-field         = sts-policy-version /      ; required once
//!                              sts-policy-mode    /      ; required once
//!                              sts-policy-max-age /      ; required once
//!                              sts-policy-mx /
//!                              ; required at least once, except when
//!                              ; mode is "none"
//!                              sts-policy-extension      ; other fields
//!   sts-policy-field-delim   = ":" *WSP
//!   sts-policy-version       = sts-policy-version-field sts-policy-field-delim
//!                              sts-policy-version-value
//!   sts-policy-version-field = %s"version"
//!   sts-policy-version-value = %s"STSv1"
//!   sts-policy-mode-field    = %s"mode"
//!   sts-policy-mode-value    =  %s"testing" / %s"enforce" / %s"none"
//!   sts-policy-mx-field      = %s"mx"
//!   sts-policy-mx-value      = ["*."] Domain
//!   sts-policy-max-age-field = %s"max_age"
//!   sts-policy-max-age-value = 1*10(DIGIT)
//!   sts-policy-ext-name      = (ALPHA / DIGIT)
//!                              *31(ALPHA / DIGIT / "_" / "-" / ".")
//!   sts-policy-term          = LF / CRLF
//!   sts-policy-ext-value     = sts-policy-vchar
//!                              [*(%x20 / sts-policy-vchar)
//!                              sts-policy-vchar]
//!
//!   max_age: Max lifetime of the policy (plaintext non-negative integer
//!   seconds, maximum value of 31557600). Well-behaved clients SHOULD cache
//!   a policy for up to this value from the last policy fetch time. To
//!   mitigate the risks of attacks at policy refresh time, it is expected
//!   that this value typically be in the range of weeks or greater.
//!
//!   Unknown fields are ignored to allow for future extension.
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MxPattern;
use crate::record_issue::{IssueLevel, RecordIssue, Span};
use crate::tag_list::UnknownTag;

/// The largest `max_age` RFC 8461 allows: one year of 365.25 days.
pub const MAX_AGE_LIMIT: u64 = 31_557_600;

/// Below this `max_age` (one day) a policy gives little protection.
const SHORT_MAX_AGE: u64 = 86_400;

/// An MTA-STS policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MtaStsPolicy {
    /// `mode`.
    pub mode: MtaStsMode,
    /// `max_age` in seconds.
    pub max_age: u64,
    /// `mx` patterns, in order; only valid ones.
    pub mx: Vec<MxPattern>,
    /// Fields RFC 8461 does not define, as written.
    pub extensions: Vec<UnknownTag>,
}

/// The policy mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MtaStsMode {
    /// Senders must not deliver to MX hosts that fail the checks.
    Enforce,
    /// Senders report failures (TLS-RPT) but deliver anyway.
    Testing,
    /// The domain withdraws its policy.
    None,
}

impl MtaStsMode {
    fn from_value(value: &str) -> Option<Self> {
        match value {
            "enforce" => Some(Self::Enforce),
            "testing" => Some(Self::Testing),
            "none" => Some(Self::None),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            Self::Enforce => "enforce",
            Self::Testing => "testing",
            Self::None => "none",
        }
    }
}

impl fmt::Display for MtaStsMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The canonical text: CRLF-terminated lines, `version` first, then
/// `mode`, the `mx` lines, `max_age` and the extensions.
impl fmt::Display for MtaStsPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "version: STSv1\r\nmode: {}\r\n", self.mode)?;
        for pattern in &self.mx {
            write!(f, "mx: {pattern}\r\n")?;
        }
        write!(f, "max_age: {}\r\n", self.max_age)?;
        for field in &self.extensions {
            write!(f, "{}: {}\r\n", field.name, field.value)?;
        }
        Ok(())
    }
}

/// One `key: value` line with the spans of its parts.
struct Field<'p> {
    key: &'p str,
    value: &'p str,
    line: Span,
    value_span: Span,
}

/// Parses a policy file (the HTTP body as text). Returns `None` when the
/// policy is invalid (a required field missing or unreadable), with every
/// issue found; spans are byte offsets into `text`.
pub fn parse_policy(text: &str) -> (Option<MtaStsPolicy>, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    let fields = fields(text, &mut issues);
    let mut version = None;
    let mut mode = None;
    let mut max_age = None;
    let mut mx = Vec::new();
    let mut extensions = Vec::new();
    for field in &fields {
        match field.key {
            "version" => {
                if once(&mut version, field, &mut issues) {
                    version = Some(field.line);
                    if field.value != "STSv1" {
                        issues.push(RecordIssue::at(
                            "mta_sts.version.invalid",
                            IssueLevel::Error,
                            field.value_span,
                            format!("version is {:?}; only STSv1 is defined, so senders ignore the policy", field.value),
                        ));
                        return (None, issues);
                    }
                }
            }
            "mode" => {
                if once(&mut mode, field, &mut issues) {
                    let Some(value) = MtaStsMode::from_value(field.value) else {
                        issues.push(RecordIssue::at(
                            "mta_sts.mode.invalid",
                            IssueLevel::Error,
                            field.value_span,
                            format!("mode {:?} is not enforce, testing or none (case-sensitive)", field.value),
                        ));
                        return (None, issues);
                    };
                    mode = Some((value, field.line));
                }
            }
            "max_age" => {
                if once(&mut max_age, field, &mut issues) {
                    let valid = !field.value.is_empty()
                        && field.value.len() <= 10
                        && field.value.bytes().all(|b| b.is_ascii_digit());
                    let Some(value) = valid.then(|| field.value.parse::<u64>().ok()).flatten() else {
                        issues.push(RecordIssue::at(
                            "mta_sts.max_age.invalid",
                            IssueLevel::Error,
                            field.value_span,
                            format!("max_age {:?} is not a number of seconds (1 to 10 digits)", field.value),
                        ));
                        return (None, issues);
                    };
                    max_age = Some((value, field.value_span));
                }
            }
            "mx" => match MxPattern::parse(field.value) {
                Some(pattern) => mx.push(pattern),
                None => issues.push(RecordIssue::at(
                    "mta_sts.mx.invalid",
                    IssueLevel::Error,
                    field.value_span,
                    format!(
                        "mx {:?} is not a host name, nor \"*.\" followed by one (RFC 8461 §3.2); it is ignored",
                        field.value
                    ),
                )),
            },
            _ => {
                issues.push(RecordIssue::at(
                    "mta_sts.policy.unknown_field",
                    IssueLevel::Notice,
                    field.line,
                    format!("field {:?} is not defined by RFC 8461; senders ignore it", field.key),
                ));
                extensions.push(UnknownTag { name: field.key.to_owned(), value: field.value.to_owned() });
            }
        }
    }
    let required = [
        ("mta_sts.policy.version_missing", "version", version.is_some()),
        ("mta_sts.policy.mode_missing", "mode", mode.is_some()),
        ("mta_sts.policy.max_age_missing", "max_age", max_age.is_some()),
    ];
    for (id, name, present) in required {
        if !present {
            issues.push(RecordIssue::whole(
                id,
                IssueLevel::Error,
                format!(
                    "the policy has no {name} field, which is required: senders treat the policy as invalid"
                ),
            ));
        }
    }
    let (Some((mode, mode_line)), Some((max_age, max_age_span)), Some(_)) = (mode, max_age, version) else {
        return (None, issues);
    };
    let policy = MtaStsPolicy {
        mode,
        max_age,
        mx,
        extensions,
    };
    lint(&policy, mode_line, max_age_span, &mut issues);
    (Some(policy), issues)
}

/// Whether `field` is the first of its kind; reports a repeat.
fn once<T>(seen: &mut Option<T>, field: &Field<'_>, issues: &mut Vec<RecordIssue>) -> bool {
    if seen.is_none() {
        return true;
    }
    issues.push(RecordIssue::at(
        "mta_sts.policy.duplicate_field",
        IssueLevel::Error,
        field.line,
        format!(
            "{} occurs more than once; it is required once (RFC 8461 §3.2); the first counts",
            field.key
        ),
    ));
    false
}

/// Splits the policy into `key: value` fields (LF or CRLF line ends).
fn fields<'p>(text: &'p str, issues: &mut Vec<RecordIssue>) -> Vec<Field<'p>> {
    let mut fields = Vec::new();
    let mut start = 0;
    let mut lines: Vec<(usize, &str)> = Vec::new();
    for line in text.split('\n') {
        lines.push((start, line.strip_suffix('\r').unwrap_or(line)));
        start += line.len() + 1;
    }
    // A final line end leaves an empty last piece, which is not a blank line.
    if lines.last().is_some_and(|(_, line)| line.is_empty()) {
        lines.pop();
    }
    for (offset, line) in lines {
        let span = Span::new(offset, offset + line.len());
        if line.trim_matches([' ', '\t']).is_empty() {
            issues.push(RecordIssue::at(
                "mta_sts.policy.empty_line",
                IssueLevel::Notice,
                span,
                "a blank line between fields; RFC 8461 §3.2 has none, and strict senders may reject the policy",
            ));
            continue;
        }
        let malformed = |why: &str| {
            RecordIssue::at(
                "mta_sts.policy.malformed_line",
                IssueLevel::Error,
                span,
                format!("{line:?} {why}; the line is ignored"),
            )
        };
        let Some((key, value)) = line.split_once(':') else {
            issues.push(malformed("is not a key: value field"));
            continue;
        };
        if !valid_key(key) {
            issues.push(malformed(
                "does not start with a field name (letters, digits, '_', '-', '.')",
            ));
            continue;
        }
        let value_start =
            offset + key.len() + 1 + (value.len() - value.trim_start_matches([' ', '\t']).len());
        let value = value.trim_matches([' ', '\t']);
        if let Some(character) = value.chars().find(|c| c.is_control()) {
            issues.push(malformed(&format!("holds the control character {character:?}")));
            continue;
        }
        fields.push(Field {
            key,
            value,
            line: span,
            value_span: Span::new(value_start, value_start + value.len()),
        });
    }
    fields
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && key.len() <= 32
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

fn lint(policy: &MtaStsPolicy, mode_line: Span, max_age_span: Span, issues: &mut Vec<RecordIssue>) {
    match policy.mode {
        MtaStsMode::Testing => issues.push(RecordIssue::at(
            "mta_sts.mode.testing",
            IssueLevel::Warning,
            mode_line,
            "mode: testing: senders report TLS failures but still deliver over unauthenticated connections",
        )),
        MtaStsMode::None => issues.push(RecordIssue::at(
            "mta_sts.mode.none",
            IssueLevel::Notice,
            mode_line,
            "mode: none: the domain withdraws its MTA-STS policy",
        )),
        MtaStsMode::Enforce => {}
    }
    if policy.mode != MtaStsMode::None && policy.mx.is_empty() {
        issues.push(RecordIssue::at(
            "mta_sts.mx.missing",
            IssueLevel::Error,
            mode_line,
            format!(
                "mode: {} without any valid mx pattern: no MX host can match, so enforcing senders \
                 cannot deliver at all",
                policy.mode
            ),
        ));
    }
    if policy.max_age > MAX_AGE_LIMIT {
        issues.push(RecordIssue::at(
            "mta_sts.max_age.above_maximum",
            IssueLevel::Warning,
            max_age_span,
            format!(
                "max_age {} is above the maximum of {MAX_AGE_LIMIT} seconds (RFC 8461 §3.2)",
                policy.max_age
            ),
        ));
    } else if policy.max_age < SHORT_MAX_AGE {
        issues.push(RecordIssue::at(
            "mta_sts.max_age.short",
            IssueLevel::Warning,
            max_age_span,
            format!(
                "max_age {} is under a day; senders soon forget the policy, and RFC 8461 §3.2 expects \
                 weeks or more to resist attacks at refresh time",
                policy.max_age
            ),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    /// RFC 8461 §3.2, the example policy.
    const RFC_EXAMPLE: &str = "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\n\
                               mx: backupmx.example.com\nmax_age: 604800\n";

    #[test]
    fn rfc_8461_example_policy_is_read() {
        let (policy, issues) = parse_policy(RFC_EXAMPLE);
        let policy = policy.unwrap();
        assert_eq!(policy.mode, MtaStsMode::Enforce);
        assert_eq!(policy.max_age, 604_800);
        let mx: Vec<String> = policy.mx.iter().map(ToString::to_string).collect();
        assert_eq!(mx, ["mail.example.com", "*.example.net", "backupmx.example.com"]);
        assert_eq!(issues, []);
    }

    #[test]
    fn crlf_line_ends_are_accepted() {
        let (policy, issues) = parse_policy(&RFC_EXAMPLE.replace('\n', "\r\n"));
        assert_eq!(policy.unwrap().mx.len(), 3);
        assert_eq!(issues, []);
    }

    #[test]
    fn testing_mode_is_a_warning_on_its_line() {
        let text = "version: STSv1\nmode: testing\nmx: mx.example.com\nmax_age: 86400";
        let (_, issues) = parse_policy(text);
        assert_eq!(ids(&issues), ["mta_sts.mode.testing"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("mode: testing"));
    }

    #[test]
    fn none_mode_without_mx_is_only_a_notice() {
        let (policy, issues) = parse_policy("version: STSv1\nmode: none\nmax_age: 86400\n");
        assert_eq!(policy.unwrap().mode, MtaStsMode::None);
        assert_eq!(ids(&issues), ["mta_sts.mode.none"]);
    }

    #[test]
    fn enforce_without_mx_is_an_error() {
        let (_, issues) = parse_policy("version: STSv1\nmode: enforce\nmax_age: 604800\n");
        assert_eq!(ids(&issues), ["mta_sts.mx.missing"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
    }

    #[test]
    fn short_max_age_is_a_warning_on_the_value() {
        let text = "version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 3600\n";
        let (_, issues) = parse_policy(text);
        assert_eq!(ids(&issues), ["mta_sts.max_age.short"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("3600"));
    }

    #[test]
    fn max_age_above_one_year_is_a_warning() {
        let (policy, issues) =
            parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 31557601\n");
        assert_eq!(policy.unwrap().max_age, 31_557_601);
        assert_eq!(ids(&issues), ["mta_sts.max_age.above_maximum"]);
    }

    #[test]
    fn eleven_digit_max_age_invalidates_the_policy() {
        let (policy, issues) =
            parse_policy("version: STSv1\nmode: enforce\nmx: a.example\nmax_age: 12345678901\n");
        assert_eq!(policy, None);
        assert_eq!(ids(&issues), ["mta_sts.max_age.invalid"]);
    }

    #[test]
    fn missing_version_invalidates_the_policy() {
        let (policy, issues) = parse_policy("mode: enforce\nmx: a.example\nmax_age: 604800\n");
        assert_eq!(policy, None);
        assert_eq!(ids(&issues), ["mta_sts.policy.version_missing"]);
    }

    #[test]
    fn uppercase_mode_is_invalid() {
        let (policy, issues) =
            parse_policy("version: STSv1\nmode: Enforce\nmx: a.example\nmax_age: 604800\n");
        assert_eq!(policy, None);
        assert_eq!(ids(&issues), ["mta_sts.mode.invalid"]);
    }

    #[test]
    fn bad_mx_pattern_is_skipped() {
        let text = "version: STSv1\nmode: enforce\nmx: mail.*.example\nmx: a.example\nmax_age: 604800\n";
        let (policy, issues) = parse_policy(text);
        assert_eq!(policy.unwrap().mx.len(), 1);
        assert_eq!(ids(&issues), ["mta_sts.mx.invalid"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("mail.*.example"));
    }

    #[test]
    fn duplicate_mode_keeps_the_first() {
        let (policy, issues) =
            parse_policy("version: STSv1\nmode: enforce\nmode: none\nmx: a.example\nmax_age: 604800\n");
        assert_eq!(policy.unwrap().mode, MtaStsMode::Enforce);
        assert_eq!(ids(&issues), ["mta_sts.policy.duplicate_field"]);
    }

    #[test]
    fn unknown_fields_and_garbage_lines_are_reported() {
        let text = "version: STSv1\nmode: enforce\n<html>\nfoo: bar\n\nmx: a.example\nmax_age: 604800\n";
        let (policy, issues) = parse_policy(text);
        assert_eq!(
            policy.unwrap().extensions,
            [UnknownTag {
                name: "foo".into(),
                value: "bar".into()
            }]
        );
        assert_eq!(
            ids(&issues),
            [
                "mta_sts.policy.malformed_line",
                "mta_sts.policy.empty_line",
                "mta_sts.policy.unknown_field"
            ]
        );
    }

    #[test]
    fn display_is_canonical_crlf() {
        let (policy, _) = parse_policy(RFC_EXAMPLE);
        assert_eq!(
            policy.unwrap().to_string(),
            "version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n\
             mx: backupmx.example.com\r\nmax_age: 604800\r\n"
        );
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        fn line() -> impl Strategy<Value = String> {
            prop_oneof![
                "version: STSv1",
                "mode: (enforce|testing|none)",
                "mx: (\\*\\.)?[a-z]{1,6}\\.(com|example)",
                "max_age: [0-9]{1,9}",
                "[a-z][a-z0-9_.-]{0,6}: [!-~]([ !-~]{0,6}[!-~])?",
            ]
        }

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,300}") {
                let _ = parse_policy(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_policy(lines in prop::collection::vec(line(), 0..10)) {
                let text = lines.join("\n");
                if let (Some(policy), _) = parse_policy(&text) {
                    let shown = policy.to_string();
                    prop_assert_eq!(parse_policy(&shown).0, Some(policy), "{}", shown);
                }
            }
        }
    }
}
