//! A domain's mail policy as DNS publishes it: every lookup made through the
//! [`Resolver`], every record parsed and linted, each section carrying the
//! lookups it rests on as evidence.
//!
//! [`gather`] makes the lookups; the analysis of what came back is pure and
//! done by the record modules of this crate. A lookup that failed leaves its
//! section with `status: error` in its evidence and no record: it is never
//! read as "no record".

mod mail_hosts;
mod records;

use std::net::IpAddr;

use hickory_proto::rr::{RData, RecordType};
use mailtls_core::{DnsLookup, Domain, LookupStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::record_issue::RecordIssue;
use crate::resolver::{Lookup, Resolver};

pub use mail_hosts::{MailHost, MxPolicy, PtrCheck, TlsaPolicy};
pub use records::{
    CaaPolicy, DkimPolicy, DkimSelector, DmarcPolicy, ReportAuthorization, ServicePolicy, ServiceRecords,
    SpfPolicy,
};

/// What to look for beyond what DNS can enumerate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PolicyOptions {
    /// DKIM selectors to look up (selectors cannot be discovered from DNS).
    pub dkim_selectors: Vec<String>,
    /// Also try the documented list of common selectors
    /// ([`crate::dkim::DKIM_COMMON_SELECTORS`]) when `_domainkey` exists.
    pub common_dkim_selectors: bool,
}

/// A TXT-published policy record (MTA-STS, TLS-RPT, BIMI): the lookup, the
/// record when exactly one valid one is published, and what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TxtPolicy<R> {
    /// The TXT lookup.
    pub lookup: DnsLookup,
    /// The record, parsed.
    pub record: Option<R>,
    /// Problems found, with spans into the record text.
    pub issues: Vec<RecordIssue>,
}

/// Everything DNS says about a mail domain's policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DomainPolicy {
    /// The domain.
    pub domain: Domain,
    /// MX records and, per mail host, addresses, reverse names and TLSA.
    pub mx: MxPolicy,
    /// SPF (RFC 7208).
    pub spf: SpfPolicy,
    /// DMARC (RFC 7489), with inheritance and report authorisation.
    pub dmarc: DmarcPolicy,
    /// DKIM keys at the selectors tried.
    pub dkim: DkimPolicy,
    /// The MTA-STS TXT record (RFC 8461 §3.1); the policy file is fetched by the probe.
    pub mta_sts: TxtPolicy<crate::mta_sts::MtaStsRecord>,
    /// The SMTP TLS Reporting record (RFC 8460).
    pub tls_rpt: TxtPolicy<crate::tls_rpt::TlsRptRecord>,
    /// The BIMI assertion record at `default._bimi`.
    pub bimi: TxtPolicy<crate::bimi::BimiRecord>,
    /// CAA, climbing the tree (RFC 8659 §3).
    pub caa: CaaPolicy,
    /// Submission, IMAP and POP3 services located by SRV (RFC 6186, RFC 8314).
    pub services: ServicePolicy,
}

/// Looks up and analyses a domain's whole mail policy.
pub async fn gather(resolver: &Resolver, domain: &Domain, options: &PolicyOptions) -> DomainPolicy {
    let name = domain.as_str();
    let (mx, spf, dmarc, dkim) = tokio::join!(
        mail_hosts::mx_policy(resolver, domain),
        records::spf_policy(resolver, domain),
        records::dmarc_policy(resolver, domain),
        records::dkim_policy(resolver, domain, options),
    );
    let (mta_sts_name, tls_rpt_name, bimi_name) = (
        format!("_mta-sts.{name}"),
        format!("_smtp._tls.{name}"),
        format!("default._bimi.{name}"),
    );
    let (mta_sts, tls_rpt, bimi, caa, services) = tokio::join!(
        txt_policy(resolver, &mta_sts_name, crate::mta_sts::parse_txt_rrset),
        txt_policy(resolver, &tls_rpt_name, crate::tls_rpt::parse_rrset),
        txt_policy(resolver, &bimi_name, crate::bimi::parse_rrset),
        records::caa_policy(resolver, domain),
        records::service_policy(resolver, domain),
    );
    DomainPolicy {
        domain: domain.clone(),
        mx,
        spf,
        dmarc,
        dkim,
        mta_sts,
        tls_rpt,
        bimi,
        caa,
        services,
    }
}

/// A parser of the TXT records at one name: the record that applies, and problems.
type RrsetParser<R> = fn(&[String]) -> (Option<R>, Vec<RecordIssue>);

/// The TXT records at `name`, parsed as one RRset by `parse`.
async fn txt_policy<R>(resolver: &Resolver, name: &str, parse: RrsetParser<R>) -> TxtPolicy<R> {
    let lookup = resolver.lookup(name, RecordType::TXT).await;
    let (record, issues) = match lookup.status() {
        LookupStatus::Answer => parse(&lookup.txt()),
        _ => (None, Vec::new()),
    };
    TxtPolicy {
        lookup: lookup.observation,
        record,
        issues,
    }
}

/// The addresses in an A or AAAA lookup.
fn addresses(lookup: &Lookup) -> Vec<IpAddr> {
    lookup
        .rdata()
        .filter_map(|data| match data {
            RData::A(a) => Some(IpAddr::V4(a.0)),
            RData::AAAA(aaaa) => Some(IpAddr::V6(aaaa.0)),
            _ => None,
        })
        .collect()
}

/// The output of `mailtls dns`: the policy with what it took to gather it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DnsReport {
    /// Shape version of the report (shared with the full report).
    pub schema_version: u32,
    /// Who made it.
    pub generator: mailtls_core::Generator,
    /// Start, seconds since the Unix epoch.
    pub started_at: u64,
    /// Wall time, milliseconds.
    pub duration_ms: u64,
    /// The resolvers asked.
    pub resolvers: Vec<std::net::SocketAddr>,
    /// Whether their DNSSEC validation (AD bit) was trusted.
    pub validating_resolver: bool,
    /// DNS queries sent.
    pub queries: u64,
    /// What was found.
    pub policy: DomainPolicy,
}

impl DnsReport {
    /// Gathers the policy of `domain` and wraps it with its timing and query count.
    pub async fn gather(resolver: &Resolver, domain: &Domain, options: &PolicyOptions) -> Self {
        let started_at = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|elapsed| elapsed.as_secs())
            .unwrap_or(0);
        let clock = std::time::Instant::now();
        let policy = gather(resolver, domain, options).await;
        Self {
            schema_version: mailtls_core::SCHEMA_VERSION,
            generator: mailtls_core::Generator::mailtls(),
            started_at,
            duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
            resolvers: resolver.servers(),
            validating_resolver: resolver.is_validating(),
            queries: resolver.queries_sent(),
            policy,
        }
    }
}
