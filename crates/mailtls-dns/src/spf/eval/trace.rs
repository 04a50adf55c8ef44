//! What `check_host()` did, step by step, so that a person can see why.
//!
//! Each [`TraceStep`] is one event at a nesting depth (0 for the domain
//! asked about, one more per `include` or `redirect`). Its [`fmt::Display`]
//! is one indented line, ready for `mailtls spf` to print.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{SpfDnsError, SpfResult};
use crate::RecordIssue;

/// One event of an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct TraceStep {
    /// 0 for the domain asked about; one more per include or redirect.
    pub depth: u32,
    /// What happened.
    pub event: TraceEvent,
}

/// The DNS record types the evaluator asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum QueryType {
    /// Text records (SPF records and explanations).
    Txt,
    /// IPv4 addresses.
    A,
    /// IPv6 addresses.
    Aaaa,
    /// Mail exchangers.
    Mx,
    /// Reverse names.
    Ptr,
}

impl fmt::Display for QueryType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Txt => "TXT",
            Self::A => "A",
            Self::Aaaa => "AAAA",
            Self::Mx => "MX",
            Self::Ptr => "PTR",
        })
    }
}

/// What a DNS query returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum QueryAnswer {
    /// Records, in presentation form.
    Records {
        /// The records.
        records: Vec<String>,
    },
    /// No records: NXDOMAIN or NODATA.
    Empty,
    /// The query failed.
    Error {
        /// Why.
        error: SpfDnsError,
    },
}

/// How a term came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TermOutcome {
    /// The mechanism matched: its qualifier is the result.
    Match,
    /// The mechanism did not match: evaluation goes on.
    NoMatch,
    /// The term ended evaluation with `temperror` or `permerror`.
    Error,
    /// A modifier was followed (redirect).
    Followed,
}

/// A processing limit of RFC 7208 §4.6.4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SpfLimit {
    /// More than 10 terms that query the DNS.
    DnsLookups,
    /// More than 2 queries that found nothing.
    VoidLookups,
    /// An `mx` mechanism that needs more than 10 address lookups.
    MxNames,
    /// A reverse lookup with more than 10 names: the rest are ignored.
    PtrNames,
}

/// One thing that happened during an evaluation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "event", rename_all = "snake_case")]
#[non_exhaustive]
pub enum TraceEvent {
    /// `check_host()` starts on a domain.
    CheckHost {
        /// The `<domain>` argument.
        domain: String,
    },
    /// The domain is not a valid multi-label name: the result is `none` (§4.3).
    MalformedDomain {
        /// The domain.
        domain: String,
    },
    /// A DNS query and its answer.
    Query {
        /// The record type.
        query_type: QueryType,
        /// The name asked for.
        name: String,
        /// What came back.
        answer: QueryAnswer,
    },
    /// The SPF record selected from the TXT records.
    Record {
        /// The record text.
        record: String,
    },
    /// No TXT record starts with `v=spf1`.
    NoRecord,
    /// More than one TXT record starts with `v=spf1` (§4.5: permerror).
    MultipleRecords {
        /// The records.
        records: Vec<String>,
    },
    /// The record has syntax errors (§4.6: permerror).
    SyntaxErrors {
        /// The errors.
        issues: Vec<RecordIssue>,
    },
    /// A term was evaluated.
    Term {
        /// The term in canonical form.
        term: String,
        /// How it came out.
        outcome: TermOutcome,
    },
    /// A `<domain-spec>` expanded to a name that cannot be queried (an empty
    /// label or one longer than 63 octets); the term does not match.
    InvalidTarget {
        /// The expanded name.
        name: String,
    },
    /// An MX record with the root as exchange (a null MX) was skipped.
    NullMx,
    /// A processing limit was reached.
    LimitExceeded {
        /// Which.
        limit: SpfLimit,
    },
    /// A reverse name validated: one of its addresses is the client.
    Validated {
        /// The name.
        name: String,
    },
    /// The result of `check_host()` for the domain at this depth.
    Result {
        /// The domain.
        domain: String,
        /// The result.
        result: SpfResult,
    },
    /// The explanation of a fail, from `exp=`.
    Explanation {
        /// The expanded text, or `None` when `exp=` could not be used (§6.2).
        text: Option<String>,
    },
}

impl fmt::Display for TraceEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CheckHost { domain } => write!(f, "check_host({domain})"),
            Self::MalformedDomain { domain } => write!(f, "{domain:?} is not a valid domain name: none"),
            Self::Query {
                query_type,
                name,
                answer,
            } => {
                write!(f, "{query_type} {name} -> ")?;
                match answer {
                    QueryAnswer::Records { records } => {
                        let quoted: Vec<String> =
                            records.iter().map(|record| format!("{record:?}")).collect();
                        f.write_str(&quoted.join(", "))
                    }
                    QueryAnswer::Empty => f.write_str("no records"),
                    QueryAnswer::Error { error } => write!(f, "error: {error}"),
                }
            }
            Self::Record { record } => write!(f, "record: {record}"),
            Self::NoRecord => f.write_str("no SPF record"),
            Self::MultipleRecords { records } => {
                write!(f, "{} SPF records, only one is allowed: permerror", records.len())
            }
            Self::SyntaxErrors { issues } => {
                let messages: Vec<&str> = issues.iter().map(|issue| issue.message.as_str()).collect();
                write!(f, "syntax error: {}", messages.join("; "))
            }
            Self::Term { term, outcome } => {
                let outcome = match outcome {
                    TermOutcome::Match => "match",
                    TermOutcome::NoMatch => "no match",
                    TermOutcome::Error => "error",
                    TermOutcome::Followed => "followed",
                };
                write!(f, "{term}: {outcome}")
            }
            Self::InvalidTarget { name } => write!(f, "{name:?} cannot be queried; no match"),
            Self::NullMx => f.write_str("null MX skipped"),
            Self::LimitExceeded { limit } => f.write_str(match limit {
                SpfLimit::DnsLookups => "more than 10 DNS-querying terms: permerror",
                SpfLimit::VoidLookups => "more than 2 lookups found nothing: permerror",
                SpfLimit::MxNames => "more than 10 MX names to look up: permerror",
                SpfLimit::PtrNames => "more than 10 PTR names: the rest are ignored",
            }),
            Self::Validated { name } => write!(f, "{name} validated"),
            Self::Result { domain, result } => write!(f, "result for {domain}: {result}"),
            Self::Explanation { text: Some(text) } => write!(f, "explanation: {text}"),
            Self::Explanation { text: None } => f.write_str("explanation unavailable; using the default"),
        }
    }
}

impl fmt::Display for TraceStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for _ in 0..self.depth {
            f.write_str("  ")?;
        }
        self.event.fmt(f)
    }
}
