//! The SPF evaluator: `check_host()` (RFC 7208 §4) with a trace.
//!
//! ```text
//! RFC 7208 §4.1  check_host(<ip>, <domain>, <sender>)
//!   <ip>     - the IP address of the SMTP client that is emitting the mail
//!   <domain> - the domain that provides the sought-after authorization
//!              information; initially, the domain portion of the
//!              "MAIL FROM" or "HELO" identity.
//!   <sender> - the "MAIL FROM" or "HELO" identity.
//! RFC 7208 §2.6  results: none, neutral, pass, fail, softfail, temperror, permerror
//! ```
//!
//! DNS goes through [`SpfDns`], so that a resolver, a test zone or a cache
//! can answer. Only TXT records are consulted for the policy: the obsolete
//! `SPF` RR type is not (RFC 7208 §3.1).
//!
//! Limits (RFC 7208 §4.6.4): at most 10 terms that query the DNS (`include`,
//! `a`, `mx`, `ptr`, `exists`, `redirect`), counted when evaluated, over the
//! whole evaluation; at most 2 of them may find nothing ("void lookups"); an
//! `mx` may look up at most 10 exchanges (more is a `permerror`); a reverse
//! lookup uses at most its first 10 names. The `%{p}` macro's reverse lookup
//! and the `exp=` lookup are not counted.

mod trace;

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::{DomainSpec, MacroGrammar, MacroLetter, MacroString, MacroValues};
use super::parse::{is_spf_record, parse};
use super::record::{Mechanism, Qualifier};
pub use trace::{QueryAnswer, QueryType, SpfLimit, TermOutcome, TraceEvent, TraceStep};

/// The DNS as SPF needs it. Names are passed without a trailing dot.
#[async_trait::async_trait]
pub trait SpfDns: Send + Sync {
    /// TXT records at `name`, each record's strings joined without separator;
    /// NXDOMAIN or NODATA = `Ok(empty)`. Bytes that are not UTF-8 may be
    /// replaced: any non-ASCII character makes an SPF record invalid anyway.
    async fn txt(&self, name: &str) -> Result<Vec<String>, SpfDnsError>;
    /// A records at `name`; NXDOMAIN or NODATA = `Ok(empty)`.
    async fn a(&self, name: &str) -> Result<Vec<Ipv4Addr>, SpfDnsError>;
    /// AAAA records at `name`; NXDOMAIN or NODATA = `Ok(empty)`.
    async fn aaaa(&self, name: &str) -> Result<Vec<Ipv6Addr>, SpfDnsError>;
    /// MX records at `name` as (preference, exchange); NXDOMAIN or NODATA = `Ok(empty)`.
    async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, SpfDnsError>;
    /// PTR records for `ip` (in `in-addr.arpa` or `ip6.arpa`); NXDOMAIN or NODATA = `Ok(empty)`.
    async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, SpfDnsError>;
}

/// A DNS query that failed. For SPF every one of them means `temperror`
/// where the RFC does not say otherwise (RFC 7208 §5).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum SpfDnsError {
    /// No answer in time.
    #[error("the DNS query timed out")]
    Timeout,
    /// The server answered SERVFAIL.
    #[error("the DNS server failed (SERVFAIL)")]
    ServerFailure,
    /// Anything else: REFUSED, a malformed answer, a network error.
    #[error("the DNS query failed: {message}")]
    Other {
        /// What went wrong.
        message: String,
    },
}

/// The result of `check_host()` (RFC 7208 §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SpfResult {
    /// No SPF record, or the domain is not a valid name.
    None,
    /// The domain makes no assertion (`?`, or nothing matched).
    Neutral,
    /// The client is authorised.
    Pass,
    /// The client is not authorised.
    Fail,
    /// Probably not authorised (`~`).
    SoftFail,
    /// A transient DNS error.
    TempError,
    /// The domain's records could not be interpreted.
    PermError,
}

impl SpfResult {
    /// The result's name, as in `Received-SPF:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::None => "none",
            Self::Neutral => "neutral",
            Self::Pass => "pass",
            Self::Fail => "fail",
            Self::SoftFail => "softfail",
            Self::TempError => "temperror",
            Self::PermError => "permerror",
        }
    }
}

impl std::fmt::Display for SpfResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<Qualifier> for SpfResult {
    fn from(qualifier: Qualifier) -> Self {
        match qualifier {
            Qualifier::Pass => Self::Pass,
            Qualifier::Fail => Self::Fail,
            Qualifier::SoftFail => Self::SoftFail,
            Qualifier::Neutral => Self::Neutral,
        }
    }
}

/// What `check_host()` found, and how.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[non_exhaustive]
pub struct SpfEvaluation {
    /// The result.
    pub result: SpfResult,
    /// For a `fail`: the domain's explanation from `exp=`, macros expanded.
    /// `None` when there is none or it could not be used; the caller then
    /// uses its default explanation (RFC 7208 §6.2).
    pub explanation: Option<String>,
    /// Every step, in order.
    pub trace: Vec<TraceStep>,
    /// DNS-querying terms evaluated (the limit is 10).
    pub dns_lookups: u32,
    /// Lookups that found nothing (the limit is 2).
    pub void_lookups: u32,
}

/// Settings of an evaluation; the defaults follow RFC 7208.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CheckHostOptions {
    /// Most DNS-querying terms (RFC 7208 §4.6.4: 10).
    pub dns_lookup_limit: u32,
    /// Most void lookups (RFC 7208 §4.6.4 recommends 2).
    pub void_lookup_limit: u32,
    /// The checking host's name for `%{r}`; `unknown` when absent (§7.3).
    pub receiver: Option<String>,
    /// Seconds since the epoch for `%{t}`; the system clock when absent.
    pub timestamp: Option<u64>,
}

impl Default for CheckHostOptions {
    fn default() -> Self {
        Self {
            dns_lookup_limit: 10,
            void_lookup_limit: 2,
            receiver: None,
            timestamp: None,
        }
    }
}

/// The most address lookups an `mx` mechanism or a reverse-name validation may do.
const MAX_NAMES: usize = 10;

/// `check_host(<ip>, <domain>, <sender>)` with the default options.
///
/// `sender` is `local-part@domain`; without a local-part (`@domain`, or
/// empty) `postmaster` is used (§4.3). `helo` is only for `%{h}`. Give
/// internationalised domains as A-labels (`xn--`): a name with other than
/// visible ASCII is malformed, and the result is `none`.
pub async fn check_host(
    dns: &dyn SpfDns,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> SpfEvaluation {
    check_host_with(dns, &CheckHostOptions::default(), ip, domain, sender, helo).await
}

/// The check of the MAIL FROM identity (RFC 7208 §2.4): the domain of
/// `mail_from`, or of `postmaster@<helo>` when the reverse-path is null.
pub async fn check_mail_from(dns: &dyn SpfDns, ip: IpAddr, mail_from: &str, helo: &str) -> SpfEvaluation {
    if mail_from.is_empty() {
        return check_helo(dns, ip, helo).await;
    }
    let domain = mail_from.rsplit_once('@').map_or(mail_from, |(_, domain)| domain);
    check_host(dns, ip, domain, mail_from, helo).await
}

/// The check of the HELO identity (RFC 7208 §2.3): `postmaster@<helo>`.
pub async fn check_helo(dns: &dyn SpfDns, ip: IpAddr, helo: &str) -> SpfEvaluation {
    check_host(dns, ip, helo, "", helo).await
}

/// `check_host()` with explicit options.
pub async fn check_host_with(
    dns: &dyn SpfDns,
    options: &CheckHostOptions,
    ip: IpAddr,
    domain: &str,
    sender: &str,
    helo: &str,
) -> SpfEvaluation {
    // RFC 7208 §5: an IPv4-mapped IPv6 address MUST be considered IPv4.
    let ip = match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    };
    let domain = domain.strip_suffix('.').unwrap_or(domain);
    let (local_part, sender_domain) = match sender.rsplit_once('@') {
        Some((local, at)) => (local, if at.is_empty() { domain } else { at }),
        None if sender.is_empty() => ("", domain),
        None => ("", sender),
    };
    // RFC 7208 §4.3: a sender without local-part gets "postmaster".
    let local_part = if local_part.is_empty() {
        "postmaster"
    } else {
        local_part
    };
    let timestamp = options.timestamp.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |elapsed| elapsed.as_secs())
    });
    let mut evaluator = Evaluator {
        dns,
        options,
        ip,
        sender: format!("{local_part}@{sender_domain}"),
        local_part: local_part.to_owned(),
        sender_domain: sender_domain.to_owned(),
        helo: helo.to_owned(),
        receiver: options.receiver.clone().unwrap_or_else(|| "unknown".to_owned()),
        timestamp,
        dns_lookups: 0,
        void_lookups: 0,
        trace: Vec::new(),
        reverse: None,
    };
    let (result, explanation) = if is_well_formed_domain(domain) {
        let outcome = evaluator.check_host_at(domain.to_owned(), 0).await;
        let explanation = match (outcome.result, outcome.explain) {
            (SpfResult::Fail, Some((spec, at))) => {
                let text = evaluator.explanation(&spec, &at).await;
                evaluator.step(0, TraceEvent::Explanation { text: text.clone() });
                text
            }
            _ => None,
        };
        (outcome.result, explanation)
    } else {
        evaluator.step(
            0,
            TraceEvent::MalformedDomain {
                domain: domain.to_owned(),
            },
        );
        (SpfResult::None, None)
    };
    SpfEvaluation {
        result,
        explanation,
        trace: evaluator.trace,
        dns_lookups: evaluator.dns_lookups,
        void_lookups: evaluator.void_lookups,
    }
}

/// ```text
/// RFC 7208 §4.3: If the <domain> is malformed (e.g., label longer than 63
///   characters, zero-length label not at the end, etc.) or is not a
///   multi-label domain name, ... check_host() immediately returns "none".
/// ```
///
/// Address literals (`[192.0.2.1]`) and names whose last label is all digits
/// (IPv4 addresses, RFC 3696 §2) are malformed too.
fn is_well_formed_domain(domain: &str) -> bool {
    let labels: Vec<&str> = domain.split('.').collect();
    let top_is_numeric = labels
        .last()
        .is_some_and(|top| top.bytes().all(|b| b.is_ascii_digit()));
    normalise_target(domain).is_some()
        && labels.len() >= 2
        && !top_is_numeric
        && domain
            .chars()
            .all(|c| ('\x21'..='\x7e').contains(&c) && !matches!(c, '[' | ']' | '@'))
}

/// A `<target-name>` ready to query: without its trailing dot, shortened on
/// the left to 253 characters, and `None` when a label is empty or longer
/// than 63 octets (which no DNS query can carry).
///
/// ```text
/// RFC 7208 §7.3: When the result of macro expansion is used in a domain
///   name query, if the expanded domain name exceeds 253 characters ..., the
///   left side is truncated to fit, by removing successive domain labels
///   (and their following dots) until the total length does not exceed 253.
/// ```
pub(crate) fn normalise_target(name: &str) -> Option<String> {
    let mut name = name.strip_suffix('.').unwrap_or(name);
    while name.len() > 253 {
        name = name.split_once('.')?.1;
    }
    let valid = !name.is_empty()
        && name
            .split('.')
            .all(|label| !label.is_empty() && label.len() <= 63);
    valid.then(|| name.to_owned())
}

/// What the TXT records at a name hold for SPF (RFC 7208 §4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum RecordSelection {
    /// Exactly one SPF record.
    One(String),
    /// None: the result is `none`.
    NoRecord,
    /// Several: the result is `permerror`.
    Multiple(Vec<String>),
}

pub(crate) fn select_record(txt: Vec<String>) -> RecordSelection {
    let mut records: Vec<String> = txt.into_iter().filter(|record| is_spf_record(record)).collect();
    match records.len() {
        0 => RecordSelection::NoRecord,
        1 => records
            .pop()
            .map_or(RecordSelection::NoRecord, RecordSelection::One),
        _ => RecordSelection::Multiple(records),
    }
}

/// Whether `name` is `target` or a name under it, ignoring case.
pub(crate) fn is_same_or_subdomain(name: &str, target: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase();
    let target = target.strip_suffix('.').unwrap_or(target).to_ascii_lowercase();
    name == target || name.strip_suffix(&target).is_some_and(|head| head.ends_with('.'))
}

fn in_network(ip: IpAddr, network: IpAddr, prefix: u8) -> bool {
    match (ip, network) {
        (IpAddr::V4(ip), IpAddr::V4(network)) => {
            let mask = u32::MAX
                .checked_shl(32u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0);
            u32::from(ip) & mask == u32::from(network) & mask
        }
        (IpAddr::V6(ip), IpAddr::V6(network)) => {
            let mask = u128::MAX
                .checked_shl(128u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0);
            u128::from(ip) & mask == u128::from(network) & mask
        }
        _ => false,
    }
}

/// `Err` ends the evaluation with `temperror` or `permerror`.
type Eval<T> = Result<T, SpfResult>;

/// A `check_host()` result and, for a fail from a mechanism, the `exp=`
/// that explains it with the domain its macros expand against.
struct Outcome {
    result: SpfResult,
    explain: Option<(DomainSpec, String)>,
}

impl Outcome {
    fn of(result: SpfResult) -> Self {
        Self {
            result,
            explain: None,
        }
    }
}

/// The reverse names of `<ip>`, looked up once per evaluation.
#[derive(Clone)]
struct ReverseNames {
    /// The PTR answer.
    ptr: Result<Vec<String>, SpfDnsError>,
    /// The names, among the first ten, with an address equal to `<ip>`.
    validated: Vec<String>,
}

struct Evaluator<'a> {
    dns: &'a dyn SpfDns,
    options: &'a CheckHostOptions,
    ip: IpAddr,
    sender: String,
    local_part: String,
    sender_domain: String,
    helo: String,
    receiver: String,
    timestamp: u64,
    dns_lookups: u32,
    void_lookups: u32,
    trace: Vec<TraceStep>,
    reverse: Option<ReverseNames>,
}

impl Evaluator<'_> {
    fn step(&mut self, depth: u32, event: TraceEvent) {
        self.trace.push(TraceStep { depth, event });
    }

    /// ```text
    /// RFC 7208 §4.4  ... If the DNS lookup returns a server failure (RCODE 2)
    ///   or some other error (RCODE other than 0 or 3), or if the lookup times
    ///   out, then check_host() terminates immediately with "temperror".
    /// RFC 7208 §4.6.2  Each mechanism is considered in turn from left to
    ///   right.  ... If it matches, processing ends and the qualifier value
    ///   is returned as the result of that record.  ... If it returns an
    ///   exception, mechanism processing ends and the exception value is returned.
    /// RFC 7208 §4.7  If none of the mechanisms match and there is no
    ///   "redirect" modifier, then the check_host() returns "neutral".
    /// ```
    fn check_host_at(
        &mut self,
        domain: String,
        depth: u32,
    ) -> Pin<Box<dyn Future<Output = Outcome> + Send + '_>> {
        Box::pin(async move {
            self.step(
                depth,
                TraceEvent::CheckHost {
                    domain: domain.clone(),
                },
            );
            let outcome = self.evaluate_domain(&domain, depth).await;
            self.step(
                depth,
                TraceEvent::Result {
                    domain,
                    result: outcome.result,
                },
            );
            outcome
        })
    }

    async fn evaluate_domain(&mut self, domain: &str, depth: u32) -> Outcome {
        let Ok(txt) = self.txt(domain, depth).await else {
            return Outcome::of(SpfResult::TempError);
        };
        let record = match select_record(txt) {
            RecordSelection::One(record) => record,
            RecordSelection::NoRecord => {
                self.step(depth, TraceEvent::NoRecord);
                return Outcome::of(SpfResult::None);
            }
            RecordSelection::Multiple(records) => {
                self.step(depth, TraceEvent::MultipleRecords { records });
                return Outcome::of(SpfResult::PermError);
            }
        };
        self.step(
            depth,
            TraceEvent::Record {
                record: record.clone(),
            },
        );
        let parsed = parse(&record);
        if !parsed.is_valid() {
            self.step(
                depth,
                TraceEvent::SyntaxErrors {
                    issues: parsed.issues,
                },
            );
            return Outcome::of(SpfResult::PermError);
        }
        for directive in parsed.directives() {
            let term = directive.to_string();
            match self.mechanism(&directive.mechanism, domain, depth).await {
                Ok(true) => {
                    self.step(
                        depth,
                        TraceEvent::Term {
                            term,
                            outcome: TermOutcome::Match,
                        },
                    );
                    let result = SpfResult::from(directive.qualifier);
                    // RFC 7208 §6.2: exp= explains a fail due to a mechanism match.
                    let explain = (result == SpfResult::Fail)
                        .then(|| parsed.explanation().map(|spec| (spec.clone(), domain.to_owned())))
                        .flatten();
                    return Outcome { result, explain };
                }
                Ok(false) => self.step(
                    depth,
                    TraceEvent::Term {
                        term,
                        outcome: TermOutcome::NoMatch,
                    },
                ),
                Err(result) => {
                    self.step(
                        depth,
                        TraceEvent::Term {
                            term,
                            outcome: TermOutcome::Error,
                        },
                    );
                    return Outcome::of(result);
                }
            }
        }
        // RFC 7208 §6.1: redirect is ignored when there is an "all" anywhere.
        match parsed.redirect() {
            Some(target) if !parsed.has_all() => self.redirect(target, domain, depth).await,
            _ => Outcome::of(SpfResult::Neutral),
        }
    }

    /// ```text
    /// RFC 7208 §6.1: ... check_host() is evaluated with the resulting string
    ///   as the <domain>.  ... The result of this new evaluation of
    ///   check_host() is then considered the result of the current evaluation
    ///   with the exception that if no SPF record is found, or if the
    ///   <target-name> is malformed, the result is a "permerror" rather than "none".
    /// ```
    async fn redirect(&mut self, target: &DomainSpec, domain: &str, depth: u32) -> Outcome {
        let term = format!("redirect={target}");
        if let Err(result) = self.count_lookup(depth) {
            self.step(
                depth,
                TraceEvent::Term {
                    term,
                    outcome: TermOutcome::Error,
                },
            );
            return Outcome::of(result);
        }
        let Some(name) = self.target(Some(target), domain, depth).await else {
            self.step(
                depth,
                TraceEvent::Term {
                    term,
                    outcome: TermOutcome::Error,
                },
            );
            return Outcome::of(SpfResult::PermError);
        };
        self.step(
            depth,
            TraceEvent::Term {
                term,
                outcome: TermOutcome::Followed,
            },
        );
        let outcome = self.check_host_at(name, depth + 1).await;
        if outcome.result == SpfResult::None {
            Outcome::of(SpfResult::PermError)
        } else {
            outcome
        }
    }

    /// Evaluates one mechanism: `Ok(true)` when it matches.
    async fn mechanism(&mut self, mechanism: &Mechanism, domain: &str, depth: u32) -> Eval<bool> {
        match mechanism {
            Mechanism::All => Ok(true),
            Mechanism::Ip4 { network, prefix } => {
                Ok(in_network(self.ip, IpAddr::V4(*network), prefix.unwrap_or(32)))
            }
            Mechanism::Ip6 { network, prefix } => {
                Ok(in_network(self.ip, IpAddr::V6(*network), prefix.unwrap_or(128)))
            }
            Mechanism::Include { domain: spec } => self.include(spec, domain, depth).await,
            Mechanism::A { domain: spec, cidr } => {
                self.count_lookup(depth)?;
                let Some(name) = self.target(spec.as_ref(), domain, depth).await else {
                    return Ok(false);
                };
                let addresses = self
                    .addresses(&name, depth)
                    .await
                    .map_err(|_| SpfResult::TempError)?;
                if addresses.is_empty() {
                    self.void_lookup(depth)?;
                }
                let prefix = self.prefix(cidr.ip4, cidr.ip6);
                Ok(addresses
                    .iter()
                    .any(|address| in_network(self.ip, *address, prefix)))
            }
            Mechanism::Mx { domain: spec, cidr } => {
                self.count_lookup(depth)?;
                let Some(name) = self.target(spec.as_ref(), domain, depth).await else {
                    return Ok(false);
                };
                self.mx(&name, self.prefix(cidr.ip4, cidr.ip6), depth).await
            }
            Mechanism::Ptr { domain: spec } => {
                self.count_lookup(depth)?;
                let Some(name) = self.target(spec.as_ref(), domain, depth).await else {
                    return Ok(false);
                };
                let reverse = self.reverse_names(depth).await;
                // RFC 7208 §5.5: a DNS error on the PTR lookup is a no-match.
                if reverse.ptr.as_ref().is_ok_and(Vec::is_empty) {
                    self.void_lookup(depth)?;
                }
                Ok(reverse
                    .validated
                    .iter()
                    .any(|validated| is_same_or_subdomain(validated, &name)))
            }
            Mechanism::Exists { domain: spec } => {
                self.count_lookup(depth)?;
                let Some(name) = self.target(Some(spec), domain, depth).await else {
                    return Ok(false);
                };
                // RFC 7208 §5.7: an A lookup, even when the connection is IPv6.
                let answer = self.dns.a(&name).await;
                self.record_query(depth, QueryType::A, &name, &answer);
                let addresses = answer.map_err(|_| SpfResult::TempError)?;
                if addresses.is_empty() {
                    self.void_lookup(depth)?;
                }
                Ok(!addresses.is_empty())
            }
        }
    }

    fn prefix(&self, ip4: Option<u8>, ip6: Option<u8>) -> u8 {
        match self.ip {
            IpAddr::V4(_) => ip4.unwrap_or(32),
            IpAddr::V6(_) => ip6.unwrap_or(128),
        }
    }

    /// ```text
    /// RFC 7208 §5.2
    ///   +---------------------------------+---------------------------------+
    ///   | A recursive check_host() result | Causes the "include" mechanism  |
    ///   | of:                             | to:                             |
    ///   +---------------------------------+---------------------------------+
    ///   | pass                            | match                           |
    ///   | fail                            | not match                       |
    ///   | softfail                        | not match                       |
    ///   | neutral                         | not match                       |
    ///   | temperror                       | return temperror                |
    ///   | permerror                       | return permerror                |
    ///   | none                            | return permerror                |
    ///   +---------------------------------+---------------------------------+
    /// ```
    async fn include(&mut self, spec: &DomainSpec, domain: &str, depth: u32) -> Eval<bool> {
        self.count_lookup(depth)?;
        let Some(name) = self.target(Some(spec), domain, depth).await else {
            return Err(SpfResult::PermError);
        };
        // The included domain's exp= is not used (§6.2): drop it.
        match self.check_host_at(name, depth + 1).await.result {
            SpfResult::Pass => Ok(true),
            SpfResult::Fail | SpfResult::SoftFail | SpfResult::Neutral => Ok(false),
            SpfResult::TempError => Err(SpfResult::TempError),
            SpfResult::PermError | SpfResult::None => Err(SpfResult::PermError),
        }
    }

    /// ```text
    /// RFC 7208 §5.4: check_host() first performs an MX lookup on the
    ///   <target-name>.  Then it performs an address lookup on each MX name
    ///   returned.  ... If the MX lookup limit is exceeded, then "permerror"
    ///   is returned ...  If the <target-name> has no MX record, check_host()
    ///   MUST NOT apply the implicit MX rules of [RFC5321].
    /// RFC 7208 §4.6.4: the evaluation of each "MX" record MUST NOT result in
    ///   querying more than 10 address records.
    /// ```
    async fn mx(&mut self, name: &str, prefix: u8, depth: u32) -> Eval<bool> {
        let answer = self.dns.mx(name).await;
        self.record_query(depth, QueryType::Mx, name, &answer);
        let mut exchanges = answer.map_err(|_| SpfResult::TempError)?;
        if exchanges.is_empty() {
            self.void_lookup(depth)?;
            return Ok(false);
        }
        exchanges.sort_by_key(|(preference, _)| *preference);
        let mut looked_up = 0;
        for (_, exchange) in exchanges {
            let exchange = exchange.strip_suffix('.').unwrap_or(&exchange);
            if exchange.is_empty() {
                // RFC 7505: a null MX names no host.
                self.step(depth, TraceEvent::NullMx);
                continue;
            }
            if looked_up == MAX_NAMES {
                self.step(
                    depth,
                    TraceEvent::LimitExceeded {
                        limit: SpfLimit::MxNames,
                    },
                );
                return Err(SpfResult::PermError);
            }
            looked_up += 1;
            let addresses = self
                .addresses(exchange, depth)
                .await
                .map_err(|_| SpfResult::TempError)?;
            if addresses
                .iter()
                .any(|address| in_network(self.ip, *address, prefix))
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// ```text
    /// RFC 7208 §5.5: Perform a DNS reverse-mapping for <ip> ...  For each
    ///   record returned, validate the domain name by looking up its IP
    ///   addresses.  ... If <ip> is among the returned IP addresses, then
    ///   that domain name is validated.  ... If a DNS error occurs while
    ///   doing an A RR lookup, then that domain name is skipped.
    /// RFC 7208 §4.6.4: ... all records other than the first 10 MUST be ignored.
    /// ```
    async fn reverse_names(&mut self, depth: u32) -> ReverseNames {
        if let Some(reverse) = &self.reverse {
            return reverse.clone();
        }
        let answer = self.dns.ptr(self.ip).await;
        self.record_query(depth, QueryType::Ptr, &reverse_name(self.ip), &answer);
        let mut validated = Vec::new();
        if let Ok(names) = &answer {
            if names.len() > MAX_NAMES {
                self.step(
                    depth,
                    TraceEvent::LimitExceeded {
                        limit: SpfLimit::PtrNames,
                    },
                );
            }
            for name in names.iter().take(MAX_NAMES) {
                let name = name.strip_suffix('.').unwrap_or(name);
                let Some(name) = normalise_target(name) else {
                    continue;
                };
                if self
                    .addresses(&name, depth)
                    .await
                    .is_ok_and(|addresses| addresses.contains(&self.ip))
                {
                    self.step(depth, TraceEvent::Validated { name: name.clone() });
                    validated.push(name);
                }
            }
        }
        let reverse = ReverseNames {
            ptr: answer,
            validated,
        };
        self.reverse = Some(reverse.clone());
        reverse
    }

    /// ```text
    /// RFC 7208 §7.3: If the <domain> is present in the list of validated
    ///   domains, it SHOULD be used.  Otherwise, if a subdomain of the
    ///   <domain> is present, it SHOULD be used.  Otherwise, any name from
    ///   the list can be used.  If there are no validated domain names or if
    ///   a DNS error occurs, the string "unknown" is used.
    /// ```
    async fn validated_domain(&mut self, domain: &str, depth: u32) -> Option<String> {
        let validated = self.reverse_names(depth).await.validated;
        let exact = validated.iter().find(|name| name.eq_ignore_ascii_case(domain));
        let below = validated.iter().find(|name| is_same_or_subdomain(name, domain));
        exact.or(below).or(validated.first()).cloned()
    }

    /// The `<target-name>` of a term: the expanded domain-spec, or `<domain>`.
    async fn target(&mut self, spec: Option<&DomainSpec>, domain: &str, depth: u32) -> Option<String> {
        let expanded = match spec {
            Some(spec) => self.expand(spec.macro_string(), domain, depth).await,
            None => domain.to_owned(),
        };
        let target = normalise_target(&expanded);
        if target.is_none() {
            self.step(depth, TraceEvent::InvalidTarget { name: expanded });
        }
        target
    }

    async fn expand(&mut self, text: &MacroString, domain: &str, depth: u32) -> String {
        let validated_domain = if text.uses(MacroLetter::ValidatedDomain) {
            self.validated_domain(domain, depth).await
        } else {
            None
        };
        let values = MacroValues {
            sender: &self.sender,
            local_part: &self.local_part,
            sender_domain: &self.sender_domain,
            domain,
            ip: self.ip,
            validated_domain: validated_domain.as_deref(),
            helo: &self.helo,
            receiver: &self.receiver,
            timestamp: self.timestamp,
        };
        text.expand(&values)
    }

    /// ```text
    /// RFC 7208 §6.2: The <domain-spec> is macro expanded ... The DNS TXT
    ///   RRset for the <target-name> is fetched.  If there are any DNS
    ///   processing errors (any RCODE other than 0), or if no records are
    ///   returned, or if more than one record is returned, or if there are
    ///   syntax errors in the explanation string, then proceed as if no "exp"
    ///   modifier was given.  ... the explanation string MUST be limited to [US-ASCII].
    /// ```
    async fn explanation(&mut self, spec: &DomainSpec, domain: &str) -> Option<String> {
        let name = self.target(Some(spec), domain, 0).await?;
        let records = self.txt(&name, 0).await.ok()?;
        let [record] = records.as_slice() else { return None };
        let text = MacroString::parse(record, MacroGrammar::ExplainString).ok()?;
        let explanation = self.expand(&text, domain, 0).await;
        explanation.is_ascii().then_some(explanation)
    }

    /// ```text
    /// RFC 7208 §4.6.4: SPF implementations MUST limit the total number of
    ///   those terms to 10 during SPF evaluation ...  If this limit is
    ///   exceeded, the implementation MUST return "permerror".
    /// ```
    fn count_lookup(&mut self, depth: u32) -> Eval<()> {
        self.dns_lookups += 1;
        if self.dns_lookups > self.options.dns_lookup_limit {
            self.step(
                depth,
                TraceEvent::LimitExceeded {
                    limit: SpfLimit::DnsLookups,
                },
            );
            return Err(SpfResult::PermError);
        }
        Ok(())
    }

    /// ```text
    /// RFC 7208 §4.6.4: ... DNS queries return either a positive answer
    ///   (RCODE 0) with an answer count of 0, or a "Name Error" (RCODE 3)
    ///   answer.  These are sometimes collectively referred to as "void
    ///   lookups".  SPF implementations SHOULD limit "void lookups" to two.
    ///   ... Exceeding the limit produces a "permerror" result.
    /// ```
    fn void_lookup(&mut self, depth: u32) -> Eval<()> {
        self.void_lookups += 1;
        if self.void_lookups > self.options.void_lookup_limit {
            self.step(
                depth,
                TraceEvent::LimitExceeded {
                    limit: SpfLimit::VoidLookups,
                },
            );
            return Err(SpfResult::PermError);
        }
        Ok(())
    }

    async fn txt(&mut self, name: &str, depth: u32) -> Result<Vec<String>, SpfDnsError> {
        let answer = self.dns.txt(name).await;
        self.record_query(depth, QueryType::Txt, name, &answer);
        answer
    }

    /// The A or AAAA records of `name`, whichever matches `<ip>`'s family (§5.3).
    async fn addresses(&mut self, name: &str, depth: u32) -> Result<Vec<IpAddr>, SpfDnsError> {
        match self.ip {
            IpAddr::V4(_) => {
                let answer = self.dns.a(name).await;
                self.record_query(depth, QueryType::A, name, &answer);
                answer.map(|found| found.into_iter().map(IpAddr::V4).collect())
            }
            IpAddr::V6(_) => {
                let answer = self.dns.aaaa(name).await;
                self.record_query(depth, QueryType::Aaaa, name, &answer);
                answer.map(|found| found.into_iter().map(IpAddr::V6).collect())
            }
        }
    }

    fn record_query<T: Presentation>(
        &mut self,
        depth: u32,
        query_type: QueryType,
        name: &str,
        answer: &Result<Vec<T>, SpfDnsError>,
    ) {
        let answer = match answer {
            Ok(records) if records.is_empty() => QueryAnswer::Empty,
            Ok(records) => QueryAnswer::Records {
                records: records.iter().map(Presentation::presentation).collect(),
            },
            Err(error) => QueryAnswer::Error { error: error.clone() },
        };
        self.step(
            depth,
            TraceEvent::Query {
                query_type,
                name: name.to_owned(),
                answer,
            },
        );
    }
}

/// A record in presentation form, for the trace.
trait Presentation {
    fn presentation(&self) -> String;
}

impl Presentation for String {
    fn presentation(&self) -> String {
        self.clone()
    }
}

impl Presentation for Ipv4Addr {
    fn presentation(&self) -> String {
        self.to_string()
    }
}

impl Presentation for Ipv6Addr {
    fn presentation(&self) -> String {
        self.to_string()
    }
}

impl Presentation for (u16, String) {
    fn presentation(&self) -> String {
        format!("{} {}", self.0, self.1)
    }
}

/// The name a PTR query for `ip` asks about, for the trace.
fn reverse_name(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, d] = v4.octets();
            format!("{d}.{c}.{b}.{a}.in-addr.arpa")
        }
        IpAddr::V6(_) => {
            let nibbles = super::macros::ip_dot_format(ip).to_ascii_lowercase();
            let reversed: Vec<&str> = nibbles.split('.').rev().collect();
            format!("{}.ip6.arpa", reversed.join("."))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_removes_whole_labels_on_the_left() {
        let long = format!("{}.example.com", ["abcdefghij"; 30].join("."));
        let target = normalise_target(&long).unwrap();
        assert!(target.len() <= 253);
        assert!(target.ends_with(".example.com"));
        assert!(target.starts_with("abcdefghij."));
    }

    #[test]
    fn empty_label_is_not_queryable() {
        assert_eq!(normalise_target("mail.example...com"), None);
        assert_eq!(normalise_target("example.com."), Some("example.com".to_owned()));
    }

    #[test]
    fn prefix_zero_matches_every_address_of_the_family() {
        let ip = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
        assert!(in_network(ip, IpAddr::V4(Ipv4Addr::new(1, 1, 1, 1)), 0));
        assert!(!in_network(ip, IpAddr::V6(Ipv6Addr::UNSPECIFIED), 0));
    }

    #[test]
    fn subdomain_match_needs_a_label_boundary() {
        assert!(is_same_or_subdomain("mail.Example.com.", "example.COM"));
        assert!(!is_same_or_subdomain("badexample.com", "example.com"));
    }

    #[test]
    fn reverse_name_of_ipv6_is_lower_case_nibbles() {
        let ip: IpAddr = "2001:db8::1".parse().unwrap();
        assert_eq!(
            reverse_name(ip),
            "1.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa"
        );
    }

    #[test]
    fn mx_answer_is_presented_as_preference_and_exchange() {
        assert_eq!(
            (10u16, "mx.example.com".to_owned()).presentation(),
            "10 mx.example.com"
        );
    }
}
