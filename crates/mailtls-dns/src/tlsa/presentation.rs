//! TLSA presentation format, as zone files and `dig` show it.
//!
//! ```text
//! RFC 6698 §2.2
//!   The certificate usage field MUST be represented as an 8-bit unsigned
//!   integer. The selector field MUST be represented as an 8-bit unsigned
//!   integer. The matching type field MUST be represented as an 8-bit
//!   unsigned integer. The certificate association data field MUST be
//!   represented as a string of hexadecimal characters. Whitespace is
//!   allowed within the string of hexadecimal characters.
//!
//!   _443._tcp.www.example.com. IN TLSA (
//!      0 0 1 d2abde240d7cd3ee6b4b28c54df034b9
//!            7983a1d16e8a410e4561cb106618e971 )
//! ```
//!
//! Issue ids: `tlsa.presentation.missing_field` (fewer than four fields),
//! `tlsa.presentation.invalid_number` (a field that is not 0 to 255),
//! `tlsa.presentation.invalid_hex` (association data that is not hex); all
//! Errors, and the record is `None`. A parsed record also carries the
//! issues of [`Tlsa::lint`].

use super::{Tlsa, hex_string};
use crate::record_issue::{IssueLevel, RecordIssue, Span};

/// Parses `usage selector matching-type hex…`; zone file parentheses are
/// accepted around the fields.
pub fn parse_presentation(text: &str) -> (Option<Tlsa>, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    let tokens: Vec<(usize, &str)> = tokens(text)
        .filter(|(_, token)| !matches!(*token, "(" | ")"))
        .collect();
    let mut numbers = [0u8; 3];
    for (index, name) in ["certificate usage", "selector", "matching type"]
        .into_iter()
        .enumerate()
    {
        let Some(&(offset, token)) = tokens.get(index) else {
            issues.push(RecordIssue::whole(
                "tlsa.presentation.missing_field",
                IssueLevel::Error,
                format!("the {name} field is missing; a TLSA record is usage, selector, matching type, data"),
            ));
            return (None, issues);
        };
        let valid = token.bytes().all(|b| b.is_ascii_digit()) && token.len() <= 3;
        match token.parse::<u8>().ok().filter(|_| valid) {
            Some(number) => {
                if let Some(slot) = numbers.get_mut(index) {
                    *slot = number;
                }
            }
            None => {
                issues.push(RecordIssue::at(
                    "tlsa.presentation.invalid_number",
                    IssueLevel::Error,
                    Span::new(offset, offset + token.len()),
                    format!("the {name} {token:?} is not a number from 0 to 255"),
                ));
                return (None, issues);
            }
        }
    }
    let data_tokens = tokens.get(3..).unwrap_or_default();
    let Some(&(data_start, _)) = data_tokens.first() else {
        issues.push(RecordIssue::whole(
            "tlsa.presentation.missing_field",
            IssueLevel::Error,
            "the certificate association data is missing",
        ));
        return (None, issues);
    };
    let hex: String = data_tokens.iter().map(|(_, token)| *token).collect();
    let Some(data) = hex_string::decode(&hex) else {
        let data_end = data_tokens
            .last()
            .map_or(data_start, |(offset, token)| offset + token.len());
        issues.push(RecordIssue::at(
            "tlsa.presentation.invalid_hex",
            IssueLevel::Error,
            Span::new(data_start, data_end),
            "the certificate association data is not an even number of hexadecimal digits",
        ));
        return (None, issues);
    };
    let [usage, selector, matching_type] = numbers;
    let record = Tlsa::new(usage, selector, matching_type, data);
    issues.extend(record.lint());
    (Some(record), issues)
}

/// Whitespace-separated tokens with their byte offsets.
fn tokens(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.split(|c: char| c.is_ascii_whitespace())
        .scan(0usize, |offset, piece| {
            let start = *offset;
            *offset += piece.len() + 1;
            Some((start, piece))
        })
        .filter(|(_, piece)| !piece.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;
    use crate::tlsa::{CertUsage, MatchingType, Selector};

    #[test]
    fn rfc_6698_example_with_parentheses_is_read() {
        let (record, issues) = parse_presentation(
            "( 0 0 1 d2abde240d7cd3ee6b4b28c54df034b9\n 7983a1d16e8a410e4561cb106618e971 )",
        );
        let record = record.unwrap();
        assert_eq!(record.usage, CertUsage::PkixTa);
        assert_eq!(record.selector, Selector::FullCertificate);
        assert_eq!(record.matching_type, MatchingType::Sha256);
        assert_eq!(record.data.len(), 32);
        assert_eq!(ids(&issues), ["tlsa.usage.pkix"]);
    }

    #[test]
    fn uppercase_hex_is_accepted() {
        let (record, issues) = parse_presentation(&format!("3 1 1 {}", "AB".repeat(32)));
        assert_eq!(record.unwrap().data, vec![0xab; 32]);
        assert_eq!(issues, []);
    }

    #[test]
    fn missing_data_is_an_error() {
        let (record, issues) = parse_presentation("3 1 1");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tlsa.presentation.missing_field"]);
    }

    #[test]
    fn number_above_255_is_an_error_with_its_span() {
        let text = "3 256 1 00";
        let (record, issues) = parse_presentation(text);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tlsa.presentation.invalid_number"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("256"));
    }

    #[test]
    fn odd_hex_is_an_error() {
        let (record, issues) = parse_presentation("3 1 1 abc");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["tlsa.presentation.invalid_hex"]);
    }

    #[test]
    fn wrong_digest_length_is_linted() {
        let (record, issues) = parse_presentation("3 1 1 abcd");
        assert!(record.is_some());
        assert_eq!(ids(&issues), ["tlsa.data.length"]);
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
            fn display_then_parse_gives_the_same_record(
                usage in any::<u8>(),
                selector in any::<u8>(),
                matching_type in any::<u8>(),
                data in prop::collection::vec(any::<u8>(), 1..80),
            ) {
                let record = Tlsa::new(usage, selector, matching_type, data);
                prop_assert_eq!(parse_presentation(&record.to_string()).0, Some(record));
            }
        }
    }
}
