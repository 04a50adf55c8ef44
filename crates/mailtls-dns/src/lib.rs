//! DNS and email authentication for mailtls.
//!
//! Parsers and linters for the mail policy records (SPF, DMARC, DKIM keys,
//! MTA-STS, TLS-RPT, BIMI, TLSA, CAA, MX, SRV) turn record text into typed
//! values plus [`RecordIssue`]s with positions: a malformed record is an
//! observation about the domain, never an error of mailtls. The stub
//! [`Resolver`] over [`mailtls_core::transport::DnsTransport`] reports every
//! lookup with its status and DNSSEC verdict; the SPF evaluator
//! [`spf::eval`] implements `check_host()`.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod bimi;
pub mod caa;
pub mod dkim;
pub mod dmarc;
pub mod mta_sts;
pub mod mx;
pub mod policy;
pub mod record_issue;
pub mod resolver;
pub mod spf;
pub mod srv;
pub mod tag_list;
pub mod tls_rpt;
pub mod tlsa;

pub use record_issue::{IssueLevel, RecordIssue, Span};
pub use resolver::{Lookup, LookupFailure, Resolver};
