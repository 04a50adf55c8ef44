//! DNS and email authentication for mailtls.
//!
//! Parsers and linters for the mail policy records (SPF, DMARC, DKIM keys,
//! MTA-STS, TLS-RPT, BIMI, TLSA, CAA) turn record text into typed values plus
//! [`RecordIssue`]s with positions: a malformed record is an observation about
//! the domain, never an error of mailtls. The stub resolver over
//! [`mailtls_core::transport::DnsTransport`] and the SPF evaluator follow.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod record_issue;

pub use record_issue::{IssueLevel, RecordIssue, Span};
