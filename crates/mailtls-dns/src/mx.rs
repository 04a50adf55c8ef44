//! MX (RFC 5321 §5.1, RFC 7505 Null MX): the record set and its problems.
//!
//! ```text
//! RFC 5321 §5.1
//!   ... If an empty list of MXs is returned, the address is treated as if
//!   it was associated with an implicit MX RR, with a preference of 0,
//!   pointing to that host. ... the domain name in an MX record ... MUST
//!   NOT be an IP address literal, and MUST NOT be an alias (CNAME) (see
//!   also RFC 2181 §10.3).
//!   ... the SMTP client MUST attempt ... in order of preference, lowest
//!   first; ... if there are multiple destinations with the same
//!   preference ... the SMTP client SHOULD try them in a random order.
//! RFC 7505 §3
//!   To indicate that a domain does not accept email, it advertises a
//!   single MX RR with an RDATA section consisting of preference number 0
//!   and a zero-length label, written in master files as ".", as the
//!   exchange domain, to denote that there exists no mail exchanger for a
//!   domain. ... A domain that advertises a null MX MUST NOT advertise any
//!   other MX RR.
//! ```
//!
//! # Issue ids
//!
//! | id | level | meaning |
//! | --- | --- | --- |
//! | `mx.implicit` | Notice | no MX records: senders deliver to the domain's own A/AAAA |
//! | `mx.null` | Notice | a Null MX: the domain accepts no mail |
//! | `mx.null.preference` | Warning | a Null MX with a preference other than 0 |
//! | `mx.null.mixed` | Error | `.` next to other MX records: RFC 7505 forbids it and senders disagree on its meaning |
//! | `mx.exchange.ip_literal` | Error | an exchange that is an IP address: senders treat it as a name and fail |
//! | `mx.exchange.invalid` | Error | an exchange that is not a valid host name; it is left out |
//! | `mx.exchange.duplicate` | Notice | the same exchange more than once |
//! | `mx.exchange.cname` | Warning | an exchange that is an alias (CNAME), given as a fact from DNS |
//! | `mx.none_usable` | Error | MX records exist but none names a usable host: mail cannot be delivered |

use std::net::IpAddr;

use mailtls_core::Domain;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::{IssueLevel, RecordIssue};

/// One MX record as the resolver returns it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Mx {
    /// The preference; lower is tried first.
    pub preference: u16,
    /// The exchange as text, e.g. `mail.example.com.` or `.`.
    pub exchange: String,
}

impl Mx {
    /// An MX record.
    pub fn new(preference: u16, exchange: impl Into<String>) -> Self {
        Self {
            preference,
            exchange: exchange.into(),
        }
    }
}

/// What an MX set means for delivery.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MxSet {
    /// No MX records: the domain itself is the mail host (RFC 5321 §5.1).
    Implicit,
    /// A Null MX: the domain accepts no mail (RFC 7505).
    Null,
    /// The mail hosts with valid names, lowest preference first.
    Hosts(Vec<MxHost>),
}

/// A mail host of an MX set.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct MxHost {
    /// The preference.
    pub preference: u16,
    /// The host name.
    pub exchange: Domain,
}

/// A fact from DNS: an exchange that is an alias.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExchangeAlias {
    /// The exchange as published in the MX record.
    pub exchange: Domain,
    /// The name its CNAME points to.
    pub canonical_name: Domain,
}

/// Interprets the MX records of a domain (delivery order: preference, then
/// the order given, as RFC 5321 leaves ties to chance) and lints them.
pub fn analyse(records: &[Mx]) -> (MxSet, Vec<RecordIssue>) {
    let mut issues = Vec::new();
    if records.is_empty() {
        issues.push(RecordIssue::whole(
            "mx.implicit",
            IssueLevel::Notice,
            "the domain has no MX records, so senders deliver to its own A/AAAA addresses (RFC 5321 §5.1)",
        ));
        return (MxSet::Implicit, issues);
    }
    let is_root = |mx: &Mx| matches!(mx.exchange.as_str(), "." | "");
    if let [only] = records
        && is_root(only)
    {
        issues.push(RecordIssue::whole(
            "mx.null",
            IssueLevel::Notice,
            "the domain publishes a Null MX: it accepts no mail (RFC 7505)",
        ));
        if only.preference != 0 {
            issues.push(RecordIssue::whole(
                "mx.null.preference",
                IssueLevel::Warning,
                format!(
                    "the Null MX has preference {}; RFC 7505 §3 specifies 0",
                    only.preference
                ),
            ));
        }
        return (MxSet::Null, issues);
    }
    if records.iter().any(is_root) {
        issues.push(RecordIssue::whole(
            "mx.null.mixed",
            IssueLevel::Error,
            "a Null MX (\".\") is published next to other MX records; RFC 7505 §3 forbids this, and \
             senders may treat the domain as accepting no mail or ignore the \".\"",
        ));
    }
    let mut hosts: Vec<MxHost> = Vec::new();
    for mx in records.iter().filter(|mx| !is_root(mx)) {
        let name = mx.exchange.strip_suffix('.').unwrap_or(&mx.exchange);
        let literal = name
            .strip_prefix('[')
            .and_then(|n| n.strip_suffix(']'))
            .unwrap_or(name);
        let literal = literal.strip_prefix("IPv6:").unwrap_or(literal);
        if literal.parse::<IpAddr>().is_ok() {
            issues.push(RecordIssue::whole(
                "mx.exchange.ip_literal",
                IssueLevel::Error,
                format!(
                    "MX {} {} is an IP address; an MX names a host, and senders look it up as a name \
                     and fail (RFC 5321 §5.1)",
                    mx.preference, mx.exchange
                ),
            ));
            continue;
        }
        let exchange = match Domain::parse(&mx.exchange) {
            Ok(exchange) => exchange,
            Err(error) => {
                issues.push(RecordIssue::whole(
                    "mx.exchange.invalid",
                    IssueLevel::Error,
                    format!(
                        "MX {} {:?} is not a valid host name: {error}",
                        mx.preference, mx.exchange
                    ),
                ));
                continue;
            }
        };
        if hosts.iter().any(|host| host.exchange == exchange) {
            issues.push(RecordIssue::whole(
                "mx.exchange.duplicate",
                IssueLevel::Notice,
                format!("{exchange} is listed more than once; senders try it only once"),
            ));
            continue;
        }
        hosts.push(MxHost {
            preference: mx.preference,
            exchange,
        });
    }
    hosts.sort_by_key(|host| host.preference);
    if hosts.is_empty() {
        issues.push(RecordIssue::whole(
            "mx.none_usable",
            IssueLevel::Error,
            "none of the MX records names a usable mail host: mail to the domain cannot be delivered",
        ));
    }
    (MxSet::Hosts(hosts), issues)
}

/// Lints the exchanges of `set` that DNS showed to be aliases.
pub fn lint_cname_exchanges(set: &MxSet, aliases: &[ExchangeAlias]) -> Vec<RecordIssue> {
    let MxSet::Hosts(hosts) = set else {
        return Vec::new();
    };
    aliases
        .iter()
        .filter(|alias| hosts.iter().any(|host| host.exchange == alias.exchange))
        .map(|alias| {
            RecordIssue::whole(
                "mx.exchange.cname",
                IssueLevel::Warning,
                format!(
                    "MX exchange {} is a CNAME for {}; an MX must name the host itself (RFC 2181 §10.3, \
                     RFC 5321 §5.1), and some senders and DANE/MTA-STS checks stumble over aliases",
                    alias.exchange, alias.canonical_name
                ),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record_issue::ids;

    fn host(preference: u16, name: &str) -> MxHost {
        MxHost {
            preference,
            exchange: Domain::parse(name).unwrap(),
        }
    }

    #[test]
    fn hosts_are_ordered_by_preference() {
        let (set, issues) = analyse(&[Mx::new(20, "mx2.example.com."), Mx::new(10, "mx1.example.com.")]);
        assert_eq!(
            set,
            MxSet::Hosts(vec![host(10, "mx1.example.com"), host(20, "mx2.example.com")])
        );
        assert_eq!(issues, []);
    }

    #[test]
    fn no_records_means_implicit_mx() {
        let (set, issues) = analyse(&[]);
        assert_eq!(set, MxSet::Implicit);
        assert_eq!(ids(&issues), ["mx.implicit"]);
    }

    #[test]
    fn rfc_7505_null_mx_is_detected() {
        let (set, issues) = analyse(&[Mx::new(0, ".")]);
        assert_eq!(set, MxSet::Null);
        assert_eq!(ids(&issues), ["mx.null"]);
    }

    #[test]
    fn null_mx_with_nonzero_preference_is_a_warning() {
        let (set, issues) = analyse(&[Mx::new(10, ".")]);
        assert_eq!(set, MxSet::Null);
        assert_eq!(ids(&issues), ["mx.null", "mx.null.preference"]);
    }

    #[test]
    fn null_mx_mixed_with_hosts_is_an_error() {
        let (set, issues) = analyse(&[Mx::new(0, "."), Mx::new(10, "mx.example.com")]);
        assert_eq!(set, MxSet::Hosts(vec![host(10, "mx.example.com")]));
        assert_eq!(ids(&issues), ["mx.null.mixed"]);
        assert_eq!(issues[0].level, IssueLevel::Error);
    }

    #[test]
    fn ip_literal_exchange_is_an_error() {
        let (set, issues) = analyse(&[Mx::new(10, "192.0.2.25"), Mx::new(20, "[2001:db8::25]")]);
        assert_eq!(set, MxSet::Hosts(vec![]));
        assert_eq!(
            ids(&issues),
            [
                "mx.exchange.ip_literal",
                "mx.exchange.ip_literal",
                "mx.none_usable"
            ]
        );
    }

    #[test]
    fn invalid_host_name_is_an_error() {
        let (_, issues) = analyse(&[
            Mx::new(10, "mail_server.example.com"),
            Mx::new(20, "mx.example.com"),
        ]);
        assert_eq!(ids(&issues), ["mx.exchange.invalid"]);
    }

    #[test]
    fn duplicate_exchange_is_a_notice() {
        let (set, issues) = analyse(&[Mx::new(10, "mx.example.com."), Mx::new(20, "MX.example.com")]);
        assert_eq!(set, MxSet::Hosts(vec![host(10, "mx.example.com")]));
        assert_eq!(ids(&issues), ["mx.exchange.duplicate"]);
    }

    #[test]
    fn cname_exchange_is_a_warning_only_for_listed_hosts() {
        let (set, _) = analyse(&[Mx::new(10, "mx.example.com")]);
        let aliases = [
            ExchangeAlias {
                exchange: Domain::parse("mx.example.com").unwrap(),
                canonical_name: Domain::parse("mx.provider.example").unwrap(),
            },
            ExchangeAlias {
                exchange: Domain::parse("other.example.com").unwrap(),
                canonical_name: Domain::parse("x.example").unwrap(),
            },
        ];
        assert_eq!(ids(&lint_cname_exchanges(&set, &aliases)), ["mx.exchange.cname"]);
    }
}
