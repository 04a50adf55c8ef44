//! The domain assessor: the DNS policy, then every mail endpoint it names,
//! probed within the scheduler's limits, then what the two say together
//! (DANE against the served chains, MTA-STS against the MX set and the MX
//! certificates). One [`Assessment`] out.
//!
//! ```text
//! MX hosts       -> each address, port 25                 (RFC 5321 §5.1)
//! SRV targets    -> each address, the SRV port            (RFC 6186, RFC 8314)
//! --host NAME    -> each address, 587 465 143 993 110 995
//! ```
//! Each (address, port, SNI) is probed once, so a host named twice costs once.

use std::collections::HashSet;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use hickory_proto::rr::RecordType;
use mailtls_core::transport::Connector;
use mailtls_core::{Domain, Endpoint, EndpointObservation, Generator, Host, MailProtocol, TrustVerdict};
use mailtls_dns::Resolver;
use mailtls_dns::mta_sts::policy_covers;
use mailtls_dns::policy::{DomainPolicy, MailHost, PolicyOptions, gather};
use mailtls_dns::srv::ServiceOffer;
use rustls::pki_types::CertificateDer;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::dane::{TlsaAssociation, assess_tlsa_set};
use crate::endpoint_probe::ProbeConfig;
use crate::mta_sts::{PolicyFetch, fetch_policy};
use crate::scheduler::{Limits, ProgressSink, probe_all};

/// The services tried on a host named with `--host`.
const HOST_PROTOCOLS: [MailProtocol; 6] = [
    MailProtocol::Submission,
    MailProtocol::Submissions,
    MailProtocol::Imap,
    MailProtocol::Imaps,
    MailProtocol::Pop3,
    MailProtocol::Pop3s,
];

/// How to assess a domain.
#[derive(Debug, Clone)]
pub struct AssessOptions {
    /// How to probe each endpoint.
    pub probe: ProbeConfig,
    /// What to look up beyond what DNS enumerates (DKIM selectors).
    pub policy: PolicyOptions,
    /// Extra submission/IMAP/POP3 hosts besides those SRV names.
    pub extra_hosts: Vec<Domain>,
    /// Connection limits.
    pub limits: Limits,
    /// Probe IPv4 addresses.
    pub ipv4: bool,
    /// Probe IPv6 addresses.
    pub ipv6: bool,
    /// Connect to the mail endpoints here instead of the addresses DNS gives
    /// (names are kept for SNI and certificate validation), e.g. to test a
    /// server before it is in DNS. The MTA-STS policy host, a web server, is
    /// still found through DNS.
    pub connect: Option<IpAddr>,
}

impl Default for AssessOptions {
    fn default() -> Self {
        Self {
            probe: ProbeConfig::default(),
            policy: PolicyOptions {
                dkim_selectors: Vec::new(),
                common_dkim_selectors: true,
            },
            extra_hosts: Vec::new(),
            limits: Limits::default(),
            ipv4: true,
            ipv6: true,
            connect: None,
        }
    }
}

/// Everything seen of one mail domain.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Assessment {
    /// Shape version of this document.
    pub schema_version: u32,
    /// Who made it.
    pub generator: Generator,
    /// The domain assessed.
    pub domain: Domain,
    /// Start, seconds since the Unix epoch.
    pub started_at: u64,
    /// Wall time, milliseconds.
    pub duration_ms: u64,
    /// TCP connections opened to servers (DNS not counted).
    pub connections: u64,
    /// The resolvers asked.
    pub resolvers: Vec<SocketAddr>,
    /// Whether their DNSSEC validation (AD bit) was trusted.
    pub validating_resolver: bool,
    /// DNS queries sent.
    pub dns_queries: u64,
    /// The policy DNS publishes.
    pub policy: DomainPolicy,
    /// The MTA-STS policy as a sender fetches it, and what it covers.
    pub mta_sts: Option<MtaStsAssessment>,
    /// Every endpoint probed.
    pub endpoints: Vec<EndpointObservation>,
}

/// The MTA-STS policy and whether delivery under it works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MtaStsAssessment {
    /// The fetch.
    pub fetch: PolicyFetch,
    /// MX hosts that no `mx` pattern of the policy covers: in enforce mode,
    /// senders refuse to deliver to them (RFC 8461 §4.1).
    pub uncovered_mx: Vec<Domain>,
    /// Whether each MX address served a certificate valid for its name, as
    /// senders enforcing the policy require (RFC 8461 §4.2).
    pub mx_certificates: Vec<MxCertificate>,
}

/// One MX address's certificate, judged as an MTA-STS sender judges it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MxCertificate {
    /// The MX host.
    pub host: Domain,
    /// The address probed.
    pub address: SocketAddr,
    /// Valid for the host name and trusted; unknown when no TLS was seen.
    pub valid: Option<bool>,
    /// Why, in words.
    pub detail: String,
}

/// Assesses `domain`: DNS policy, the endpoints it names, DANE and MTA-STS.
pub async fn assess(
    resolver: &Resolver,
    connector: Arc<dyn Connector>,
    options: &AssessOptions,
    domain: &Domain,
    progress: ProgressSink,
) -> Assessment {
    let started_at = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0);
    let clock = std::time::Instant::now();
    let policy = gather(resolver, domain, &options.policy).await;
    let targets = plan(resolver, options, &policy).await;
    let probes = probe_all(
        Arc::clone(&connector),
        Arc::new(options.probe.clone()),
        options.limits,
        targets,
        progress,
    );
    let (mut endpoints, fetch) = tokio::join!(
        probes,
        fetch_mta_sts(resolver, connector.as_ref(), options, &policy)
    );
    add_dane(&policy, &mut endpoints);
    let mta_sts = fetch.map(|fetch| mta_sts_assessment(&policy, fetch, &endpoints));
    let fetch_connections = u64::from(mta_sts.as_ref().is_some_and(|mta| mta.fetch.address.is_some()));
    Assessment {
        schema_version: mailtls_core::SCHEMA_VERSION,
        generator: Generator::mailtls(),
        domain: domain.clone(),
        started_at,
        duration_ms: u64::try_from(clock.elapsed().as_millis()).unwrap_or(u64::MAX),
        connections: endpoints.iter().map(|endpoint| endpoint.connections).sum::<u64>() + fetch_connections,
        resolvers: resolver.servers(),
        validating_resolver: resolver.is_validating(),
        dns_queries: resolver.queries_sent(),
        policy,
        mta_sts,
        endpoints,
    }
}

/// The addresses of `host` that the options allow, through the resolver.
async fn addresses(resolver: &Resolver, options: &AssessOptions, host: &Domain) -> Vec<IpAddr> {
    let mut found = Vec::new();
    if options.ipv4 {
        let lookup = resolver.lookup(host.as_str(), RecordType::A).await;
        found.extend(lookup.ipv4().into_iter().map(IpAddr::V4));
    }
    if options.ipv6 {
        let lookup = resolver.lookup(host.as_str(), RecordType::AAAA).await;
        found.extend(lookup.ipv6().into_iter().map(IpAddr::V6));
    }
    found
}

fn allowed(options: &AssessOptions, address: &IpAddr) -> bool {
    if address.is_ipv4() {
        options.ipv4
    } else {
        options.ipv6
    }
}

/// Every (endpoint, address) to probe, each (address, port, SNI) once.
async fn plan(
    resolver: &Resolver,
    options: &AssessOptions,
    policy: &DomainPolicy,
) -> Vec<(Endpoint, SocketAddr)> {
    let mut wanted: Vec<(MailProtocol, Domain, u16, Vec<IpAddr>)> = Vec::new();
    for host in &policy.mx.hosts {
        let addresses = host
            .addresses
            .iter()
            .copied()
            .filter(|ip| allowed(options, ip))
            .collect();
        wanted.push((MailProtocol::Smtp, host.name.clone(), 25, addresses));
    }
    for service in &policy.services.services {
        if let Some(ServiceOffer::Offered(targets)) = &service.offer {
            for target in targets {
                let addresses = addresses(resolver, options, &target.host).await;
                wanted.push((
                    service.service.protocol(),
                    target.host.clone(),
                    target.port,
                    addresses,
                ));
            }
        }
    }
    for host in &options.extra_hosts {
        let addresses = addresses(resolver, options, host).await;
        for protocol in HOST_PROTOCOLS {
            wanted.push((protocol, host.clone(), protocol.default_port(), addresses.clone()));
        }
    }
    let mut seen = HashSet::new();
    let mut targets = Vec::new();
    for (protocol, host, port, addresses) in wanted {
        let addresses = match options.connect {
            Some(ip) => vec![ip],
            None => addresses,
        };
        for ip in addresses {
            let address = SocketAddr::new(ip, port);
            if seen.insert((address, host.clone())) {
                targets.push((
                    Endpoint {
                        protocol,
                        host: Host::Domain(host.clone()),
                        port,
                    },
                    address,
                ));
            }
        }
    }
    targets
}

/// Fetches the MTA-STS policy when the domain announces one.
async fn fetch_mta_sts(
    resolver: &Resolver,
    connector: &dyn Connector,
    options: &AssessOptions,
    policy: &DomainPolicy,
) -> Option<PolicyFetch> {
    policy.mta_sts.record.as_ref()?;
    let Ok(host) = Domain::parse(&format!("mta-sts.{}", policy.domain)) else {
        return None;
    };
    let addresses: Vec<SocketAddr> = addresses(resolver, options, &host)
        .await
        .into_iter()
        .map(|ip| SocketAddr::new(ip, 443))
        .collect();
    let timeout = options.probe.tls_timeout.max(Duration::from_secs(1));
    Some(
        fetch_policy(
            connector,
            &options.probe.trust,
            &policy.domain,
            &addresses,
            timeout,
        )
        .await,
    )
}

/// The served chain of an observation, as DER.
fn served_chain(observation: &EndpointObservation) -> Vec<CertificateDer<'static>> {
    observation
        .tls
        .iter()
        .flat_map(|tls| &tls.certificates)
        .filter_map(|certificate| {
            base64::engine::general_purpose::STANDARD
                .decode(&certificate.der_base64)
                .ok()
                .map(CertificateDer::from)
        })
        .collect()
}

fn mx_host_of<'p>(policy: &'p DomainPolicy, observation: &EndpointObservation) -> Option<&'p MailHost> {
    if observation.endpoint.protocol != MailProtocol::Smtp {
        return None;
    }
    let Host::Domain(name) = &observation.endpoint.host else {
        return None;
    };
    policy.mx.hosts.iter().find(|host| host.name == *name)
}

/// Matches each MX endpoint's served chain against its host's TLSA records.
fn add_dane(policy: &DomainPolicy, endpoints: &mut [EndpointObservation]) {
    for observation in endpoints.iter_mut() {
        let Some(host) = mx_host_of(policy, observation) else {
            continue;
        };
        if host.tlsa.records.is_empty() {
            continue;
        }
        let chain = served_chain(observation);
        let records: Vec<TlsaAssociation> = host
            .tlsa
            .records
            .iter()
            .map(|tlsa| {
                TlsaAssociation::from((
                    tlsa.usage.to_u8(),
                    tlsa.selector.to_u8(),
                    tlsa.matching_type.to_u8(),
                    tlsa.data.clone(),
                ))
            })
            .collect();
        // RFC 7672 §3.2.2: the reference names are the MX host name (and the
        // TLSA base domain, which is the same name when there is no CNAME).
        let reference = [host.name.as_str()];
        if let Some(tls) = observation.tls.as_mut() {
            tls.dane = Some(assess_tlsa_set(&records, &chain, host.tlsa.secure, &reference));
        }
    }
}

fn mta_sts_assessment(
    policy: &DomainPolicy,
    fetch: PolicyFetch,
    endpoints: &[EndpointObservation],
) -> MtaStsAssessment {
    let mx_names: Vec<Domain> = policy.mx.hosts.iter().map(|host| host.name.clone()).collect();
    let uncovered_mx = fetch
        .policy
        .as_ref()
        .map(|sts| policy_covers(sts, &mx_names))
        .unwrap_or_default();
    let mx_certificates = endpoints
        .iter()
        .filter_map(|observation| {
            let host = mx_host_of(policy, observation)?;
            let (valid, detail) = match (&observation.tls, &observation.tls_failure) {
                (Some(tls), _) => match &tls.trust {
                    TrustVerdict::Trusted => {
                        (Some(true), "trusted and valid for the MX host name".to_owned())
                    }
                    TrustVerdict::Untrusted { reason } => (Some(false), reason.clone()),
                    TrustVerdict::NotChecked { reason } => (None, reason.clone()),
                },
                (None, Some(failure)) => (Some(false), failure.clone()),
                (None, None) => (None, "no TLS handshake was seen".to_owned()),
            };
            Some(MxCertificate {
                host: host.name.clone(),
                address: observation.address,
                valid,
                detail,
            })
        })
        .collect();
    MtaStsAssessment {
        fetch,
        uncovered_mx,
        mx_certificates,
    }
}
