//! The MTA-STS TXT record at `_mta-sts.<domain>`.
//!
//! ```text
//! RFC 8461 §3.1
//!   sts-text-record = sts-version 1*(sts-sep sts-field) [sts-sep]
//!   sts-field       = sts-id /                        ; Note that sts-id record
//!                     sts-extension                   ; is required.
//!   sts-version     = %s"v=STSv1"
//!   sts-sep         = *WSP %x3B *WSP                  ; ";"
//!   sts-id          = %s"id=" 1*32(ALPHA / DIGIT)     ; id=...
//!   sts-extension   = sts-ext-name "=" sts-ext-value  ; name=value
//!   sts-ext-name    = (ALPHA / DIGIT)
//!                     *31(ALPHA / DIGIT / "_" / "-" / ".")
//!   sts-ext-value   = 1*(%x21-3A / %x3C / %x3E-7E)
//!                     ; chars excluding "=", ";", SP, and control chars
//!
//!   If multiple TXT records for "_mta-sts" are returned by the resolver,
//!   records that do not begin with "v=STSv1;" are discarded. If the number
//!   of resulting records is not one, or if the resulting record is
//!   syntactically invalid, senders MUST assume the recipient domain does
//!   not have an available MTA-STS Policy.
//! ```

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue};
use crate::tag_list::{self, Grammar, TagNameRule, UnknownTag};

const GRAMMAR: Grammar = Grammar {
    issue_prefix: "mta_sts",
    tag_names: TagNameRule::Extension,
    names_ignore_case: false,
};

const VERSION: &str = "STSv1";

/// An MTA-STS TXT record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MtaStsRecord {
    /// `id`: changes whenever the policy changes, so that senders refetch it.
    pub id: String,
    /// Extension tags, kept as written.
    pub extensions: Vec<UnknownTag>,
}

/// The canonical text: `v=STSv1; id=…` then the extensions.
impl fmt::Display for MtaStsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v=STSv1; id={}", self.id)?;
        for tag in &self.extensions {
            write!(f, "; {}={}", tag.name, tag.value)?;
        }
        Ok(())
    }
}

/// Parses one TXT record (strings joined) as an MTA-STS record; `None` when
/// senders would assume no policy because of it. Spans refer to `text`.
pub fn parse_txt(text: &str) -> (Option<MtaStsRecord>, Vec<RecordIssue>) {
    let (tags, mut issues) = tag_list::parse(text, GRAMMAR);
    if !tags
        .first()
        .is_some_and(|tag| tag.name == "v" && tag.value == VERSION)
    {
        issues.push(RecordIssue::whole(
            "mta_sts.version.missing",
            IssueLevel::Error,
            "the record does not start with v=STSv1, so senders discard it (RFC 8461 §3.1)",
        ));
        return (None, issues);
    }
    let mut id = None;
    let mut extensions = Vec::new();
    for tag in tags.tags.iter().skip(1) {
        if tag.name == "id" {
            if !tag.value.is_empty()
                && tag.value.len() <= 32
                && tag.value.bytes().all(|b| b.is_ascii_alphanumeric())
            {
                id = Some(tag.value.to_owned());
            } else {
                issues.push(RecordIssue::at(
                    "mta_sts.id.invalid",
                    IssueLevel::Error,
                    tag.span(),
                    format!(
                        "id={:?} is not 1 to 32 letters and digits (RFC 8461 §3.1)",
                        tag.value
                    ),
                ));
            }
        } else {
            extensions.push(UnknownTag {
                name: tag.name.to_owned(),
                value: tag.value.to_owned(),
            });
        }
    }
    let Some(id) = id else {
        if tags.get("id").is_none() {
            issues.push(RecordIssue::whole(
                "mta_sts.id.missing",
                IssueLevel::Error,
                "the record has no id, so senders assume there is no MTA-STS policy",
            ));
        }
        return (None, issues);
    };
    (Some(MtaStsRecord { id, extensions }), issues)
}

/// Applies the record selection of RFC 8461 §3.1 to every TXT record
/// (strings joined) at `_mta-sts.<domain>`.
pub fn parse_txt_rrset<S: AsRef<str>>(txt_records: &[S]) -> (Option<MtaStsRecord>, Vec<RecordIssue>) {
    tag_list::select_record(
        txt_records,
        VERSION,
        parse_txt,
        RecordIssue::whole(
            "mta_sts.record.missing",
            IssueLevel::Notice,
            "no TXT record at _mta-sts starts with v=STSv1: the domain publishes no MTA-STS policy",
        ),
        |count| {
            RecordIssue::whole(
                "mta_sts.record.multiple",
                IssueLevel::Error,
                format!(
                    "{count} TXT records at _mta-sts start with v=STSv1; with more than one, senders assume \
                     there is no policy (RFC 8461 §3.1)"
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
    fn rfc_8461_example_is_read() {
        // RFC 8461 §3.1
        let (record, issues) = parse_txt("v=STSv1; id=20160831085700Z;");
        assert_eq!(
            record,
            Some(MtaStsRecord {
                id: "20160831085700Z".into(),
                extensions: vec![]
            })
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn extension_tags_are_kept() {
        let (record, issues) = parse_txt("v=STSv1; id=abc; ext-1.x=value");
        assert_eq!(
            record.unwrap().extensions,
            [UnknownTag {
                name: "ext-1.x".into(),
                value: "value".into()
            }]
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn missing_id_means_no_policy() {
        let (record, issues) = parse_txt("v=STSv1;");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["mta_sts.id.missing"]);
    }

    #[test]
    fn id_with_punctuation_is_invalid() {
        let text = "v=STSv1; id=2024-01-01";
        let (record, issues) = parse_txt(text);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["mta_sts.id.invalid"]);
        assert_eq!(issues[0].span.unwrap().text(text), Some("id=2024-01-01"));
    }

    #[test]
    fn id_longer_than_32_is_invalid() {
        let (record, issues) = parse_txt(&format!("v=STSv1; id={}", "a".repeat(33)));
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["mta_sts.id.invalid"]);
    }

    #[test]
    fn record_not_starting_with_version_is_discarded() {
        let (record, issues) = parse_txt("id=abc; v=STSv1");
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["mta_sts.version.missing"]);
    }

    #[test]
    fn multiple_records_mean_no_policy() {
        let (record, issues) = parse_txt_rrset(&["v=STSv1; id=a", "v=STSv1; id=b"]);
        assert_eq!(record, None);
        assert_eq!(ids(&issues), ["mta_sts.record.multiple"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
    }

    #[test]
    fn other_txt_records_are_discarded_from_the_set() {
        let (record, _) = parse_txt_rrset(&["hello", "v=STSv1; id=a"]);
        assert_eq!(record.unwrap().id, "a");
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_never_panics(text in "\\PC{0,200}") {
                let _ = parse_txt(&text);
            }

            #[test]
            fn display_then_parse_gives_the_same_record(
                id in "[A-Za-z0-9]{0,34}",
                extensions in prop::collection::vec("[a-z0-9][a-z0-9_.-]{0,8}=[!-:<>-~]{1,8}", 0..3),
            ) {
                let text = format!("v=STSv1; id={id}; {}", extensions.join("; "));
                if let (Some(record), _) = parse_txt(&text) {
                    let shown = record.to_string();
                    prop_assert_eq!(parse_txt(&shown).0, Some(record), "{}", shown);
                }
            }
        }
    }
}
