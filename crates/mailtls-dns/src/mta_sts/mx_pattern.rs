//! The `mx` patterns of an MTA-STS policy and how MX hosts match them.
//!
//! ```text
//! RFC 8461 §3.2
//!   sts-policy-mx-value      = ["*."] Domain
//! RFC 8461 §4.1
//!   ... each MX host in the MX set MUST be matched against the "mx"
//!   patterns of the policy. ... if the pattern begins with a wildcard "*."
//!   then ... the wildcard matches only the leftmost label (thus,
//!   "*.example.com" matches "mail.example.com" but not "example.com" or
//!   "foo.bar.example.com").
//! ```

use std::fmt;

use mailtls_core::Domain;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::MtaStsPolicy;

/// An `mx` pattern: a host name, or `*.` and a domain.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct MxPattern {
    /// Whether the pattern starts with `*.`.
    pub wildcard: bool,
    /// The host name, or the domain after `*.`.
    pub domain: Domain,
}

impl MxPattern {
    /// Reads an `mx` value; `None` when it is not `["*."] Domain`.
    pub fn parse(text: &str) -> Option<Self> {
        let (wildcard, name) = match text.strip_prefix("*.") {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        Domain::parse(name).ok().map(|domain| Self { wildcard, domain })
    }
}

impl fmt::Display for MxPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.wildcard {
            f.write_str("*.")?;
        }
        write!(f, "{}", self.domain)
    }
}

/// Whether `mx_host` matches `pattern`: exactly, or, for `*.domain`, as
/// `domain` with exactly one label in front (RFC 8461 §4.1).
pub fn mx_matches(pattern: &MxPattern, mx_host: &Domain) -> bool {
    if pattern.wildcard {
        mx_host.parent().is_some_and(|parent| parent == pattern.domain)
    } else {
        *mx_host == pattern.domain
    }
}

/// The MX hosts that no `mx` pattern of `policy` matches: with mode enforce,
/// senders refuse to deliver to them.
pub fn policy_covers(policy: &MtaStsPolicy, mx_hosts: &[Domain]) -> Vec<Domain> {
    mx_hosts
        .iter()
        .filter(|host| !policy.mx.iter().any(|pattern| mx_matches(pattern, host)))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mta_sts::parse_policy;

    fn domain(name: &str) -> Domain {
        Domain::parse(name).unwrap()
    }

    fn pattern(text: &str) -> MxPattern {
        MxPattern::parse(text).unwrap()
    }

    #[test]
    fn wildcard_matches_exactly_one_label() {
        let wildcard = pattern("*.example.com");
        assert!(mx_matches(&wildcard, &domain("mail.example.com")));
        assert!(!mx_matches(&wildcard, &domain("example.com")));
        assert!(!mx_matches(&wildcard, &domain("foo.bar.example.com")));
    }

    #[test]
    fn plain_pattern_matches_only_itself_ignoring_case_and_trailing_dot() {
        let plain = pattern("Mail.Example.com");
        assert!(mx_matches(&plain, &domain("mail.example.com.")));
        assert!(!mx_matches(&plain, &domain("mx.example.com")));
    }

    #[test]
    fn wildcard_in_the_middle_is_not_a_pattern() {
        assert_eq!(MxPattern::parse("mail.*.example.com"), None);
        assert_eq!(MxPattern::parse("*"), None);
        assert_eq!(MxPattern::parse("*.*.example.com"), None);
    }

    #[test]
    fn pattern_displays_as_written() {
        assert_eq!(pattern("*.example.net").to_string(), "*.example.net");
    }

    #[test]
    fn uncovered_mx_hosts_are_listed() {
        let (policy, _) = parse_policy(
            "version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n",
        );
        let hosts = [
            domain("mail.example.com"),
            domain("a.example.net"),
            domain("backup.example.org"),
        ];
        assert_eq!(
            policy_covers(&policy.unwrap(), &hosts),
            [domain("backup.example.org")]
        );
    }
}
