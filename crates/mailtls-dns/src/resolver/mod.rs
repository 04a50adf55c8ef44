//! A stub resolver over [`DnsTransport`]: it asks a recursive resolver and
//! reports exactly what came back, including DNSSEC status and failures.
//!
//! Every lookup returns a [`Lookup`], never an error: a failed lookup is an
//! observation (`status: error`), kept apart from "no such name" and "no such
//! record", so that a check never mistakes a SERVFAIL for an absent record.
//!
//! Lookups are cached for the life of the resolver (one assessment), and
//! concurrent lookups of the same question share one query.

mod message;
pub mod resolv_conf;
mod spf_dns;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use hickory_proto::op::ResponseCode;
use hickory_proto::rr::{Name, RData, Record, RecordType};
use mailtls_core::transport::{DnsTransport, DnsTransportError};
use mailtls_core::{DnsLookup, DnssecStatus, LookupStatus};
use tokio::sync::OnceCell;

use message::{Answer, DataKind, MAX_CNAME_CHAIN, build_query, dns_name, read_answer};

/// The result of one lookup: the evidence and the typed records.
#[derive(Debug, Clone, PartialEq)]
pub struct Lookup {
    /// What was asked and what came back, for the report.
    pub observation: DnsLookup,
    /// The records of the asked type (empty unless the status is `answer`).
    pub records: Vec<Record>,
    /// Why the lookup failed, when its status is `error`.
    pub failure: Option<LookupFailure>,
}

/// The kind of a failed lookup, for callers that must react differently to
/// each (SPF maps a timeout and a SERVFAIL to `temperror`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum LookupFailure {
    /// No answer in time from any resolver.
    Timeout,
    /// SERVFAIL.
    ServerFailure,
    /// REFUSED or another failure code.
    Refused,
    /// The answer could not be used (undecodable, for another question, a CNAME loop).
    Malformed,
    /// The name asked is not a valid DNS name.
    InvalidName,
    /// A socket error.
    Network,
}

impl Lookup {
    /// A lookup that ended without records: no data, no domain, or a failure.
    fn without_records(observation: DnsLookup, failure: Option<LookupFailure>) -> Self {
        Self {
            observation,
            records: Vec::new(),
            failure,
        }
    }

    /// The status.
    pub fn status(&self) -> LookupStatus {
        self.observation.status
    }

    /// Whether DNSSEC validation vouched for the answer.
    pub fn is_secure(&self) -> bool {
        matches!(self.observation.dnssec, DnssecStatus::Secure { .. })
    }

    /// The record data.
    pub fn rdata(&self) -> impl Iterator<Item = &RData> {
        self.records.iter().map(|record| &record.data)
    }

    /// IPv4 addresses from A records.
    pub fn ipv4(&self) -> Vec<Ipv4Addr> {
        self.rdata()
            .filter_map(|data| if let RData::A(a) = data { Some(a.0) } else { None })
            .collect()
    }

    /// IPv6 addresses from AAAA records.
    pub fn ipv6(&self) -> Vec<Ipv6Addr> {
        self.rdata()
            .filter_map(|data| {
                if let RData::AAAA(aaaa) = data {
                    Some(aaaa.0)
                } else {
                    None
                }
            })
            .collect()
    }

    /// TXT records, each record's character-strings joined without separator
    /// (RFC 7208 §3.3, RFC 6376 §3.6.2.2); non-UTF-8 bytes are replaced.
    pub fn txt(&self) -> Vec<String> {
        self.rdata()
            .filter_map(|data| match data {
                RData::TXT(txt) => {
                    let bytes: Vec<u8> = txt.txt_data.iter().flat_map(|s| s.iter().copied()).collect();
                    Some(String::from_utf8_lossy(&bytes).into_owned())
                }
                _ => None,
            })
            .collect()
    }

    /// MX records as (preference, exchange), the exchange fully qualified with
    /// its labels' octets as they are (not escaped as in presentation format).
    pub fn mx(&self) -> Vec<(u16, String)> {
        self.rdata()
            .filter_map(|data| match data {
                RData::MX(mx) => Some((mx.preference, name_text(&mx.exchange))),
                _ => None,
            })
            .collect()
    }

    /// Names from PTR records, fully qualified, octets as they are.
    pub fn ptr(&self) -> Vec<String> {
        self.rdata()
            .filter_map(|data| {
                if let RData::PTR(ptr) = data {
                    Some(name_text(&ptr.0))
                } else {
                    None
                }
            })
            .collect()
    }
}

/// A cache key: the lower-cased name without trailing dot, and the type.
type Question = (String, RecordType);

/// Asks recursive resolvers, in order, falling through on transport failures.
pub struct Resolver {
    transports: Vec<Arc<dyn DnsTransport>>,
    validating: bool,
    cache: Mutex<HashMap<Question, Arc<OnceCell<Lookup>>>>,
    queries: AtomicU64,
}

impl std::fmt::Debug for Resolver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let servers: Vec<SocketAddr> = self.transports.iter().map(|t| t.server()).collect();
        f.debug_struct("Resolver")
            .field("servers", &servers)
            .field("validating", &self.validating)
            .finish()
    }
}

impl Resolver {
    /// A resolver asking `transports` in order. `validating` says the user
    /// trusts these resolvers to validate DNSSEC, so their AD bit counts
    /// (DESIGN §4 decision 6); otherwise every DNSSEC verdict is indeterminate.
    pub fn new(transports: Vec<Arc<dyn DnsTransport>>, validating: bool) -> Self {
        Self {
            transports,
            validating,
            cache: Mutex::new(HashMap::new()),
            queries: AtomicU64::new(0),
        }
    }

    /// The resolvers asked, in order.
    pub fn servers(&self) -> Vec<SocketAddr> {
        self.transports
            .iter()
            .map(|transport| transport.server())
            .collect()
    }

    /// Whether these resolvers are trusted to validate DNSSEC.
    pub fn is_validating(&self) -> bool {
        self.validating
    }

    /// DNS messages sent so far (retries within a transport not counted).
    pub fn queries_sent(&self) -> u64 {
        self.queries.load(Ordering::Relaxed)
    }

    /// Looks up `name` (with or without trailing dot) for `record_type`.
    pub async fn lookup(&self, name: &str, record_type: RecordType) -> Lookup {
        let key = (name.trim_end_matches('.').to_ascii_lowercase(), record_type);
        let cell = match self.cache.lock() {
            Ok(mut cache) => Arc::clone(cache.entry(key).or_default()),
            // A poisoned lock only means another lookup panicked; go uncached.
            Err(_) => Arc::new(OnceCell::new()),
        };
        cell.get_or_init(|| self.resolve(name, record_type)).await.clone()
    }

    /// The reverse-lookup (PTR) for an address.
    pub async fn lookup_ptr(&self, ip: IpAddr) -> Lookup {
        self.lookup(&reverse_name(ip), RecordType::PTR).await
    }

    async fn resolve(&self, name: &str, record_type: RecordType) -> Lookup {
        let mut observation = DnsLookup {
            name: if name.ends_with('.') {
                name.to_owned()
            } else {
                format!("{name}.")
            },
            record_type: record_type.to_string(),
            status: LookupStatus::Error,
            records: Vec::new(),
            cname_chain: Vec::new(),
            dnssec: DnssecStatus::Indeterminate {
                reason: "no answer".into(),
            },
            server: None,
            error: None,
        };
        let mut current = match dns_name(&observation.name) {
            Ok(parsed) => parsed,
            Err(error) => {
                observation.error = Some(format!("{name:?} is not a valid DNS name: {error}"));
                return Lookup::without_records(observation, Some(LookupFailure::InvalidName));
            }
        };
        let mut all_authentic = true;
        // Each round asks for the end of the CNAME chain so far.
        for _ in 0..=MAX_CNAME_CHAIN {
            let (answer, server) = match self.ask(&current, record_type, false).await {
                Ok(done) => done,
                Err((failure, error)) => {
                    observation.error = Some(error);
                    return Lookup::without_records(observation, Some(failure));
                }
            };
            observation.server = Some(server);
            let data = match answer {
                Answer::Data(data) => data,
                Answer::Failure { code } => {
                    return self
                        .failure(observation, &current, record_type, code, server)
                        .await;
                }
            };
            all_authentic &= data.authentic;
            observation.dnssec = self.dnssec_status(all_authentic, server);
            observation.cname_chain.extend(
                data.chain
                    .iter()
                    .map(|(owner, target)| format!("{owner} -> {target}")),
            );
            if observation.cname_chain.len() > MAX_CNAME_CHAIN {
                break;
            }
            match data.kind {
                DataKind::Records(records) => {
                    observation.status = LookupStatus::Answer;
                    observation.records = records.iter().map(|record| record.data.to_string()).collect();
                    return Lookup {
                        observation,
                        records,
                        failure: None,
                    };
                }
                DataKind::NxDomain => {
                    observation.status = LookupStatus::NxDomain;
                    return Lookup::without_records(observation, None);
                }
                DataKind::NoData => match data.chain.last() {
                    // The resolver left the chain's target unresolved: ask for it.
                    Some((_, target)) => current = target.clone(),
                    None => {
                        observation.status = LookupStatus::NoData;
                        return Lookup::without_records(observation, None);
                    }
                },
            }
        }
        observation.error = Some(format!("more than {MAX_CNAME_CHAIN} CNAMEs in a row"));
        Lookup::without_records(observation, Some(LookupFailure::Malformed))
    }

    /// A failure code; for SERVFAIL from a validating resolver, ask again with
    /// CD: an answer then means the data exists but failed validation (bogus).
    async fn failure(
        &self,
        mut observation: DnsLookup,
        name: &Name,
        record_type: RecordType,
        code: ResponseCode,
        server: SocketAddr,
    ) -> Lookup {
        observation.error = Some(format!("{server} answered {code}"));
        if code == ResponseCode::ServFail
            && self.validating
            && let Ok((Answer::Data(_), _)) = self.ask(name, record_type, true).await
        {
            observation.dnssec = DnssecStatus::Bogus {
                reason: format!(
                    "{server} answered SERVFAIL, but answers with checking disabled (CD): \
                     the data fails DNSSEC validation"
                ),
            };
            return Lookup::without_records(observation, Some(LookupFailure::ServerFailure));
        }
        observation.dnssec = DnssecStatus::Indeterminate {
            reason: format!("no answer ({code})"),
        };
        let failure = if code == ResponseCode::ServFail {
            LookupFailure::ServerFailure
        } else {
            LookupFailure::Refused
        };
        Lookup::without_records(observation, Some(failure))
    }

    fn dnssec_status(&self, authentic: bool, server: SocketAddr) -> DnssecStatus {
        match (self.validating, authentic) {
            (true, true) => DnssecStatus::Secure {
                source: format!("AD bit from validating resolver {server}"),
            },
            (true, false) => DnssecStatus::Insecure {
                source: format!("validating resolver {server} answered without AD"),
            },
            (false, ad) => DnssecStatus::Indeterminate {
                reason: format!(
                    "resolver {server} is not marked as validating, so its AD bit ({}) is not trusted",
                    if ad { "set" } else { "clear" }
                ),
            },
        }
    }

    /// One question to the first transport that answers.
    async fn ask(
        &self,
        name: &Name,
        record_type: RecordType,
        cd: bool,
    ) -> Result<(Answer, SocketAddr), (LookupFailure, String)> {
        let mut last_error = (LookupFailure::Network, "no resolver configured".to_owned());
        for transport in &self.transports {
            let query = build_query(rand::random(), name, record_type, cd)
                .map_err(|error| (LookupFailure::InvalidName, error))?;
            self.queries.fetch_add(1, Ordering::Relaxed);
            match transport.exchange(&query).await {
                Ok(bytes) => {
                    return read_answer(&bytes, name, record_type)
                        .map(|answer| (answer, transport.server()))
                        .map_err(|error| {
                            (
                                LookupFailure::Malformed,
                                format!("{}: {error}", transport.server()),
                            )
                        });
                }
                Err(error @ DnsTransportError::Timeout { .. }) => {
                    last_error = (LookupFailure::Timeout, error.to_string());
                }
                Err(error) => last_error = (LookupFailure::Network, error.to_string()),
            }
        }
        Err(last_error)
    }
}

/// A name's labels joined by dots, with the trailing dot, each label's octets
/// as they are (lossily UTF-8): the text that names in mail policy records use.
fn name_text(name: &Name) -> String {
    let mut text: String = name
        .iter()
        .map(String::from_utf8_lossy)
        .collect::<Vec<_>>()
        .join(".");
    text.push('.');
    text
}

/// The reverse-mapping name of an address (RFC 1035 §3.5, RFC 3596 §2.5).
pub fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa.")
        }
        IpAddr::V6(v6) => {
            let mut name = String::with_capacity(73);
            for byte in v6.octets().iter().rev() {
                name.push_str(&format!("{:x}.{:x}.", byte & 0x0f, byte >> 4));
            }
            name.push_str("ip6.arpa.");
            name
        }
    }
}
