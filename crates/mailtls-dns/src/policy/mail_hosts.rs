//! The MX set and each mail host: addresses, reverse names with forward
//! confirmation, and the TLSA records senders would use for DANE.

use std::net::IpAddr;

use hickory_proto::rr::{RData, RecordType};
use mailtls_core::{DnsLookup, DnssecStatus, Domain, LookupStatus};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::addresses;
use crate::mx::{ExchangeAlias, Mx, MxSet, analyse, lint_cname_exchanges};
use crate::record_issue::RecordIssue;
use crate::resolver::Resolver;
use crate::tlsa::{RolloverScheme, Tlsa, lint_rrset, rollover_scheme};

/// Most reverse names followed per address, as a bound on what a peer's PTR
/// set can make us look up.
const MAX_PTR_NAMES: usize = 10;

/// The MX records and the mail hosts they name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MxPolicy {
    /// The MX lookup.
    pub lookup: DnsLookup,
    /// What the set means, unless the lookup failed.
    pub set: Option<MxSet>,
    /// Problems with the set (Null MX mixed with hosts, IP literals, aliases…).
    pub issues: Vec<RecordIssue>,
    /// Each mail host in delivery order (the domain itself when it has no MX).
    pub hosts: Vec<MailHost>,
}

/// One mail host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MailHost {
    /// Its name.
    pub name: Domain,
    /// Its MX preference (0 for the implicit MX).
    pub preference: u16,
    /// The A lookup.
    pub ipv4: DnsLookup,
    /// The AAAA lookup.
    pub ipv6: DnsLookup,
    /// The addresses found, IPv4 first.
    pub addresses: Vec<IpAddr>,
    /// The reverse name of each address and whether it leads back.
    pub reverse: Vec<PtrCheck>,
    /// TLSA records at `_25._tcp.<host>`.
    pub tlsa: TlsaPolicy,
}

/// Forward-confirmed reverse DNS of one address (RFC 8601 §3 "iprev").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PtrCheck {
    /// The address.
    pub address: IpAddr,
    /// The PTR lookup.
    pub lookup: DnsLookup,
    /// The names it maps to.
    pub names: Vec<String>,
    /// Whether one of those names resolves back to the address.
    pub forward_confirmed: bool,
}

/// The TLSA records of one mail host (RFC 7672 §2.2).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct TlsaPolicy {
    /// The TLSA lookup.
    pub lookup: DnsLookup,
    /// The records.
    pub records: Vec<Tlsa>,
    /// Whether DNSSEC vouches for them: without it, senders must ignore them.
    pub secure: bool,
    /// How a key change is prepared for, when records exist.
    pub rollover: Option<RolloverScheme>,
    /// Problems with the records.
    pub issues: Vec<RecordIssue>,
}

pub(super) async fn mx_policy(resolver: &Resolver, domain: &Domain) -> MxPolicy {
    let lookup = resolver.lookup(domain.as_str(), RecordType::MX).await;
    if lookup.status() == LookupStatus::Error {
        return MxPolicy {
            lookup: lookup.observation,
            set: None,
            issues: Vec::new(),
            hosts: Vec::new(),
        };
    }
    let records: Vec<Mx> = lookup
        .mx()
        .into_iter()
        .map(|(preference, exchange)| Mx::new(preference, exchange))
        .collect();
    let (set, mut issues) = analyse(&records);
    let named: Vec<(u16, Domain)> = match &set {
        MxSet::Implicit => vec![(0, domain.clone())],
        MxSet::Null => Vec::new(),
        MxSet::Hosts(hosts) => hosts
            .iter()
            .map(|host| (host.preference, host.exchange.clone()))
            .collect(),
    };
    let mut hosts = Vec::with_capacity(named.len());
    for (preference, name) in named {
        hosts.push(mail_host(resolver, name, preference).await);
    }
    let aliases: Vec<ExchangeAlias> = hosts
        .iter()
        .filter_map(|host| {
            let target = host.ipv4.cname_chain.last().or(host.ipv6.cname_chain.last())?;
            let canonical = target.rsplit(" -> ").next()?;
            Some(ExchangeAlias {
                exchange: host.name.clone(),
                canonical_name: Domain::parse(canonical).ok()?,
            })
        })
        .collect();
    issues.extend(lint_cname_exchanges(&set, &aliases));
    MxPolicy {
        lookup: lookup.observation,
        set: Some(set),
        issues,
        hosts,
    }
}

async fn mail_host(resolver: &Resolver, name: Domain, preference: u16) -> MailHost {
    let (ipv4, ipv6, tlsa) = tokio::join!(
        resolver.lookup(name.as_str(), RecordType::A),
        resolver.lookup(name.as_str(), RecordType::AAAA),
        tlsa_policy(resolver, &name),
    );
    let mut found = addresses(&ipv4);
    found.extend(addresses(&ipv6));
    let mut reverse = Vec::with_capacity(found.len());
    for address in &found {
        reverse.push(ptr_check(resolver, *address).await);
    }
    MailHost {
        name,
        preference,
        ipv4: ipv4.observation,
        ipv6: ipv6.observation,
        addresses: found,
        reverse,
        tlsa,
    }
}

/// The PTR names of `address`, and whether one of them resolves back to it.
pub(super) async fn ptr_check(resolver: &Resolver, address: IpAddr) -> PtrCheck {
    let lookup = resolver.lookup_ptr(address).await;
    let names: Vec<String> = lookup.ptr().into_iter().take(MAX_PTR_NAMES).collect();
    let record_type = if address.is_ipv4() {
        RecordType::A
    } else {
        RecordType::AAAA
    };
    let mut forward_confirmed = false;
    for name in &names {
        if super::addresses(&resolver.lookup(name, record_type).await).contains(&address) {
            forward_confirmed = true;
            break;
        }
    }
    PtrCheck {
        address,
        lookup: lookup.observation,
        names,
        forward_confirmed,
    }
}

async fn tlsa_policy(resolver: &Resolver, host: &Domain) -> TlsaPolicy {
    let lookup = resolver
        .lookup(&format!("_25._tcp.{host}"), RecordType::TLSA)
        .await;
    let records: Vec<Tlsa> = lookup
        .rdata()
        .filter_map(|data| match data {
            RData::TLSA(tlsa) => Some(Tlsa::new(
                u8::from(tlsa.cert_usage),
                u8::from(tlsa.selector),
                u8::from(tlsa.matching),
                tlsa.cert_data.clone(),
            )),
            _ => None,
        })
        .collect();
    let secure = matches!(lookup.observation.dnssec, DnssecStatus::Secure { .. });
    let (rollover, issues) = if records.is_empty() {
        (None, Vec::new())
    } else {
        (Some(rollover_scheme(&records)), lint_rrset(&records))
    };
    TlsaPolicy {
        lookup: lookup.observation,
        records,
        secure,
        rollover,
        issues,
    }
}
