//! The rules: every check mailtls judges, with what it means for mail, where
//! to read more, and how to fix it.
//!
//! A rule and its documentation are one unit: [`catalogue()`] is the single
//! table that [`crate::findings::findings`] draws titles and references from,
//! that `mailtls explain` prints, and that `docs/checks.md` is generated from
//! ([`checks_markdown`]).
//!
//! Rules come in two kinds:
//! - checks of what the probe saw on the wire (STARTTLS, TLS, certificates,
//!   DANE, MTA-STS, client access), written out one by one in `transport`;
//! - one rule per documented [`RecordIssue`](mailtls_dns::RecordIssue) id of
//!   `mailtls-dns`, named `dns.<issue id>`, whose status follows the issue's
//!   level (Error → fail, Warning → warn, Notice → info), in `dns_policy`.

mod catalogue;
mod dns_policy;
mod tls_scan;
mod transport;

pub use catalogue::{catalogue, checks_markdown, rule, suggestions};
pub(crate) use dns_policy::{family as dns_family, severity as dns_issue_severity};

/// The references of a DNS issue family, for an issue id the catalogue
/// does not list yet.
pub(crate) fn family_references(family: &dns_policy::Family) -> Vec<Reference> {
    references(family.references)
}

use std::fmt;

use mailtls_core::{Reference, Severity};

/// The part of a mail domain's security a rule is about, and a category
/// the grades score on its own.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// STARTTLS and TLS on the MX hosts (port 25).
    #[serde(rename = "transport_security")]
    Transport,
    /// DANE for SMTP (RFC 7672).
    Dane,
    /// MTA-STS (RFC 8461) and TLS reporting (RFC 8460).
    MtaSts,
    /// SPF, DKIM, DMARC and BIMI.
    SenderAuthentication,
    /// DNS itself: DNSSEC, MX and SRV records, CAA.
    Dns,
    /// Submission, IMAP and POP3: where users log in.
    ClientAccess,
}

impl Category {
    /// Every category, in the order reports list them.
    pub const ALL: [Category; 6] = [
        Self::Transport,
        Self::Dane,
        Self::MtaSts,
        Self::SenderAuthentication,
        Self::Dns,
        Self::ClientAccess,
    ];

    /// The heading used in reports.
    pub fn title(self) -> &'static str {
        match self {
            Self::Transport => "Transport security (MX)",
            Self::Dane => "DANE",
            Self::MtaSts => "MTA-STS and TLS-RPT",
            Self::SenderAuthentication => "Sender authentication (SPF, DKIM, DMARC)",
            Self::Dns => "DNS (DNSSEC, CAA, IPv6, PTR)",
            Self::ClientAccess => "Client access (submission, IMAP, POP3)",
        }
    }

    /// The stable name, as used in `docs/checks.md` and in report anchors
    /// (the grades' JSON calls `transport` `transport_security`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Transport => "transport",
            Self::Dane => "dane",
            Self::MtaSts => "mta_sts",
            Self::SenderAuthentication => "sender_authentication",
            Self::Dns => "dns",
            Self::ClientAccess => "client_access",
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One check: its stable id and everything a mail administrator needs to
/// understand and fix what it finds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Stable identifier, e.g. `smtp.starttls.missing`; findings carry it.
    pub id: String,
    /// What part of the domain's security it is about.
    pub category: Category,
    /// How much a failing or warning finding of this rule matters.
    pub severity: Severity,
    /// One line for people.
    pub title: String,
    /// What it is, and why it matters for mail in particular.
    pub explanation: String,
    /// RFC sections and guidance.
    pub references: Vec<Reference>,
    /// How to fix it: configuration lines or the DNS record to publish.
    pub remediation: String,
}

/// A rule as written in the source tables.
#[derive(Debug)]
pub(crate) struct RuleSpec {
    pub(crate) id: &'static str,
    pub(crate) category: Category,
    pub(crate) severity: Severity,
    pub(crate) title: &'static str,
    pub(crate) explanation: &'static str,
    pub(crate) references: &'static [(&'static str, &'static str)],
    pub(crate) remediation: &'static str,
}

impl RuleSpec {
    pub(crate) fn to_rule(&self) -> Rule {
        Rule {
            id: self.id.to_owned(),
            category: self.category,
            severity: self.severity,
            title: self.title.to_owned(),
            explanation: self.explanation.to_owned(),
            references: references(self.references),
            remediation: self.remediation.to_owned(),
        }
    }
}

/// `(title, url)` pairs as [`Reference`]s.
pub(crate) fn references(pairs: &[(&str, &str)]) -> Vec<Reference> {
    pairs
        .iter()
        .map(|(title, url)| Reference {
            title: (*title).to_owned(),
            url: (*url).to_owned(),
        })
        .collect()
}
