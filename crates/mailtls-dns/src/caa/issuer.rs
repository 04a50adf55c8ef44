//! The value of `issue` and `issuewild` (and of `issuemail`, `issuevmc`,
//! which use the same syntax).
//!
//! ```text
//! RFC 8659 §4.2
//!   issue-value = *WSP [issuer-domain-name *WSP]
//!      [";" *WSP [parameters *WSP]]
//!
//!   issuer-domain-name = label *("." label)
//!   label = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
//!
//!   parameters = (parameter *WSP ";" *WSP parameters) / parameter
//!   parameter = tag *WSP "=" *WSP value
//!   tag = (ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))
//!   value = *(%x21-3A / %x3C-7E)
//!
//!   If the value ... does not contain an issuer-domain-name, this
//!   indicates that no CA is authorized to issue.
//! ```

use mailtls_core::Domain;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue};

/// A parsed issuer value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct IssuerValue {
    /// The CA's domain; `None` when empty (no CA may issue) or invalid.
    pub issuer: Option<Domain>,
    /// Parameters after `;` (e.g. RFC 8657 `accounturi`, `validationmethods`).
    pub parameters: Vec<CaaParameter>,
}

/// One `tag=value` parameter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CaaParameter {
    /// The parameter tag.
    pub tag: String,
    /// The parameter value.
    pub value: String,
}

/// Parses an issuer value of property `tag` (used in the issue ids,
/// `caa.<tag>.invalid` and `caa.<tag>.nobody`). `None` when the value is
/// outside the grammar; a CA then finds no authorisation for itself in it.
pub fn parse_issuer_value(value: &str, tag: &str) -> (Option<IssuerValue>, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    let invalid = |what: String| {
        RecordIssue::whole(
            &format!("caa.{tag}.invalid"),
            IssueLevel::Error,
            format!("{tag} value {value:?}: {what} (RFC 8659 §4.2); no CA can find its authorisation in it"),
        )
    };
    let (name, parameters) = match value.split_once(';') {
        Some((name, parameters)) => (name, Some(parameters)),
        None => (value, None),
    };
    let name = name.trim_matches([' ', '\t']);
    let issuer = if name.is_empty() {
        None
    } else if !name.split('.').all(is_label) {
        issues.push(invalid(format!("{name:?} is not a domain name")));
        return (None, issues);
    } else {
        match Domain::parse(name) {
            Ok(domain) => Some(domain),
            Err(error) => {
                issues.push(invalid(error.to_string()));
                return (None, issues);
            }
        }
    };
    let mut parsed = Vec::new();
    for parameter in parameters.into_iter().flat_map(|p| p.split(';')) {
        let parameter = parameter.trim_matches([' ', '\t']);
        if parameter.is_empty() {
            continue;
        }
        let Some((name, value)) = parameter.split_once('=') else {
            issues.push(invalid(format!("parameter {parameter:?} has no '='")));
            return (None, issues);
        };
        let (name, value) = (name.trim_matches([' ', '\t']), value.trim_matches([' ', '\t']));
        if !is_label(name) || !value.bytes().all(|b| matches!(b, 0x21..=0x3a | 0x3c..=0x7e)) {
            issues.push(invalid(format!("parameter {parameter:?} is not tag=value")));
            return (None, issues);
        }
        parsed.push(CaaParameter {
            tag: name.to_owned(),
            value: value.to_owned(),
        });
    }
    if issuer.is_none() {
        issues.push(RecordIssue::whole(
            &format!("caa.{tag}.nobody"),
            IssueLevel::Notice,
            format!(
                "{tag} {value:?} names no CA: no CA may issue {}",
                if tag == "issuewild" {
                    "wildcard certificates"
                } else {
                    "certificates"
                }
            ),
        ));
    }
    (
        Some(IssuerValue {
            issuer,
            parameters: parsed,
        }),
        issues,
    )
}

/// `(ALPHA / DIGIT) *( *("-") (ALPHA / DIGIT))`.
fn is_label(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_with_parameters_is_read() {
        // RFC 8657 §3 style parameters.
        let (value, issues) = parse_issuer_value(
            "ca.example.net; accounturi=https://ca.example.net/acct/1; validationmethods=dns-01",
            "issue",
        );
        let value = value.unwrap();
        assert_eq!(value.issuer.unwrap().as_str(), "ca.example.net");
        assert_eq!(
            value.parameters,
            [
                CaaParameter {
                    tag: "accounturi".into(),
                    value: "https://ca.example.net/acct/1".into()
                },
                CaaParameter {
                    tag: "validationmethods".into(),
                    value: "dns-01".into()
                },
            ]
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn empty_issuer_means_nobody() {
        let (value, issues) = parse_issuer_value(";", "issuewild");
        assert_eq!(
            value,
            Some(IssuerValue {
                issuer: None,
                parameters: vec![]
            })
        );
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "caa.issuewild.nobody");
    }

    #[test]
    fn issuer_with_underscore_is_invalid() {
        let (value, issues) = parse_issuer_value("ca_example.net", "issue");
        assert_eq!(value, None);
        assert_eq!(issues[0].id, "caa.issue.invalid");
    }

    #[test]
    fn parameter_without_equals_is_invalid() {
        let (value, issues) = parse_issuer_value("ca.example.net; policy", "issue");
        assert_eq!(value, None);
        assert_eq!(issues[0].id, "caa.issue.invalid");
    }
}
