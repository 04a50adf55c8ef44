//! The TXT- and RR-published policies: SPF, DMARC, DKIM, CAA and SRV.

use hickory_proto::rr::{RData, RecordType};
use mailtls_core::{DnsLookup, Domain, LookupStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::PolicyOptions;
use crate::caa::{Caa, caa_lookup_names};
use crate::dkim::{DKIM_COMMON_SELECTORS, DkimKeyRecord};
use crate::dmarc::{
    DmarcRecord, ExternalDestination, external_report_destinations, organizational_domain, reports_authorized,
};
use crate::record_issue::RecordIssue;
use crate::resolver::{Lookup, Resolver};
use crate::srv::{MailService, ServiceOffer, Srv, analyse, lint_services};

/// The obsolete SPF RR type (RFC 4408 §3.1.1; RFC 7208 §3.1 removed it).
const SPF_RR_TYPE: u16 = 99;

/// SPF at the domain, with the whole include/redirect tree linted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SpfPolicy {
    /// The TXT lookup at the domain.
    pub lookup: DnsLookup,
    /// The lookup of the obsolete SPF RR type.
    pub spf_rr_lookup: DnsLookup,
    /// The TXT records that are SPF records (start with `v=spf1`).
    pub records: Vec<String>,
    /// DNS-querying terms in the whole tree (the limit is 10).
    pub dns_lookups: u32,
    /// Terms whose lookup found nothing (the limit is 2).
    pub void_lookups: u32,
    /// Syntax problems, lints and problems of the tree.
    pub issues: Vec<RecordIssue>,
}

/// DMARC for the domain: its own record or the organisational domain's.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DmarcPolicy {
    /// The `_dmarc` lookups made: the domain's, then the organisational domain's.
    pub lookups: Vec<DnsLookup>,
    /// The organisational domain (RFC 7489 §3.2, Public Suffix List).
    pub organizational_domain: Domain,
    /// The record that applies.
    pub record: Option<DmarcRecord>,
    /// Set when the record that applies is the organisational domain's.
    pub inherited_from: Option<Domain>,
    /// Problems with the record.
    pub issues: Vec<RecordIssue>,
    /// Report destinations outside the organisational domain, and whether
    /// each agrees to receive the reports (RFC 7489 §7.1).
    pub report_authorizations: Vec<ReportAuthorization>,
}

/// One external report destination and its consent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReportAuthorization {
    /// The destination.
    pub destination: ExternalDestination,
    /// The TXT lookup at its authorisation name.
    pub lookup: DnsLookup,
    /// Whether a `v=DMARC1` record there authorises the reports.
    pub authorized: bool,
}

/// DKIM keys: whether `_domainkey` exists, and the selectors tried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DkimPolicy {
    /// The lookup of `_domainkey.<domain>`.
    pub domainkey_lookup: DnsLookup,
    /// Whether the `_domainkey` node exists (NOERROR) or not (NXDOMAIN, RFC
    /// 8020: then no selector can exist below it); unknown when the lookup failed.
    pub domainkey_exists: Option<bool>,
    /// Selectors given by the user (all), and common selectors that were found.
    pub selectors: Vec<DkimSelector>,
}

/// One DKIM selector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DkimSelector {
    /// The selector.
    pub selector: String,
    /// Whether the user named it (else it came from the common list).
    pub given: bool,
    /// The TXT lookup at `<selector>._domainkey.<domain>`.
    pub lookup: DnsLookup,
    /// The key record.
    pub record: Option<DkimKeyRecord>,
    /// Problems with it.
    pub issues: Vec<RecordIssue>,
}

/// The CAA records that govern the domain: those at the closest name that has any.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CaaPolicy {
    /// The lookups made while climbing.
    pub lookups: Vec<DnsLookup>,
    /// The name whose records apply, if any name has records.
    pub relevant_name: Option<Domain>,
    /// The records.
    pub records: Vec<Caa>,
    /// Problems with them.
    pub issues: Vec<RecordIssue>,
}

/// Mail services located by SRV.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServicePolicy {
    /// One entry per service.
    pub services: Vec<ServiceRecords>,
    /// Problems across the services (e.g. only plaintext-first ports offered).
    pub issues: Vec<RecordIssue>,
}

/// The SRV records of one service.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ServiceRecords {
    /// The service.
    pub service: MailService,
    /// The SRV lookup.
    pub lookup: DnsLookup,
    /// What the records say, unless the lookup failed.
    pub offer: Option<ServiceOffer>,
    /// Problems with them.
    pub issues: Vec<RecordIssue>,
}

/// The character-strings of records of a type the resolver does not know,
/// e.g. the SPF RR type, whose RDATA has the TXT format.
fn character_strings(lookup: &Lookup) -> Vec<String> {
    lookup
        .rdata()
        .filter_map(|data| match data {
            RData::Unknown { rdata, .. } => {
                let mut bytes = rdata.anything.as_slice();
                let mut text = Vec::new();
                while let Some((&length, rest)) = bytes.split_first() {
                    let (string, after) = rest.split_at(usize::from(length).min(rest.len()));
                    text.extend_from_slice(string);
                    bytes = after;
                }
                Some(String::from_utf8_lossy(&text).into_owned())
            }
            _ => None,
        })
        .collect()
}

pub(super) async fn spf_policy(resolver: &Resolver, domain: &Domain) -> SpfPolicy {
    let (lookup, spf_rr) = tokio::join!(
        resolver.lookup(domain.as_str(), RecordType::TXT),
        resolver.lookup(domain.as_str(), RecordType::Unknown(SPF_RR_TYPE)),
    );
    let txt = lookup.txt();
    let records: Vec<String> = txt
        .iter()
        .filter(|record| crate::spf::is_spf_record(record))
        .cloned()
        .collect();
    let mut policy = SpfPolicy {
        lookup: lookup.observation.clone(),
        spf_rr_lookup: spf_rr.observation.clone(),
        records,
        dns_lookups: 0,
        void_lookups: 0,
        issues: Vec::new(),
    };
    if lookup.status() == LookupStatus::Error {
        return policy;
    }
    policy.issues = crate::spf::lint_selection(&txt, &character_strings(&spf_rr));
    if !policy.records.is_empty() {
        let tree = crate::spf::lint_tree(resolver, domain.as_str()).await;
        policy.dns_lookups = tree.dns_lookups;
        policy.void_lookups = tree.void_lookups;
        policy.issues.extend(tree.issues);
    }
    policy
}

pub(super) async fn dmarc_policy(resolver: &Resolver, domain: &Domain) -> DmarcPolicy {
    let organizational = organizational_domain(domain);
    let own = resolver
        .lookup(&format!("_dmarc.{domain}"), RecordType::TXT)
        .await;
    let mut lookups = vec![own.observation.clone()];
    let (mut record, mut issues) = crate::dmarc::parse_rrset(&own.txt());
    let mut inherited_from = None;
    let policy_domain =
        if record.is_none() && own.status() != LookupStatus::Error && organizational != *domain {
            // RFC 7489 §6.6.3 step 3: no record at the domain, so the
            // organisational domain's record applies.
            let org = resolver
                .lookup(&format!("_dmarc.{organizational}"), RecordType::TXT)
                .await;
            lookups.push(org.observation.clone());
            (record, issues) = crate::dmarc::parse_rrset(&org.txt());
            if record.is_some() {
                inherited_from = Some(organizational.clone());
            }
            organizational.clone()
        } else {
            domain.clone()
        };
    let mut report_authorizations = Vec::new();
    if let Some(record) = &record {
        for destination in external_report_destinations(&policy_domain, record) {
            let lookup = resolver
                .lookup(&destination.authorization_name, RecordType::TXT)
                .await;
            let authorized = reports_authorized(&lookup.txt());
            report_authorizations.push(ReportAuthorization {
                destination,
                lookup: lookup.observation,
                authorized,
            });
        }
    }
    DmarcPolicy {
        lookups,
        organizational_domain: organizational,
        record,
        inherited_from,
        issues,
        report_authorizations,
    }
}

pub(super) async fn dkim_policy(resolver: &Resolver, domain: &Domain, options: &PolicyOptions) -> DkimPolicy {
    let node = resolver
        .lookup(&format!("_domainkey.{domain}"), RecordType::TXT)
        .await;
    let domainkey_exists = match node.status() {
        LookupStatus::Answer | LookupStatus::NoData => Some(true),
        LookupStatus::NxDomain => Some(false),
        LookupStatus::Error => None,
    };
    let mut selectors = Vec::new();
    for selector in &options.dkim_selectors {
        selectors.push(dkim_selector(resolver, domain, selector, true).await);
    }
    if options.common_dkim_selectors && domainkey_exists != Some(false) {
        for selector in DKIM_COMMON_SELECTORS {
            if options
                .dkim_selectors
                .iter()
                .any(|given| given.eq_ignore_ascii_case(selector))
            {
                continue;
            }
            let found = dkim_selector(resolver, domain, selector, false).await;
            if found.lookup.status == LookupStatus::Answer {
                selectors.push(found);
            }
        }
    }
    DkimPolicy {
        domainkey_lookup: node.observation,
        domainkey_exists,
        selectors,
    }
}

async fn dkim_selector(resolver: &Resolver, domain: &Domain, selector: &str, given: bool) -> DkimSelector {
    let lookup = resolver
        .lookup(&format!("{selector}._domainkey.{domain}"), RecordType::TXT)
        .await;
    let txt = lookup.txt();
    let (record, issues) = match txt.as_slice() {
        [] => (None, Vec::new()),
        [only] => crate::dkim::parse(only),
        [first, ..] => {
            let (record, mut issues) = crate::dkim::parse(first);
            issues.push(RecordIssue::whole(
                "dkim.multiple_records",
                crate::IssueLevel::Error,
                format!(
                    "{} TXT records at the selector; verifiers may pick any of them",
                    txt.len()
                ),
            ));
            (record, issues)
        }
    };
    DkimSelector {
        selector: selector.to_owned(),
        given,
        lookup: lookup.observation,
        record,
        issues,
    }
}

pub(super) async fn caa_policy(resolver: &Resolver, domain: &Domain) -> CaaPolicy {
    let mut policy = CaaPolicy {
        lookups: Vec::new(),
        relevant_name: None,
        records: Vec::new(),
        issues: Vec::new(),
    };
    for name in caa_lookup_names(domain) {
        let lookup = resolver.lookup(name.as_str(), RecordType::CAA).await;
        let status = lookup.status();
        for data in lookup.rdata() {
            if let RData::CAA(caa) = data {
                let (record, issues) = Caa::from_wire(caa.flags(), caa.tag.as_bytes(), &caa.value);
                policy.issues.extend(record.lint());
                policy.issues.extend(issues);
                policy.records.push(record);
            }
        }
        policy.lookups.push(lookup.observation);
        if !policy.records.is_empty() {
            policy.relevant_name = Some(name);
            break;
        }
        // A failed lookup leaves the answer unknown: climbing past it could
        // report a parent's permission that does not apply.
        if status == LookupStatus::Error {
            break;
        }
    }
    policy
}

pub(super) async fn service_policy(resolver: &Resolver, domain: &Domain) -> ServicePolicy {
    let mut services = Vec::with_capacity(MailService::ALL.len());
    let mut offers = Vec::new();
    for service in MailService::ALL {
        let lookup = resolver.lookup(&service.srv_name(domain), RecordType::SRV).await;
        let records: Vec<Srv> = lookup
            .rdata()
            .filter_map(|data| match data {
                RData::SRV(srv) => Some(Srv {
                    priority: srv.priority,
                    weight: srv.weight,
                    port: srv.port,
                    target: srv.target.to_ascii(),
                }),
                _ => None,
            })
            .collect();
        let (offer, issues) = if lookup.status() == LookupStatus::Error {
            (None, Vec::new())
        } else {
            let (offer, issues) = analyse(service, &records);
            offers.push((service, offer.clone()));
            (Some(offer), issues)
        };
        services.push(ServiceRecords {
            service,
            lookup: lookup.observation,
            offer,
            issues,
        });
    }
    ServicePolicy {
        issues: lint_services(&offers),
        services,
    }
}
