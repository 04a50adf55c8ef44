//! `check_host()` (RFC 7208 §4, §5, §6) against an in-memory DNS. The
//! OpenSPF suite is in `spf_rfc7208_suite.rs`; these tests pin the behaviour
//! the suite leaves open and the evaluation's counters and trace.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod spf_support;

use std::net::IpAddr;

use mailtls_dns::spf::eval::{
    CheckHostOptions, QueryAnswer, QueryType, SpfLimit, TermOutcome, TraceEvent, check_helo, check_host_with,
    check_mail_from,
};
use mailtls_dns::spf::{SpfDnsError, SpfResult, check_host};
use proptest::prelude::*;
use spf_support::TestDns;

fn ip(text: &str) -> IpAddr {
    text.parse().unwrap()
}

async fn result_for(dns: &TestDns, client: &str) -> SpfResult {
    check_host(
        dns,
        ip(client),
        "example.com",
        "user@example.com",
        "mail.example.com",
    )
    .await
    .result
}

#[tokio::test]
async fn ip4_match_passes() {
    let dns = TestDns::new().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Pass);
    assert_eq!(result_for(&dns, "198.51.100.7").await, SpfResult::Fail);
}

#[tokio::test]
async fn ipv4_mapped_client_is_treated_as_ipv4() {
    let dns = TestDns::new().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all");
    assert_eq!(result_for(&dns, "::ffff:192.0.2.7").await, SpfResult::Pass);
}

#[tokio::test]
async fn no_spf_record_is_none() {
    let dns = TestDns::new().txt("example.com", "google-site-verification=abc");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::None);
}

#[tokio::test]
async fn two_spf_records_are_permerror() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 -all")
        .txt("example.com", "v=spf1 +all");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::PermError);
}

#[tokio::test]
async fn syntax_error_after_a_match_is_still_permerror() {
    let dns = TestDns::new().txt("example.com", "v=spf1 ip4:192.0.2.0/24 -all moo");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::PermError);
}

#[tokio::test]
async fn txt_timeout_is_temperror() {
    let dns = TestDns::new().timeout("example.com");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::TempError);
}

#[tokio::test]
async fn timeout_in_a_mechanism_is_temperror() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 a:slow.example.net -all")
        .timeout("slow.example.net");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::TempError);
}

#[tokio::test]
async fn malformed_domain_is_none_without_any_query() {
    let dns = TestDns::new();
    for domain in ["[192.0.2.1]", "localhost", "a..example.com", "192.0.2.1"] {
        let evaluation = check_host(&dns, ip("192.0.2.1"), domain, "", "helo").await;
        assert_eq!(evaluation.result, SpfResult::None, "{domain}");
    }
    assert_eq!(dns.queries(), Vec::<String>::new());
}

#[tokio::test]
async fn spf_include_loop_is_permerror() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.com -all")
        .txt("_spf.example.com", "v=spf1 include:example.com -all");
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    assert_eq!(evaluation.result, SpfResult::PermError);
    assert_eq!(evaluation.dns_lookups, 11);
    assert!(evaluation.trace.iter().any(|step| step.event
        == TraceEvent::LimitExceeded {
            limit: SpfLimit::DnsLookups
        }));
}

#[tokio::test]
async fn include_of_domain_without_spf_is_permerror() {
    let dns = TestDns::new().txt("example.com", "v=spf1 include:nospf.example.net -all");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::PermError);
}

#[tokio::test]
async fn include_fail_does_not_match_and_evaluation_goes_on() {
    let dns = TestDns::new()
        .txt(
            "example.com",
            "v=spf1 include:_spf.example.net ip4:192.0.2.7 -all",
        )
        .txt("_spf.example.net", "v=spf1 -all");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Pass);
}

#[tokio::test]
async fn tenth_lookup_is_allowed_and_eleventh_is_permerror() {
    let ten = TestDns::new().txt("example.com", "v=spf1 a a a a a a a a a a ip4:192.0.2.7 -all");
    let eleven = TestDns::new().txt("example.com", "v=spf1 a a a a a a a a a a a ip4:192.0.2.7 -all");
    let ten = ten.a("example.com", "198.51.100.1");
    let eleven = eleven.a("example.com", "198.51.100.1");
    assert_eq!(result_for(&ten, "192.0.2.7").await, SpfResult::Pass);
    assert_eq!(result_for(&eleven, "192.0.2.7").await, SpfResult::PermError);
}

#[tokio::test]
async fn third_void_lookup_is_permerror() {
    let dns = TestDns::new().txt(
        "example.com",
        "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com ?all",
    );
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    assert_eq!(evaluation.result, SpfResult::PermError);
    assert_eq!(evaluation.void_lookups, 3);
    assert_eq!(evaluation.dns_lookups, 3);
}

#[tokio::test]
async fn void_lookup_limit_is_configurable() {
    let dns = TestDns::new().txt(
        "example.com",
        "v=spf1 a:n1.example.com a:n2.example.com a:n3.example.com ?all",
    );
    let mut options = CheckHostOptions::default();
    options.void_lookup_limit = 3;
    let evaluation = check_host_with(&dns, &options, ip("192.0.2.7"), "example.com", "", "helo").await;
    assert_eq!(evaluation.result, SpfResult::Neutral);
}

#[tokio::test]
async fn mx_matches_an_address_of_an_exchange_within_its_prefix() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 mx/24 -all")
        .mx("example.com", 20, "mx2.example.com")
        .mx("example.com", 10, "mx1.example.com.")
        .a("mx2.example.com", "192.0.2.1");
    assert_eq!(result_for(&dns, "192.0.2.200").await, SpfResult::Pass);
    assert_eq!(
        dns.queries(),
        vec![
            "TXT example.com",
            "MX example.com",
            "A mx1.example.com",
            "A mx2.example.com"
        ]
    );
}

#[tokio::test]
async fn mx_needing_an_eleventh_exchange_is_permerror() {
    let dns = (0..11).fold(TestDns::new().txt("example.com", "v=spf1 mx -all"), |dns, n| {
        dns.mx("example.com", n, &format!("mx{n}.example.com"))
    });
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::PermError);
}

#[tokio::test]
async fn mx_without_records_does_not_fall_back_to_a() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 mx -all")
        .a("example.com", "192.0.2.7");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Fail);
}

#[tokio::test]
async fn ptr_matches_a_validated_name_under_the_target() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 ptr -all")
        .ptr("192.0.2.7", "forged.example.com")
        .ptr("192.0.2.7", "mail.Example.com.")
        .a("mail.example.com", "192.0.2.7");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Pass);
}

#[tokio::test]
async fn ptr_name_that_does_not_resolve_back_does_not_validate() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 ptr -all")
        .ptr("192.0.2.7", "mail.example.com")
        .a("mail.example.com", "192.0.2.8");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Fail);
}

#[tokio::test]
async fn ptr_uses_only_the_first_ten_names() {
    let dns = (0..10).fold(TestDns::new().txt("example.com", "v=spf1 ptr -all"), |dns, n| {
        dns.ptr("192.0.2.7", &format!("host{n}.other.example"))
    });
    let dns = dns
        .ptr("192.0.2.7", "mail.example.com")
        .a("mail.example.com", "192.0.2.7");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Fail);
}

#[tokio::test]
async fn exp_explains_a_fail_with_macros_expanded() {
    let dns = TestDns::new().txt("example.com", "v=spf1 -all exp=why.%{d}").txt(
        "why.example.com",
        "%{l} may not send from %{i}; see https://%{d}/spf?%{S}",
    );
    let evaluation = check_host(
        &dns,
        ip("192.0.2.7"),
        "example.com",
        "user+tag@example.com",
        "helo",
    )
    .await;
    assert_eq!(evaluation.result, SpfResult::Fail);
    assert_eq!(
        evaluation.explanation.as_deref(),
        Some("user+tag may not send from 192.0.2.7; see https://example.com/spf?user%2Btag%40example.com")
    );
}

#[tokio::test]
async fn exp_is_not_used_for_softfail() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 ~all exp=why.example.com")
        .txt("why.example.com", "Because.");
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    assert_eq!(evaluation.result, SpfResult::SoftFail);
    assert_eq!(evaluation.explanation, None);
    assert!(!dns.queries().contains(&"TXT why.example.com".to_owned()));
}

#[tokio::test]
async fn exp_uses_the_receiver_and_timestamp_options() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 -all exp=why.example.com")
        .txt("why.example.com", "%{r} rejected %{c} at %{t}");
    let mut options = CheckHostOptions::default();
    options.receiver = Some("mx.receiver.example".to_owned());
    options.timestamp = Some(1_700_000_000);
    let evaluation = check_host_with(&dns, &options, ip("2001:db8::1"), "example.com", "", "helo").await;
    assert_eq!(
        evaluation.explanation.as_deref(),
        Some("mx.receiver.example rejected 2001:db8::1 at 1700000000")
    );
}

#[tokio::test]
async fn validated_domain_macro_prefers_a_name_under_the_domain() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 exists:%{p}.allowed.example.net -all")
        .ptr("192.0.2.7", "other.example.org")
        .ptr("192.0.2.7", "mail.example.com")
        .a("other.example.org", "192.0.2.7")
        .a("mail.example.com", "192.0.2.7")
        .a("mail.example.com.allowed.example.net", "127.0.0.2");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Pass);
}

#[tokio::test]
async fn mail_from_without_local_part_uses_postmaster() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 -all exp=why.example.com")
        .txt("why.example.com", "%{s}");
    let evaluation = check_mail_from(&dns, ip("192.0.2.7"), "@example.com", "helo.example.net").await;
    assert_eq!(evaluation.explanation.as_deref(), Some("postmaster@example.com"));
}

#[tokio::test]
async fn null_reverse_path_checks_postmaster_at_helo() {
    let dns = TestDns::new()
        .txt("helo.example.net", "v=spf1 -all exp=why.example.net")
        .txt("why.example.net", "%{s} %{o} %{h}");
    let evaluation = check_mail_from(&dns, ip("192.0.2.7"), "", "helo.example.net").await;
    assert_eq!(
        evaluation.explanation.as_deref(),
        Some("postmaster@helo.example.net helo.example.net helo.example.net")
    );
    let helo = check_helo(&dns, ip("192.0.2.7"), "helo.example.net").await;
    assert_eq!(helo.explanation, evaluation.explanation);
}

#[tokio::test]
async fn redirect_result_is_the_result_and_none_there_is_permerror() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 redirect=_spf.example.net")
        .txt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 -all")
        .txt("broken.example.com", "v=spf1 redirect=nothing.example.net");
    assert_eq!(result_for(&dns, "192.0.2.7").await, SpfResult::Pass);
    assert_eq!(result_for(&dns, "198.51.100.1").await, SpfResult::Fail);
    let broken = check_host(&dns, ip("192.0.2.7"), "broken.example.com", "", "helo").await;
    assert_eq!(broken.result, SpfResult::PermError);
}

#[tokio::test]
async fn trace_records_queries_and_terms_in_order() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 a:mail.example.com -all")
        .a("mail.example.com", "192.0.2.1");
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    let events: Vec<(u32, TraceEvent)> = evaluation
        .trace
        .iter()
        .map(|step| (step.depth, step.event.clone()))
        .collect();
    assert_eq!(
        events,
        vec![
            (
                0,
                TraceEvent::CheckHost {
                    domain: "example.com".to_owned()
                }
            ),
            (
                0,
                TraceEvent::Query {
                    query_type: QueryType::Txt,
                    name: "example.com".to_owned(),
                    answer: QueryAnswer::Records {
                        records: vec!["v=spf1 a:mail.example.com -all".to_owned()]
                    },
                }
            ),
            (
                0,
                TraceEvent::Record {
                    record: "v=spf1 a:mail.example.com -all".to_owned()
                }
            ),
            (
                0,
                TraceEvent::Query {
                    query_type: QueryType::A,
                    name: "mail.example.com".to_owned(),
                    answer: QueryAnswer::Records {
                        records: vec!["192.0.2.1".to_owned()]
                    },
                }
            ),
            (
                0,
                TraceEvent::Term {
                    term: "a:mail.example.com".to_owned(),
                    outcome: TermOutcome::NoMatch
                }
            ),
            (
                0,
                TraceEvent::Term {
                    term: "-all".to_owned(),
                    outcome: TermOutcome::Match
                }
            ),
            (
                0,
                TraceEvent::Result {
                    domain: "example.com".to_owned(),
                    result: SpfResult::Fail
                }
            ),
        ]
    );
    let lines: Vec<String> = evaluation.trace.iter().map(ToString::to_string).collect();
    assert_eq!(lines[1], "TXT example.com -> \"v=spf1 a:mail.example.com -all\"");
    assert_eq!(lines[6], "result for example.com: fail");
}

#[tokio::test]
async fn trace_of_an_include_is_one_level_deeper() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.net -all")
        .txt("_spf.example.net", "v=spf1 ip4:192.0.2.7 -all");
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    let lines: Vec<String> = evaluation.trace.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        vec![
            "check_host(example.com)",
            "TXT example.com -> \"v=spf1 include:_spf.example.net -all\"",
            "record: v=spf1 include:_spf.example.net -all",
            "  check_host(_spf.example.net)",
            "  TXT _spf.example.net -> \"v=spf1 ip4:192.0.2.7 -all\"",
            "  record: v=spf1 ip4:192.0.2.7 -all",
            "  ip4:192.0.2.7: match",
            "  result for _spf.example.net: pass",
            "include:_spf.example.net: match",
            "result for example.com: pass",
        ]
    );
}

#[tokio::test]
async fn evaluation_serialises_to_json() {
    let dns = TestDns::new().timeout("example.com");
    let evaluation = check_host(&dns, ip("192.0.2.7"), "example.com", "", "helo").await;
    let json = serde_json::to_value(&evaluation).unwrap();
    assert_eq!(json["result"], "temperror");
    assert_eq!(json["trace"][1]["event"]["event"], "query");
    assert_eq!(
        json["trace"][1]["event"]["answer"]["error"],
        serde_json::json!({ "kind": "timeout" })
    );
    assert_eq!(SpfDnsError::Timeout.to_string(), "the DNS query timed out");
}

/// Pieces of SPF syntax to build records from, so that generated records
/// reach the evaluator often instead of failing the version check.
fn record_strategy() -> impl Strategy<Value = String> {
    let term = prop_oneof![
        Just("a".to_owned()),
        Just("mx//64".to_owned()),
        Just("ptr".to_owned()),
        Just("-all".to_owned()),
        Just("?all".to_owned()),
        Just("include:a.example".to_owned()),
        Just("include:b.example".to_owned()),
        Just("redirect=a.example".to_owned()),
        Just("exp=e.example".to_owned()),
        Just("exists:%{ir}.%{l2r-}.%{d}".to_owned()),
        Just("a:%{p}.example".to_owned()),
        Just("ip4:192.0.2.0/24".to_owned()),
        Just("~ip6:2001:db8::/32".to_owned()),
        "[-a-z0-9:./%{}=+~?_]{1,16}",
    ];
    prop::collection::vec(term, 0..12).prop_map(|terms| format!("v=spf1 {}", terms.join(" ")))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn check_host_never_panics_on_arbitrary_records(
        root in record_strategy(),
        a in prop_oneof![record_strategy(), ".{0,60}"],
        b in record_strategy(),
        explanation in ".{0,40}",
        client in prop_oneof![Just("192.0.2.7"), Just("2001:db8::7"), Just("::ffff:192.0.2.7")],
        sender in prop_oneof![
            Just(String::new()),
            Just("user@example.com".to_owned()),
            Just("@example.com".to_owned()),
            ".{0,20}",
        ],
    ) {
        let dns = TestDns::new()
            .txt("example.com", &root)
            .txt("a.example", &a)
            .txt("b.example", &b)
            .txt("e.example", &explanation)
            .a("example.com", "192.0.2.8")
            .aaaa("example.com", "2001:db8::8")
            .mx("example.com", 10, "example.com")
            .ptr("192.0.2.7", "example.com")
            .timeout("slow.example");
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let evaluation = runtime.block_on(check_host(&dns, ip(client), "example.com", &sender, "helo.example"));
        prop_assert!(evaluation.dns_lookups <= 11);
        prop_assert!(evaluation.void_lookups <= 3);
    }
}
