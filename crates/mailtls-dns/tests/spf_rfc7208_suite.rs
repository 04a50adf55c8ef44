//! The OpenSPF RFC 7208 test suite (`tests/data/rfc7208-tests.yml`, see
//! `tests/data/rfc7208-tests.README.md`), run against `check_host()`.
//!
//! The harness is in three parts: the suite as data ([`Scenario`], [`Zone`]),
//! an in-memory [`SpfDns`] that serves a zone as the suite's own driver does
//! ([`ZoneDns`]), and [`run_suite`], which takes any function from a zone to
//! an `SpfDns`, so that a resolver talking to a DNS server loaded with the
//! same zone can be run through the same tests.
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used
)]

use std::collections::HashMap;
use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use hickory_proto::op::{Message, MessageType, OpCode, ResponseCode};
use hickory_proto::rr::{Name, RData, Record, RecordType};
use mailtls_core::transport::{DnsTransport, DnsTransportError};
use mailtls_dns::Resolver;
use mailtls_dns::spf::eval::check_mail_from;
use mailtls_dns::spf::{SpfDns, SpfDnsError, SpfResult};
use serde::Deserialize as _;
use serde_norway::Value;

const SUITE: &str = include_str!("data/rfc7208-tests.yml");

/// One record in a scenario's zone data.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ZoneEntry {
    /// Queries time out, unless a record of the asked type came before.
    Timeout,
    /// A TXT record: its strings. `None` is the suite's `TXT: NONE`, a TXT
    /// entry without a record (it stops SPF records being copied to TXT).
    Txt(Option<Vec<String>>),
    /// A record of the obsolete SPF type: never served to the evaluator.
    Spf(Vec<String>),
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    Mx(u16, String),
    Ptr(String),
    Cname(String),
}

/// A scenario's DNS data: lower-case names without trailing dot, each with
/// its entries in the order written.
#[derive(Debug, Clone, Default)]
struct Zone {
    names: HashMap<String, Vec<ZoneEntry>>,
}

struct SuiteTest {
    name: String,
    spec: String,
    host: IpAddr,
    mail_from: String,
    helo: String,
    /// Acceptable results; the first is preferred.
    results: Vec<SpfResult>,
    explanation: Option<String>,
}

struct Scenario {
    description: String,
    tests: Vec<SuiteTest>,
    zone: Zone,
}

fn scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Number(number) => number.to_string(),
        Value::Bool(flag) => flag.to_string(),
        Value::Null => String::new(),
        other => panic!("expected a scalar, found {other:?}"),
    }
}

fn strings(value: &Value) -> Vec<String> {
    match value {
        Value::Sequence(items) => items.iter().map(scalar).collect(),
        other => vec![scalar(other)],
    }
}

fn result_named(name: &str) -> SpfResult {
    match name {
        "none" => SpfResult::None,
        "neutral" => SpfResult::Neutral,
        "pass" => SpfResult::Pass,
        "fail" => SpfResult::Fail,
        "softfail" => SpfResult::SoftFail,
        "temperror" => SpfResult::TempError,
        "permerror" => SpfResult::PermError,
        other => panic!("unknown result {other:?} in the suite"),
    }
}

fn zone_entry(entry: &Value) -> ZoneEntry {
    if let Value::String(text) = entry {
        assert_eq!(text, "TIMEOUT", "the only bare zone entry is TIMEOUT");
        return ZoneEntry::Timeout;
    }
    let map = entry
        .as_mapping()
        .expect("a zone entry is TIMEOUT or a map of one record");
    let (rr_type, data) = map.iter().next().expect("a zone entry has one record");
    match scalar(rr_type).as_str() {
        "TXT" if data.as_str() == Some("NONE") => ZoneEntry::Txt(None),
        "TXT" => ZoneEntry::Txt(Some(strings(data))),
        "SPF" => ZoneEntry::Spf(strings(data)),
        "A" => ZoneEntry::A(scalar(data).parse().expect("an A record holds an IPv4 address")),
        "AAAA" => ZoneEntry::Aaaa(
            scalar(data)
                .parse()
                .expect("an AAAA record holds an IPv6 address"),
        ),
        "MX" => {
            let parts = data
                .as_sequence()
                .expect("an MX record is [preference, exchange]");
            ZoneEntry::Mx(
                scalar(&parts[0]).parse().expect("MX preference"),
                scalar(&parts[1]),
            )
        }
        "PTR" => ZoneEntry::Ptr(scalar(data)),
        "CNAME" => ZoneEntry::Cname(scalar(data)),
        other => panic!("unknown record type {other} in the suite"),
    }
}

/// Loads the zone as the suite's driver (`testspf.py`) does: a name's SPF
/// records are copied to TXT records, after its other entries, when the name
/// has no TXT entry of its own.
fn load_zone(data: &Value) -> Zone {
    let mut zone = Zone::default();
    for (name, entries) in data.as_mapping().expect("zonedata is a map") {
        let mut entries: Vec<ZoneEntry> = entries
            .as_sequence()
            .expect("a name's zone data is a list")
            .iter()
            .map(zone_entry)
            .collect();
        if !entries.iter().any(|entry| matches!(entry, ZoneEntry::Txt(_))) {
            let copies: Vec<ZoneEntry> = entries
                .iter()
                .filter_map(|entry| match entry {
                    ZoneEntry::Spf(strings) => Some(ZoneEntry::Txt(Some(strings.clone()))),
                    _ => None,
                })
                .collect();
            entries.extend(copies);
        }
        zone.names.insert(normalise_name(&scalar(name)), entries);
    }
    zone
}

fn normalise_name(name: &str) -> String {
    name.strip_suffix('.').unwrap_or(name).to_ascii_lowercase()
}

fn load_suite() -> Vec<Scenario> {
    let mut scenarios = Vec::new();
    for document in serde_norway::Deserializer::from_str(SUITE) {
        let value = Value::deserialize(document).expect("the suite is valid YAML");
        let description = value.get("description").map(scalar).unwrap_or_default();
        let zone = load_zone(value.get("zonedata").expect("every scenario has zonedata"));
        let mut tests = Vec::new();
        for (name, test) in value
            .get("tests")
            .and_then(Value::as_mapping)
            .expect("every scenario has tests")
        {
            let field = |key: &str| test.get(key).map(scalar);
            tests.push(SuiteTest {
                name: scalar(name),
                spec: field("spec").unwrap_or_default(),
                host: field("host")
                    .expect("host")
                    .parse()
                    .expect("host is an IP address"),
                mail_from: field("mailfrom").expect("mailfrom"),
                helo: field("helo").expect("helo"),
                results: strings(test.get("result").expect("result"))
                    .iter()
                    .map(|r| result_named(r))
                    .collect(),
                explanation: field("explanation"),
            });
        }
        scenarios.push(Scenario {
            description,
            tests,
            zone,
        });
    }
    scenarios
}

/// What [`ZoneDns`] answers for one query type.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Asked {
    Txt,
    A,
    Aaaa,
    Mx,
    Ptr,
}

/// Serves a [`Zone`] as `testspf.py` does: records of the asked type in
/// order; `TIMEOUT` times out unless a record of that type came before it;
/// a CNAME is followed (a loop is a server failure); an unknown name is
/// NXDOMAIN.
struct ZoneDns {
    zone: Zone,
}

impl ZoneDns {
    fn lookup(&self, name: &str, asked: Asked, depth: u32) -> Result<Vec<ZoneEntry>, SpfDnsError> {
        if depth > 8 {
            return Err(SpfDnsError::ServerFailure);
        }
        let Some(entries) = self.zone.names.get(&normalise_name(name)) else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for entry in entries {
            let matches = matches!(
                (entry, asked),
                (ZoneEntry::Txt(Some(_)), Asked::Txt)
                    | (ZoneEntry::A(_), Asked::A)
                    | (ZoneEntry::Aaaa(_), Asked::Aaaa)
                    | (ZoneEntry::Mx(..), Asked::Mx)
                    | (ZoneEntry::Ptr(_), Asked::Ptr)
            );
            match entry {
                ZoneEntry::Timeout if found.is_empty() => return Err(SpfDnsError::Timeout),
                ZoneEntry::Timeout => return Ok(found),
                ZoneEntry::Cname(target) => found.extend(self.lookup(target, asked, depth + 1)?),
                _ if matches => found.push(entry.clone()),
                _ => {}
            }
        }
        Ok(found)
    }
}

#[async_trait::async_trait]
impl SpfDns for ZoneDns {
    async fn txt(&self, name: &str) -> Result<Vec<String>, SpfDnsError> {
        Ok(self
            .lookup(name, Asked::Txt, 0)?
            .into_iter()
            .filter_map(|entry| match entry {
                ZoneEntry::Txt(Some(strings)) => Some(strings.concat()),
                _ => None,
            })
            .collect())
    }

    async fn a(&self, name: &str) -> Result<Vec<Ipv4Addr>, SpfDnsError> {
        Ok(self
            .lookup(name, Asked::A, 0)?
            .into_iter()
            .filter_map(|entry| {
                if let ZoneEntry::A(address) = entry {
                    Some(address)
                } else {
                    None
                }
            })
            .collect())
    }

    async fn aaaa(&self, name: &str) -> Result<Vec<Ipv6Addr>, SpfDnsError> {
        Ok(self
            .lookup(name, Asked::Aaaa, 0)?
            .into_iter()
            .filter_map(|entry| {
                if let ZoneEntry::Aaaa(address) = entry {
                    Some(address)
                } else {
                    None
                }
            })
            .collect())
    }

    async fn mx(&self, name: &str) -> Result<Vec<(u16, String)>, SpfDnsError> {
        Ok(self
            .lookup(name, Asked::Mx, 0)?
            .into_iter()
            .filter_map(|entry| {
                if let ZoneEntry::Mx(preference, host) = entry {
                    Some((preference, host))
                } else {
                    None
                }
            })
            .collect())
    }

    async fn ptr(&self, ip: IpAddr) -> Result<Vec<String>, SpfDnsError> {
        let name = match ip {
            IpAddr::V4(v4) => {
                let [a, b, c, d] = v4.octets();
                format!("{d}.{c}.{b}.{a}.in-addr.arpa")
            }
            IpAddr::V6(v6) => {
                let hex: String = v6.octets().iter().map(|byte| format!("{byte:02x}")).collect();
                let nibbles: Vec<String> = hex.chars().rev().map(String::from).collect();
                format!("{}.ip6.arpa", nibbles.join("."))
            }
        };
        Ok(self
            .lookup(&name, Asked::Ptr, 0)?
            .into_iter()
            .filter_map(|entry| {
                if let ZoneEntry::Ptr(target) = entry {
                    Some(target)
                } else {
                    None
                }
            })
            .collect())
    }
}

/// The outcome of running the suite: the count and each failure, described.
struct SuiteReport {
    total: usize,
    failures: Vec<String>,
    /// Tests that passed with an acceptable result other than the first.
    not_preferred: Vec<String>,
}

/// Runs every test of every scenario with the DNS `dns_for` builds from the
/// scenario's zone. The suite's default explanation is the string `DEFAULT`.
async fn run_suite<D: SpfDns>(dns_for: impl Fn(&Zone) -> D) -> SuiteReport {
    let mut report = SuiteReport {
        total: 0,
        failures: Vec::new(),
        not_preferred: Vec::new(),
    };
    for scenario in load_suite() {
        let dns = dns_for(&scenario.zone);
        for test in &scenario.tests {
            report.total += 1;
            let evaluation = check_mail_from(&dns, test.host, &test.mail_from, &test.helo).await;
            let explanation = evaluation.explanation.as_deref().unwrap_or("DEFAULT");
            let result_ok = test.results.contains(&evaluation.result);
            let explanation_ok = test
                .explanation
                .as_deref()
                .is_none_or(|expected| expected == explanation);
            if result_ok && test.results.first() != Some(&evaluation.result) {
                report
                    .not_preferred
                    .push(format!("{} ({})", test.name, evaluation.result));
            }
            if !(result_ok && explanation_ok) {
                let trace: Vec<String> = evaluation.trace.iter().map(ToString::to_string).collect();
                report.failures.push(format!(
                    "{} / {} (RFC 7208 {}): expected {}{}, got {}{}\n    {}",
                    scenario.description,
                    test.name,
                    test.spec,
                    test.results
                        .iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(" or "),
                    test.explanation
                        .as_ref()
                        .map(|e| format!(" with explanation {e:?}"))
                        .unwrap_or_default(),
                    evaluation.result,
                    format_args!(" with explanation {explanation:?}"),
                    trace.join("\n    "),
                ));
            }
        }
    }
    report
}

#[tokio::test]
async fn rfc7208_suite_passes_with_the_in_memory_zone() {
    let report = run_suite(|zone| ZoneDns { zone: zone.clone() }).await;
    let passed = report.total - report.failures.len();
    // Written to the process's stderr, past the test harness's capture, so
    // that the count shows in every run.
    let _ = writeln!(
        std::io::stderr(),
        "RFC 7208 suite: {passed}/{} passed",
        report.total
    );
    if !report.not_preferred.is_empty() {
        let _ = writeln!(
            std::io::stderr(),
            "RFC 7208 suite: accepted but not the preferred result: {}",
            report.not_preferred.join(", ")
        );
    }
    assert_eq!(report.total, 203, "the suite has 203 tests");
    assert!(
        report.failures.is_empty(),
        "failing tests:\n{}",
        report.failures.join("\n")
    );
}

#[test]
fn suite_declares_16_scenarios() {
    assert_eq!(load_suite().len(), 16);
}

#[test]
fn spf_records_are_copied_to_txt_only_without_a_txt_entry() {
    let suite = load_suite();
    let selecting = suite
        .iter()
        .find(|s| s.description == "Selecting records")
        .unwrap();
    let example4 = &selecting.zone.names["example4.com"];
    assert_eq!(
        example4,
        &vec![
            ZoneEntry::Spf(vec!["v=spf1 +all".to_owned()]),
            ZoneEntry::Txt(Some(vec!["v=spf1 -all".to_owned()])),
        ]
    );
    let example1 = &selecting.zone.names["example1.com"];
    assert_eq!(
        example1,
        &vec![
            ZoneEntry::Spf(vec!["v=spf1".to_owned()]),
            ZoneEntry::Txt(Some(vec!["v=spf1".to_owned()]))
        ]
    );
}

/// A recursive resolver's view of a scenario's zone, as DNS messages: the
/// same data as [`ZoneDns`], but served through [`DnsTransport`] so that
/// the stub resolver (encoding, decoding, CNAME handling, status mapping)
/// is part of what the suite tests.
struct ZoneTransport {
    dns: ZoneDns,
}

impl ZoneTransport {
    fn answer(&self, query: &Message) -> Result<Vec<u8>, DnsTransportError> {
        use hickory_proto::rr::rdata::{A, AAAA, CNAME, MX, PTR, TXT};
        let question = query.queries.first().cloned().expect("a query has a question");
        // The labels as sent, without the escaping of presentation format.
        let name = question
            .name
            .iter()
            .map(|label| String::from_utf8_lossy(label).into_owned())
            .collect::<Vec<_>>()
            .join(".");
        let asked = match question.query_type {
            RecordType::TXT => Asked::Txt,
            RecordType::A => Asked::A,
            RecordType::AAAA => Asked::Aaaa,
            RecordType::MX => Asked::Mx,
            RecordType::PTR => Asked::Ptr,
            other => panic!("the SPF evaluator never asks for {other}"),
        };
        let mut response = Message::new(query.metadata.id, MessageType::Response, OpCode::Query);
        response.metadata.recursion_desired = true;
        response.metadata.recursion_available = true;
        response.add_query(question.clone());
        let entries = match self.dns.lookup(&name, asked, 0) {
            Ok(entries) => entries,
            Err(SpfDnsError::Timeout) => {
                return Err(DnsTransportError::Timeout {
                    server: SERVER.parse().expect("a socket address"),
                    attempts: 1,
                    timeout: std::time::Duration::from_millis(1),
                });
            }
            Err(_) => {
                response.metadata.response_code = ResponseCode::ServFail;
                return Ok(response.to_vec().expect("a response encodes"));
            }
        };
        if entries.is_empty() && !self.dns.zone.names.contains_key(&normalise_name(&name)) {
            response.metadata.response_code = ResponseCode::NXDomain;
        }
        // A recursive resolver answers at the name asked, after following CNAMEs.
        let owner = question.name.clone();
        let mut target = normalise_name(&name);
        for _ in 0..8 {
            let next = self.dns.zone.names.get(&target).and_then(|entries| {
                entries.iter().find_map(|entry| match entry {
                    ZoneEntry::Cname(to) => Some(normalise_name(to)),
                    _ => None,
                })
            });
            let Some(next) = next else { break };
            let from = zone_name(&target);
            let to = zone_name(&next);
            response.add_answer(Record::from_rdata(from, 60, RData::CNAME(CNAME(to))));
            target = next;
        }
        let at = if target == normalise_name(&name) {
            owner
        } else {
            zone_name(&target)
        };
        for entry in entries {
            let data = match entry {
                ZoneEntry::Txt(Some(strings)) => {
                    // Character-strings hold at most 255 octets (RFC 1035 §3.3);
                    // an empty string stays one empty character-string, and a
                    // record needs at least one.
                    let mut chunks: Vec<&[u8]> = strings
                        .iter()
                        .flat_map(|s| {
                            let bytes = s.as_bytes();
                            if bytes.is_empty() {
                                vec![bytes]
                            } else {
                                bytes.chunks(255).collect()
                            }
                        })
                        .collect();
                    if chunks.is_empty() {
                        chunks.push(b"");
                    }
                    RData::TXT(TXT::from_bytes(chunks))
                }
                ZoneEntry::A(address) => RData::A(A(address)),
                ZoneEntry::Aaaa(address) => RData::AAAA(AAAA(address)),
                ZoneEntry::Mx(preference, exchange) => RData::MX(MX::new(preference, zone_name(&exchange))),
                ZoneEntry::Ptr(host) => RData::PTR(PTR(zone_name(&host))),
                _ => continue,
            };
            response.add_answer(Record::from_rdata(at.clone(), 60, data));
        }
        Ok(response.to_vec().expect("a response encodes"))
    }
}

const SERVER: &str = "127.0.0.53:53";

/// A zone's name as a DNS name, every octet of each label kept.
fn zone_name(text: &str) -> Name {
    let text = text.strip_suffix('.').unwrap_or(text);
    if text.is_empty() {
        return Name::root();
    }
    let mut name = Name::from_labels(text.split('.').map(str::as_bytes)).expect("a zone name");
    name.set_fqdn(true);
    name
}

#[async_trait::async_trait]
impl DnsTransport for ZoneTransport {
    async fn exchange(&self, query: &[u8]) -> Result<Vec<u8>, DnsTransportError> {
        let query = Message::from_vec(query).expect("the resolver sends valid queries");
        self.answer(&query)
    }

    fn server(&self) -> std::net::SocketAddr {
        SERVER.parse().expect("a socket address")
    }
}

#[tokio::test]
async fn rfc7208_suite_passes_through_the_resolver_and_a_dns_transport() {
    let report = run_suite(|zone| {
        let transport = ZoneTransport {
            dns: ZoneDns { zone: zone.clone() },
        };
        Resolver::new(vec![std::sync::Arc::new(transport)], false)
    })
    .await;
    let passed = report.total - report.failures.len();
    let _ = writeln!(
        std::io::stderr(),
        "RFC 7208 suite through the resolver: {passed}/{} passed",
        report.total
    );
    assert_eq!(report.total, 203, "the suite has 203 tests");
    assert!(
        report.failures.is_empty(),
        "failing tests:\n{}",
        report.failures.join("\n")
    );
}
