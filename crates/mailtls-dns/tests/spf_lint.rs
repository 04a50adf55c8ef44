//! SPF lints: on one record, on the records at a name, and through the
//! include/redirect tree.
#![allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic)]

mod spf_support;

use mailtls_dns::spf::{lint, lint_selection, lint_tree, parse};
use mailtls_dns::{IssueLevel, RecordIssue};
use spf_support::TestDns;

/// Id, level and the text of the span, for each issue.
fn summary(record: &str, issues: &[RecordIssue]) -> Vec<(String, IssueLevel, String)> {
    issues
        .iter()
        .map(|issue| {
            let text = issue
                .span
                .and_then(|span| span.text(record))
                .unwrap_or("")
                .to_owned();
            (issue.id.clone(), issue.level, text)
        })
        .collect()
}

fn lint_text(record: &str) -> Vec<(String, IssueLevel, String)> {
    summary(record, &lint(&parse(record)))
}

fn entry(id: &str, level: IssueLevel, text: &str) -> (String, IssueLevel, String) {
    (id.to_owned(), level, text.to_owned())
}

#[test]
fn plus_all_is_an_error() {
    assert_eq!(
        lint_text("v=spf1 +all"),
        vec![entry("spf.all.pass", IssueLevel::Error, "+all")]
    );
    assert_eq!(
        lint_text("v=spf1 all"),
        vec![entry("spf.all.pass", IssueLevel::Error, "all")]
    );
}

#[test]
fn question_all_is_a_warning() {
    assert_eq!(
        lint_text("v=spf1 mx ?all"),
        vec![entry("spf.all.neutral", IssueLevel::Warning, "?all")]
    );
}

#[test]
fn fail_and_softfail_all_are_fine() {
    assert_eq!(lint_text("v=spf1 mx -all"), vec![]);
    assert_eq!(lint_text("v=spf1 mx ~all"), vec![]);
}

#[test]
fn record_without_all_or_redirect_is_a_warning() {
    assert_eq!(
        lint_text("v=spf1 mx"),
        vec![entry("spf.all.missing", IssueLevel::Warning, "")]
    );
    assert_eq!(lint_text("v=spf1 mx redirect=_spf.example.com"), vec![]);
}

#[test]
fn redirect_next_to_all_is_ignored() {
    assert_eq!(
        lint_text("v=spf1 -all redirect=_spf.example.com"),
        vec![entry(
            "spf.redirect.ignored",
            IssueLevel::Warning,
            "redirect=_spf.example.com"
        )]
    );
}

#[test]
fn mechanism_after_all_is_never_evaluated() {
    assert_eq!(
        lint_text("v=spf1 -all mx"),
        vec![entry("spf.all.not_last", IssueLevel::Warning, "mx")]
    );
}

#[test]
fn ptr_is_a_warning() {
    assert_eq!(
        lint_text("v=spf1 ptr -all"),
        vec![entry("spf.mechanism.ptr", IssueLevel::Warning, "ptr")]
    );
}

#[test]
fn exp_is_a_notice() {
    assert_eq!(
        lint_text("v=spf1 -all exp=why.example.com"),
        vec![entry(
            "spf.modifier.exp",
            IssueLevel::Notice,
            "exp=why.example.com"
        )]
    );
}

#[test]
fn record_over_450_octets_is_too_long() {
    let networks: Vec<String> = (0..30).map(|n| format!("ip4:198.51.{n}.0/24")).collect();
    let record = format!("v=spf1 {} -all", networks.join(" "));
    assert!(record.len() > 450);
    assert_eq!(
        lint_text(&record),
        vec![entry("spf.record.too_long", IssueLevel::Warning, "")]
    );
}

#[test]
fn eleven_lookup_terms_in_one_record_are_too_many() {
    assert_eq!(
        lint_text("v=spf1 a mx a mx a mx a mx a mx exists:x.example.com -all"),
        vec![entry("spf.lookups.too_many", IssueLevel::Error, "")]
    );
}

#[test]
fn two_spf_records_at_a_name_are_an_error() {
    let txt = vec![
        "v=spf1 -all".to_owned(),
        "google-site-verification=x".to_owned(),
        "v=spf1 mx -all".to_owned(),
    ];
    assert_eq!(
        summary("", &lint_selection(&txt, &[])),
        vec![entry("spf.multiple_records", IssueLevel::Error, "")]
    );
}

#[test]
fn spf_rr_type_records_are_a_notice() {
    let txt = vec!["v=spf1 -all".to_owned()];
    assert_eq!(
        summary("", &lint_selection(&txt, &["v=spf1 -all".to_owned()])),
        vec![entry("spf.obsolete_rr_type", IssueLevel::Notice, "")]
    );
}

#[tokio::test]
async fn tree_counts_lookups_through_includes() {
    let dns = TestDns::new()
        .txt(
            "example.com",
            "v=spf1 mx include:_spf.example.net include:_spf.example.org -all",
        )
        .mx("example.com", 10, "mx.example.com")
        .txt(
            "_spf.example.net",
            "v=spf1 a:a1.example.net a:a2.example.net a:a3.example.net a:a4.example.net ~all",
        )
        .txt(
            "_spf.example.org",
            "v=spf1 a:b1.example.org a:b2.example.org include:_inner.example.org ~all",
        )
        .txt(
            "_inner.example.org",
            "v=spf1 ip4:192.0.2.0/24 exists:%{i}.bl.example.org ~all",
        );
    let dns = [
        "a1.example.net",
        "a2.example.net",
        "a3.example.net",
        "a4.example.net",
        "b1.example.org",
        "b2.example.org",
    ]
    .iter()
    .fold(dns, |dns, name| dns.a(name, "192.0.2.1"));
    let lint = lint_tree(&dns, "example.com").await;
    assert_eq!(lint.dns_lookups, 11);
    assert_eq!(lint.void_lookups, 0);
    let record = lint.record.as_ref().unwrap().text.clone();
    assert_eq!(
        summary(&record, &lint.issues),
        vec![entry("spf.lookups.too_many", IssueLevel::Error, "")]
    );
}

#[tokio::test]
async fn include_of_domain_without_spf_is_an_error_at_the_include() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:nospf.example.net -all")
        .txt("nospf.example.net", "some other text");
    let lint = lint_tree(&dns, "example.com").await;
    let record = lint.record.as_ref().unwrap().text.clone();
    assert_eq!(
        summary(&record, &lint.issues),
        vec![entry(
            "spf.include.no_record",
            IssueLevel::Error,
            "include:nospf.example.net"
        )]
    );
}

#[tokio::test]
async fn include_problem_below_the_root_names_the_chain() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.net -all")
        .txt("_spf.example.net", "v=spf1 include:gone.example.org ~all");
    let lint = lint_tree(&dns, "example.com").await;
    assert_eq!(lint.issues.len(), 1);
    assert_eq!(lint.issues[0].id, "spf.include.no_record");
    assert_eq!(lint.issues[0].span, None);
    assert!(
        lint.issues[0]
            .message
            .ends_with("(via example.com > _spf.example.net)"),
        "{}",
        lint.issues[0].message
    );
}

#[tokio::test]
async fn redirect_to_domain_without_spf_is_an_error() {
    let dns = TestDns::new().txt("example.com", "v=spf1 redirect=_spf.example.net");
    let lint = lint_tree(&dns, "example.com").await;
    let record = lint.record.as_ref().unwrap().text.clone();
    assert_eq!(
        summary(&record, &lint.issues),
        vec![entry(
            "spf.redirect.no_record",
            IssueLevel::Error,
            "redirect=_spf.example.net"
        )]
    );
}

#[tokio::test]
async fn include_loop_is_an_error() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.com -all")
        .txt("_spf.example.com", "v=spf1 include:example.com ~all");
    let lint = lint_tree(&dns, "example.com").await;
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(ids, vec!["spf.include.loop"]);
    assert_eq!(lint.dns_lookups, 2);
}

#[tokio::test]
async fn include_of_invalid_record_is_an_error() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.net -all")
        .txt("_spf.example.net", "v=spf1 ip4:192.0.2.300 ~all");
    let lint = lint_tree(&dns, "example.com").await;
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(ids, vec!["spf.include.invalid"]);
}

#[tokio::test]
async fn three_void_lookups_are_too_many() {
    let dns = TestDns::new().txt(
        "example.com",
        "v=spf1 a:gone1.example.com mx:gone2.example.com exists:gone3.example.com -all",
    );
    let lint = lint_tree(&dns, "example.com").await;
    assert_eq!(lint.void_lookups, 3);
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "spf.mechanism.void",
            "spf.mechanism.void",
            "spf.mechanism.void",
            "spf.lookups.void_too_many"
        ]
    );
}

#[tokio::test]
async fn mx_with_eleven_exchanges_is_an_error() {
    let dns = (0..11).fold(TestDns::new().txt("example.com", "v=spf1 mx -all"), |dns, n| {
        dns.mx("example.com", n, &format!("mx{n}.example.com"))
    });
    let lint = lint_tree(&dns, "example.com").await;
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(ids, vec!["spf.mx.too_many"]);
}

#[tokio::test]
async fn domain_without_spf_is_reported_missing() {
    let lint = lint_tree(&TestDns::new(), "example.com").await;
    assert_eq!(lint.record, None);
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(ids, vec!["spf.record.missing"]);
}

#[tokio::test]
async fn root_record_lints_and_syntax_issues_come_first() {
    let dns = TestDns::new().txt("example.com", "v=spf1 ptr moo +all");
    let lint = lint_tree(&dns, "example.com").await;
    let ids: Vec<&str> = lint.issues.iter().map(|issue| issue.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "spf.syntax.unknown_mechanism",
            "spf.mechanism.ptr",
            "spf.all.pass"
        ]
    );
}

#[tokio::test]
async fn dns_timeout_in_the_tree_is_a_warning() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:slow.example.net -all")
        .timeout("slow.example.net");
    let lint = lint_tree(&dns, "example.com").await;
    let record = lint.record.as_ref().unwrap().text.clone();
    assert_eq!(
        summary(&record, &lint.issues),
        vec![entry(
            "spf.tree.dns_error",
            IssueLevel::Warning,
            "include:slow.example.net"
        )]
    );
}

#[tokio::test]
async fn include_of_record_with_plus_all_is_an_error() {
    let dns = TestDns::new()
        .txt("example.com", "v=spf1 include:_spf.example.net -all")
        .txt("_spf.example.net", "v=spf1 ip4:192.0.2.0/24 +all");
    let lint = lint_tree(&dns, "example.com").await;
    let record = lint.record.as_ref().unwrap().text.clone();
    assert_eq!(
        summary(&record, &lint.issues),
        vec![entry(
            "spf.include.all_pass",
            IssueLevel::Error,
            "include:_spf.example.net"
        )]
    );
}
