//! CAA presentation format.
//!
//! ```text
//! RFC 8659 §4.1.1
//!   Flags:  Is an unsigned integer between 0 and 255.
//!   Tag:  Is a non-zero-length sequence of ASCII letters and numbers in
//!      lowercase.
//!   Value:  The value field, expressed as either (1) a contiguous set of
//!      characters without interior spaces or (2) a quoted string.
//! RFC 1035 §5.1 (character strings)
//!   \X    where X is any character other than a digit, quotes X
//!   \DDD  where each D is a digit is the octet with decimal value DDD
//!
//!   CAA 0 issue "ca1.example.net"
//! ```
//!
//! Issue ids: `caa.presentation.missing_field`, `caa.presentation.invalid_flags`,
//! `caa.presentation.invalid_value` (an unterminated quote, a bad escape,
//! text after the closing quote, or a value that is not UTF-8); all Errors,
//! and the property is `None`. A parsed property also carries the issues of
//! [`Caa::lint`].

use super::Caa;
use crate::record_issue::{IssueLevel, RecordIssue, Span};

/// Parses `flags tag value`.
pub fn parse_presentation(text: &str) -> (Option<Caa>, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    let mut rest = text;
    let mut fields = Vec::new();
    for name in ["flags", "tag"] {
        let start = text.len() - rest.trim_start().len();
        rest = rest.trim_start();
        let end = rest.find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len());
        let (field, after) = rest.split_at_checked(end).unwrap_or((rest, ""));
        if field.is_empty() {
            issues.push(RecordIssue::whole(
                "caa.presentation.missing_field",
                IssueLevel::Error,
                format!("the {name} field is missing; a CAA record is flags, tag, value"),
            ));
            return (None, issues);
        }
        fields.push((start, field));
        rest = after;
    }
    let [(flags_start, flags), (_, tag)] = fields.as_slice() else {
        return (None, issues);
    };
    let Some(flags) = flags
        .parse::<u8>()
        .ok()
        .filter(|_| flags.bytes().all(|b| b.is_ascii_digit()))
    else {
        issues.push(RecordIssue::at(
            "caa.presentation.invalid_flags",
            IssueLevel::Error,
            Span::new(*flags_start, flags_start + flags.len()),
            format!("flags {flags:?} is not a number from 0 to 255"),
        ));
        return (None, issues);
    };
    let value_start = text.len() - rest.trim_start().len();
    let value = rest.trim();
    let value_span = Span::new(value_start, value_start + value.len());
    match character_string(value) {
        Ok(value) => {
            let caa = Caa::new(flags, *tag, value);
            issues.extend(caa.lint());
            (Some(caa), issues)
        }
        Err(problem) => {
            issues.push(RecordIssue::at(
                "caa.presentation.invalid_value",
                IssueLevel::Error,
                value_span,
                format!("the value {value:?} {problem}"),
            ));
            (None, issues)
        }
    }
}

/// Decodes a quoted or contiguous character string with RFC 1035 escapes.
fn character_string(text: &str) -> Result<String, &'static str> {
    let (body, quoted) = match text.strip_prefix('"') {
        Some(rest) => (rest, true),
        None => (text, false),
    };
    let mut bytes = Vec::with_capacity(body.len());
    let mut chars = body.char_indices();
    let mut closed = false;
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' => match chars.next() {
                Some((_, d)) if d.is_ascii_digit() => {
                    let digits: String = std::iter::once(d)
                        .chain(chars.by_ref().take(2).map(|(_, c)| c))
                        .collect();
                    if digits.len() != 3 || !digits.bytes().all(|b| b.is_ascii_digit()) {
                        return Err("has an escape \\DDD without three digits");
                    }
                    bytes.push(
                        digits
                            .parse::<u8>()
                            .map_err(|_| "has an escape \\DDD above 255")?,
                    );
                }
                Some((_, other)) => {
                    let mut buffer = [0; 4];
                    bytes.extend_from_slice(other.encode_utf8(&mut buffer).as_bytes());
                }
                None => return Err("ends in a lone backslash"),
            },
            '"' if quoted => {
                if !body.get(at + 1..).unwrap_or_default().trim().is_empty() {
                    return Err("has text after the closing quote");
                }
                closed = true;
                break;
            }
            c if !quoted && c.is_ascii_whitespace() => return Err("has a space; quote a value with spaces"),
            c => {
                let mut buffer = [0; 4];
                bytes.extend_from_slice(c.encode_utf8(&mut buffer).as_bytes());
            }
        }
    }
    if quoted && !closed {
        return Err("has no closing quote");
    }
    String::from_utf8(bytes).map_err(|_| "is not UTF-8 text once escapes are decoded")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    #[test]
    fn rfc_8659_example_is_read() {
        let (caa, issues) = parse_presentation("0 issue \"ca1.example.net\"");
        assert_eq!(caa, Some(Caa::new(0, "issue", "ca1.example.net")));
        assert_eq!(issues, []);
    }

    #[test]
    fn unquoted_value_is_read() {
        let (caa, _) = parse_presentation("128 issuewild ;");
        assert_eq!(caa, Some(Caa::new(128, "issuewild", ";")));
    }

    #[test]
    fn escapes_are_decoded() {
        let (caa, _) = parse_presentation(r#"0 tbs "a\"b\\c\010""#);
        assert_eq!(caa.unwrap().value, "a\"b\\c\n");
    }

    #[test]
    fn empty_quoted_value_is_allowed() {
        let (caa, _) = parse_presentation("0 issue \"\"");
        assert_eq!(caa.unwrap().value, "");
    }

    #[test]
    fn flags_above_255_are_invalid() {
        let text = "256 issue \"ca.example\"";
        let (caa, issues) = parse_presentation(text);
        assert_eq!(caa, None);
        assert_eq!(ids(&issues), ["caa.presentation.invalid_flags"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("256"));
    }

    #[test]
    fn unterminated_quote_is_invalid() {
        let (caa, issues) = parse_presentation("0 issue \"ca.example");
        assert_eq!(caa, None);
        assert_eq!(ids(&issues), ["caa.presentation.invalid_value"]);
    }

    #[test]
    fn missing_tag_is_reported() {
        let (caa, issues) = parse_presentation("0");
        assert_eq!(caa, None);
        assert_eq!(ids(&issues), ["caa.presentation.missing_field"]);
    }

    #[test]
    fn lint_issues_come_along() {
        let (_, issues) = parse_presentation("128 tbs \"x\"");
        assert_eq!(ids(&issues), ["caa.tag.unknown_critical"]);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,200}") {
                let _ = parse_presentation(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_property(
                flags in any::<u8>(),
                tag in "[a-zA-Z0-9]{1,15}",
                value in "\\PC{0,40}|[\\x00-\\x7f]{0,40}",
            ) {
                let caa = Caa::new(flags, tag, value);
                prop_assert_eq!(parse_presentation(&caa.to_string()).0, Some(caa));
            }
        }
    }
}
