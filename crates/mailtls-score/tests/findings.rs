//! Findings for hand-altered assessments of the demo domain, asserted exactly.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod demo_assessment;

use demo_assessment::demo;
use mailtls_core::{DaneStatus, Finding, MailProtocol, ProbeOutcome, Status, TrustVerdict};
use mailtls_dns::mta_sts::MtaStsMode;
use mailtls_dns::{IssueLevel, RecordIssue, Span};
use mailtls_probe::assessor::Assessment;
use mailtls_score::findings::findings;
use mailtls_score::rules::rule;

fn endpoint_index(assessment: &Assessment, protocol: MailProtocol) -> usize {
    assessment
        .endpoints
        .iter()
        .position(|endpoint| endpoint.endpoint.protocol == protocol && endpoint.tls.is_some())
        .unwrap_or_else(|| panic!("the demo has a {protocol} endpoint with TLS"))
}

fn with_id<'f>(findings: &'f [Finding], id: &str) -> Vec<&'f Finding> {
    findings.iter().filter(|finding| finding.id == id).collect()
}

/// The demo with an untrusted certificate on the endpoint of `protocol`.
fn untrusted(protocol: MailProtocol) -> (Assessment, String) {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, protocol);
    let endpoint = &mut assessment.endpoints[index];
    let tls = endpoint.tls.as_mut().unwrap();
    tls.trust = TrustVerdict::Untrusted {
        reason: "UnknownIssuer".to_owned(),
    };
    tls.dane = None;
    let source = format!("{} ({})", endpoint.endpoint, endpoint.address.ip());
    (assessment, source)
}

fn set_mta_sts_mode(assessment: &mut Assessment, mode: MtaStsMode) {
    let mta_sts = assessment.mta_sts.as_mut().expect("the demo publishes MTA-STS");
    mta_sts
        .fetch
        .policy
        .as_mut()
        .expect("the demo's policy is valid")
        .mode = mode;
}

#[test]
fn demo_domain_findings_are_exact_and_in_the_catalogue() {
    let assessment = demo();
    let found = findings(&assessment);
    let scanned = assessment
        .endpoints
        .iter()
        .filter(|endpoint| endpoint.tls_scan.is_some())
        .count();
    assert_eq!(scanned, assessment.endpoints.len());
    let summary: Vec<(&str, Status)> = found
        .iter()
        .filter(|finding| finding.status != Status::Pass)
        .map(|finding| (finding.id.as_str(), finding.status))
        .collect();
    // The demo's TLSA record matches, but its zone is not signed; it offers
    // POP3 on 110 without 995; it publishes a single TLSA association. Each
    // of its rustls servers staples no OCSP response and accepts TLS 1.2
    // beside 1.3.
    let mut expected = vec![
        ("dane.tlsa.unusable", Status::Warn),
        ("dns.srv.implicit_tls.missing", Status::Info),
        ("dns.tlsa.rollover.single", Status::Info),
    ];
    expected.extend(std::iter::repeat_n(
        ("tls.feature.ocsp_stapling", Status::Info),
        scanned,
    ));
    expected.extend(std::iter::repeat_n(("tls.version.tls1_2", Status::Info), scanned));
    assert_eq!(summary, expected);
    // Every scan check passes on each scanned endpoint.
    let passes = |id: &str| {
        found
            .iter()
            .filter(|finding| finding.id == id && finding.status == Status::Pass)
            .count()
    };
    for id in [
        "tls.version.sslv2",
        "tls.version.sslv3",
        "tls.version.tls1_0",
        "tls.version.tls1_1",
        "tls.version.tls1_3",
        "tls.cipher.rc4",
        "tls.cipher.no_forward_secrecy",
        "tls.feature.fallback_scsv",
        "tls.feature.secure_renegotiation",
        "tls.vuln.heartbleed",
        "tls.vuln.ccs_injection",
        "tls.vuln.robot",
    ] {
        assert_eq!(passes(id), scanned, "{id}");
    }
    for finding in &found {
        assert!(
            rule(&finding.id).is_some(),
            "{} is not in the catalogue",
            finding.id
        );
        assert!(!finding.evidence.is_empty(), "{} has no evidence", finding.id);
        assert!(!finding.references.is_empty(), "{} has no references", finding.id);
    }
}

#[test]
fn untrusted_certificate_on_port_25_without_dane_or_mta_sts_is_a_warning() {
    let (mut assessment, source) = untrusted(MailProtocol::Smtp);
    assessment.mta_sts = None;
    let found = findings(&assessment);
    let untrusted = with_id(&found, "tls.certificate.untrusted");
    assert_eq!(untrusted.len(), 1);
    assert_eq!(untrusted[0].status, Status::Warn);
    assert_eq!(
        untrusted[0].evidence[0].source,
        format!("{source} chain validation")
    );
    assert_eq!(untrusted[0].evidence[0].text, "UnknownIssuer");
}

#[test]
fn untrusted_certificate_on_port_25_with_mta_sts_enforce_fails() {
    let (mut assessment, _) = untrusted(MailProtocol::Smtp);
    set_mta_sts_mode(&mut assessment, MtaStsMode::Enforce);
    let found = findings(&assessment);
    let untrusted = with_id(&found, "tls.certificate.untrusted");
    assert_eq!(untrusted.len(), 1);
    assert_eq!(untrusted[0].status, Status::Fail);
    assert!(untrusted[0].detail.contains("enforce"));
}

#[test]
fn untrusted_certificate_on_port_25_with_mta_sts_testing_is_a_warning() {
    let (mut assessment, _) = untrusted(MailProtocol::Smtp);
    set_mta_sts_mode(&mut assessment, MtaStsMode::Testing);
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "tls.certificate.untrusted")[0].status,
        Status::Warn
    );
    assert_eq!(with_id(&found, "mtasts.mode.testing")[0].status, Status::Warn);
}

#[test]
fn untrusted_certificate_on_port_25_with_unmatched_dane_fails() {
    let (mut assessment, _) = untrusted(MailProtocol::Smtp);
    assessment.mta_sts = None;
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let tls = assessment.endpoints[index].tls.as_mut().unwrap();
    tls.dane = Some(mailtls_core::DaneAssessment {
        status: DaneStatus::NotAuthenticated {
            reason: "no record matches".to_owned(),
        },
        dnssec_secure: true,
        reference_names: Vec::new(),
        records: Vec::new(),
        rollover: mailtls_core::TlsaRollover {
            kind: mailtls_core::TlsaRolloverKind::NoUsableRecords,
            description: String::new(),
            note: String::new(),
        },
    });
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "tls.certificate.untrusted")[0].status,
        Status::Fail
    );
    assert_eq!(with_id(&found, "dane.tlsa.mismatch")[0].status, Status::Fail);
}

#[test]
fn untrusted_certificate_on_imaps_fails() {
    let (mut assessment, source) = untrusted(MailProtocol::Imaps);
    assessment.mta_sts = None;
    let found = findings(&assessment);
    let untrusted = with_id(&found, "tls.certificate.untrusted");
    assert_eq!(untrusted.len(), 1);
    assert_eq!(untrusted[0].status, Status::Fail);
    assert!(untrusted[0].evidence[0].source.starts_with(&source));
    assert!(source.starts_with("imaps://"), "{source}");
}

#[test]
fn not_tested_endpoint_is_not_tested_and_never_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let endpoint = &mut assessment.endpoints[index];
    endpoint.outcome = ProbeOutcome::NotTested {
        reason: "421 4.7.0 Too many connections".to_owned(),
    };
    endpoint.tls = None;
    endpoint.tls_failure = None;
    if let Some(dialogue) = endpoint.dialogue.as_mut() {
        dialogue.starttls_offered = false;
    }
    let source = format!("{} ({})", endpoint.endpoint, endpoint.address.ip());
    let found = findings(&assessment);
    let about: Vec<&Finding> = found
        .iter()
        .filter(|finding| {
            finding
                .evidence
                .iter()
                .any(|evidence| evidence.source.starts_with(&source))
        })
        .collect();
    assert_eq!(about.len(), 1, "{about:#?}");
    assert_eq!(about[0].id, "endpoint.not_tested");
    assert_eq!(about[0].status, Status::NotTested);
    assert_eq!(about[0].evidence[0].text, "421 4.7.0 Too many connections");
}

#[test]
fn unreachable_endpoint_is_an_error_not_a_failure() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Imaps);
    assessment.endpoints[index].outcome = ProbeOutcome::Error {
        message: "connection refused".to_owned(),
    };
    let found = findings(&assessment);
    let unreachable = with_id(&found, "endpoint.unreachable");
    assert_eq!(unreachable.len(), 1);
    assert_eq!(unreachable[0].status, Status::Error);
}

#[test]
fn missing_starttls_on_port_25_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let endpoint = &mut assessment.endpoints[index];
    endpoint.tls = None;
    let dialogue = endpoint.dialogue.as_mut().unwrap();
    dialogue.starttls_offered = false;
    dialogue
        .capabilities_before_tls
        .retain(|line| !line.eq_ignore_ascii_case("STARTTLS"));
    let found = findings(&assessment);
    let missing = with_id(&found, "smtp.starttls.missing");
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].status, Status::Fail);
    assert!(with_id(&found, "tls.handshake.failed").is_empty());
}

#[test]
fn auth_before_starttls_on_submission_fails() {
    let mut assessment = demo();
    // The demo has no port 587: its MX stands in for a submission server.
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let endpoint = &mut assessment.endpoints[index];
    endpoint.endpoint.protocol = MailProtocol::Submission;
    endpoint.endpoint.port = 587;
    let dialogue = endpoint.dialogue.as_mut().unwrap();
    dialogue
        .capabilities_before_tls
        .push("AUTH PLAIN LOGIN".to_owned());
    let found = findings(&assessment);
    let auth = with_id(&found, "client.auth_before_tls");
    assert_eq!(auth.len(), 1);
    assert_eq!(auth[0].status, Status::Fail);
    assert!(auth[0].evidence[0].text.contains("AUTH PLAIN LOGIN"));
}

#[test]
fn dns_issue_becomes_a_dns_finding_with_its_span() {
    let mut assessment = demo();
    assessment.policy.spf.records = vec!["v=spf1 ptr -all".to_owned()];
    assessment.policy.spf.issues = vec![RecordIssue::at(
        "spf.mechanism.ptr",
        IssueLevel::Warning,
        Span::new(7, 10),
        "`ptr` SHOULD NOT be used",
    )];
    let found = findings(&assessment);
    let ptr = with_id(&found, "dns.spf.mechanism.ptr");
    assert_eq!(ptr.len(), 1);
    assert_eq!(ptr[0].status, Status::Warn);
    assert_eq!(ptr[0].detail, "`ptr` SHOULD NOT be used");
    assert!(
        ptr[0].evidence[1].source.ends_with("TXT, bytes 7..10"),
        "{:?}",
        ptr[0].evidence
    );
    assert_eq!(ptr[0].evidence[1].text, "v=spf1 ptr -all\n       ^ `ptr`");
    assert!(ptr[0].references[0].url.contains("rfc7208"));
}

#[test]
fn dns_issue_levels_map_to_statuses() {
    let mut assessment = demo();
    assessment.policy.spf.issues = vec![
        RecordIssue::whole("spf.lookups.too_many", IssueLevel::Error, "12 lookups"),
        RecordIssue::whole("spf.modifier.exp", IssueLevel::Notice, "exp="),
    ];
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "dns.spf.lookups.too_many")[0].status,
        Status::Fail
    );
    assert_eq!(with_id(&found, "dns.spf.modifier.exp")[0].status, Status::Info);
}

#[test]
fn findings_are_sorted_worst_first() {
    let (mut assessment, _) = untrusted(MailProtocol::Imaps);
    assessment.policy.spf.issues = vec![RecordIssue::whole("spf.modifier.exp", IssueLevel::Notice, "exp=")];
    let found = findings(&assessment);
    let rank = |status: Status| match status {
        Status::Fail => 0,
        Status::Warn => 1,
        Status::Error => 2,
        Status::NotTested => 3,
        Status::Info => 4,
        Status::Pass => 5,
    };
    assert_eq!(found[0].status, Status::Fail);
    assert!(
        found
            .windows(2)
            .all(|pair| rank(pair[0].status) <= rank(pair[1].status))
    );
}

#[test]
fn auth_before_starttls_on_port_25_is_a_warning() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let dialogue = assessment.endpoints[index].dialogue.as_mut().unwrap();
    dialogue.capabilities_before_tls.push("AUTH=LOGIN".to_owned());
    let found = findings(&assessment);
    assert_eq!(with_id(&found, "client.auth_before_tls")[0].status, Status::Warn);
}

#[test]
fn imap_without_logindisabled_before_starttls_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Imap);
    let dialogue = assessment.endpoints[index].dialogue.as_mut().unwrap();
    assert!(
        dialogue
            .capabilities_before_tls
            .iter()
            .any(|atom| atom == "LOGINDISABLED")
    );
    dialogue
        .capabilities_before_tls
        .retain(|atom| atom != "LOGINDISABLED");
    let found = findings(&assessment);
    let login = with_id(&found, "client.imap.logindisabled_missing");
    assert_eq!(login.len(), 1);
    assert_eq!(login[0].status, Status::Fail);
}

#[test]
fn pop3_user_before_stls_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Pop3);
    let dialogue = assessment.endpoints[index].dialogue.as_mut().unwrap();
    dialogue.capabilities_before_tls.push("USER".to_owned());
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "client.pop3.user_before_tls")[0].status,
        Status::Fail
    );
}

#[test]
fn missing_stls_on_pop3_is_client_starttls_missing() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Pop3);
    let endpoint = &mut assessment.endpoints[index];
    endpoint.tls = None;
    endpoint.dialogue.as_mut().unwrap().starttls_offered = false;
    let found = findings(&assessment);
    let missing = with_id(&found, "client.starttls.missing");
    assert_eq!(missing.len(), 1);
    assert_eq!(missing[0].status, Status::Fail);
    assert_eq!(missing[0].severity, mailtls_core::Severity::Critical);
}

#[test]
fn starttls_injection_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Smtp);
    let dialogue = assessment.endpoints[index].dialogue.as_mut().unwrap();
    dialogue.starttls_injection = Some(mailtls_core::InjectionTest::Vulnerable {
        evidence: "250 2.0.0 Ok".to_owned(),
    });
    let found = findings(&assessment);
    let injection = with_id(&found, "smtp.starttls.injection");
    assert_eq!(injection.len(), 1);
    assert_eq!(injection[0].evidence[0].text, "250 2.0.0 Ok");
}

#[test]
fn mx_not_covered_by_an_enforced_policy_fails_and_by_a_testing_one_warns() {
    let mut assessment = demo();
    set_mta_sts_mode(&mut assessment, MtaStsMode::Enforce);
    let mx = assessment.policy.mx.hosts[0].name.clone();
    assessment.mta_sts.as_mut().unwrap().uncovered_mx = vec![mx];
    assert_eq!(
        with_id(&findings(&assessment), "mtasts.mx_not_covered")[0].status,
        Status::Fail
    );
    set_mta_sts_mode(&mut assessment, MtaStsMode::Testing);
    assert_eq!(
        with_id(&findings(&assessment), "mtasts.mx_not_covered")[0].status,
        Status::Warn
    );
}

#[test]
fn unusable_mta_sts_policy_fails_with_the_reason() {
    let mut assessment = demo();
    let fetch = &mut assessment.mta_sts.as_mut().unwrap().fetch;
    fetch.policy = None;
    fetch.status = Some(404);
    fetch.failure = Some("HTTP status 404, not 200".to_owned());
    let found = findings(&assessment);
    let unusable = with_id(&found, "mtasts.policy.unusable");
    assert_eq!(unusable.len(), 1);
    assert_eq!(unusable[0].status, Status::Fail);
    assert_eq!(unusable[0].evidence[0].text, "HTTP 404: HTTP status 404, not 200");
}

#[test]
fn weak_rsa_key_fails() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Imaps);
    let tls = assessment.endpoints[index].tls.as_mut().unwrap();
    let facts = tls.certificates[0].facts.as_mut().unwrap();
    facts.public_key.algorithm = mailtls_core::PublicKeyAlgorithm::Rsa;
    facts.public_key.bits = Some(1024);
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "tls.certificate.weak_key")[0].status,
        Status::Fail
    );
}

#[test]
fn certificate_expiring_within_21_days_warns() {
    let mut assessment = demo();
    let index = endpoint_index(&assessment, MailProtocol::Imaps);
    let tls = assessment.endpoints[index].tls.as_mut().unwrap();
    tls.certificates[0]
        .facts
        .as_mut()
        .unwrap()
        .validity
        .days_to_expiry = 20;
    let found = findings(&assessment);
    assert_eq!(
        with_id(&found, "tls.certificate.expires_soon")[0].status,
        Status::Warn
    );
}
