//! Findings: the judgement of one check, with its evidence and references.
//!
//! Findings are produced by `mailtls-score` from observations; they are defined
//! here so that every crate and every consumer of the JSON shares one shape.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The outcome of one check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// The check passed.
    Pass,
    /// Not wrong, but weaker than it should be.
    Warn,
    /// The check failed.
    Fail,
    /// A fact worth knowing, neither good nor bad.
    Info,
    /// The check could not run; the finding's detail says why (throttling,
    /// greylisting, a timeout, a missing precondition). Never a failure.
    NotTested,
    /// mailtls itself failed to observe what the check needs.
    Error,
}

/// How much a failing or warning finding matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// No security impact.
    Info,
    /// Minor weakness.
    Low,
    /// A weakness an attacker with some position can use.
    Medium,
    /// Mail can be read or forged by a network attacker.
    High,
    /// Broken: mail is exposed now, or delivery fails.
    Critical,
}

/// A piece of evidence: what was seen, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Evidence {
    /// Where it was seen, e.g. `smtp://mx1.example.com:25 (192.0.2.1) EHLO reply`.
    pub source: String,
    /// What was seen, verbatim where possible (a server's reply line, a record as served).
    pub text: String,
}

/// A document that explains a check: an RFC section, a CVE, a vendor's manual.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    /// Short title, e.g. `RFC 3207 §4`.
    pub title: String,
    /// Where to read it.
    pub url: String,
}

/// The result of one check against one subject (an endpoint, a record, the domain).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable identifier, dot-separated, e.g. `tls.version.sslv3`. Tools may key on it.
    pub id: String,
    /// The outcome.
    pub status: Status,
    /// How much it matters.
    pub severity: Severity,
    /// One line for people.
    pub title: String,
    /// What was found and why it matters here.
    pub detail: String,
    /// What was seen.
    pub evidence: Vec<Evidence>,
    /// Where to read more.
    pub references: Vec<Reference>,
}
