//! The catalogue covers every check and every documented DNS issue id, and
//! docs/checks.md is generated from it.
#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use mailtls_score::rules::{catalogue, checks_markdown, rule, suggestions};

fn checks_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/checks.md")
}

#[test]
fn checked_in_checks_doc_matches_the_catalogue() {
    let generated = checks_markdown();
    if std::env::var_os("MAILTLS_UPDATE_CHECKS").is_some() {
        std::fs::write(checks_path(), &generated).unwrap();
    }
    let checked_in = std::fs::read_to_string(checks_path()).unwrap_or_default();
    assert!(
        checked_in == generated,
        "docs/checks.md differs from the rule catalogue; regenerate it with \
         MAILTLS_UPDATE_CHECKS=1 cargo test -p mailtls-score --test checks_doc"
    );
}

/// Every issue id that `mailtls-dns` documents or emits, as of this commit.
const DNS_ISSUE_IDS: &[&str] = &[
    "bimi.avp.invalid",
    "bimi.declined",
    "bimi.evidence.invalid_uri",
    "bimi.evidence.missing",
    "bimi.evidence.not_https",
    "bimi.location.invalid_uri",
    "bimi.location.not_https",
    "bimi.location.not_svg",
    "bimi.record.missing",
    "bimi.record.multiple",
    "bimi.tag.unknown",
    "bimi.version.missing",
    "caa.flags.reserved",
    "caa.iodef.invalid",
    "caa.issue.invalid",
    "caa.issue.nobody",
    "caa.issuewild.invalid",
    "caa.issuewild.nobody",
    "caa.presentation.invalid_flags",
    "caa.presentation.invalid_value",
    "caa.presentation.missing_field",
    "caa.tag.invalid",
    "caa.tag.unknown",
    "caa.tag.unknown_critical",
    "caa.value.not_utf8",
    "dkim.flag.unknown",
    "dkim.hash.sha1_only",
    "dkim.hash.unknown",
    "dkim.key.invalid_base64",
    "dkim.key.missing",
    "dkim.key.revoked",
    "dkim.key.rsa_short",
    "dkim.key.rsa_too_long",
    "dkim.key.rsa_too_short",
    "dkim.key.undecodable",
    "dkim.key.unknown_type",
    "dkim.multiple_records",
    "dkim.service.not_email",
    "dkim.service.unknown",
    "dkim.syntax.invalid_tag_name",
    "dkim.syntax.invalid_value",
    "dkim.tag.unknown",
    "dkim.testing",
    "dkim.version.invalid",
    "dkim.version.not_first",
    "dmarc.fo.invalid",
    "dmarc.np.weaker",
    "dmarc.pct.invalid",
    "dmarc.pct.partial",
    "dmarc.policy.invalid",
    "dmarc.policy.missing",
    "dmarc.policy.none",
    "dmarc.policy.not_second",
    "dmarc.record.missing",
    "dmarc.record.multiple",
    "dmarc.rf.unknown",
    "dmarc.rua.empty_uri",
    "dmarc.rua.invalid_uri",
    "dmarc.rua.missing",
    "dmarc.rua.unsupported_scheme",
    "dmarc.ruf.empty_uri",
    "dmarc.ruf.invalid_uri",
    "dmarc.ruf.unsupported_scheme",
    "dmarc.sp.invalid",
    "dmarc.sp.weaker",
    "dmarc.syntax.duplicate_tag",
    "dmarc.syntax.empty_tag",
    "dmarc.syntax.malformed_tag",
    "dmarc.tag.unknown",
    "dmarc.testing",
    "dmarc.version.invalid",
    "dmarc.version.missing",
    "mta_sts.id.invalid",
    "mta_sts.id.missing",
    "mta_sts.max_age.above_maximum",
    "mta_sts.max_age.invalid",
    "mta_sts.max_age.short",
    "mta_sts.mode.invalid",
    "mta_sts.mode.none",
    "mta_sts.mode.testing",
    "mta_sts.mx.invalid",
    "mta_sts.mx.missing",
    "mta_sts.policy.duplicate_field",
    "mta_sts.policy.empty_line",
    "mta_sts.policy.malformed_line",
    "mta_sts.policy.max_age_missing",
    "mta_sts.policy.mode_missing",
    "mta_sts.policy.unknown_field",
    "mta_sts.policy.version_missing",
    "mta_sts.record.missing",
    "mta_sts.record.multiple",
    "mta_sts.version.invalid",
    "mta_sts.version.missing",
    "mx.exchange.cname",
    "mx.exchange.duplicate",
    "mx.exchange.invalid",
    "mx.exchange.ip_literal",
    "mx.implicit",
    "mx.none_usable",
    "mx.null",
    "mx.null.mixed",
    "mx.null.preference",
    "spf.all.missing",
    "spf.all.neutral",
    "spf.all.not_last",
    "spf.all.pass",
    "spf.include.all_pass",
    "spf.include.invalid",
    "spf.include.loop",
    "spf.include.multiple_records",
    "spf.include.no_record",
    "spf.lookups.too_many",
    "spf.lookups.void_too_many",
    "spf.mechanism.ptr",
    "spf.mechanism.void",
    "spf.modifier.exp",
    "spf.multiple_records",
    "spf.mx.too_many",
    "spf.obsolete_rr_type",
    "spf.record.missing",
    "spf.record.too_long",
    "spf.redirect.all_pass",
    "spf.redirect.ignored",
    "spf.redirect.invalid",
    "spf.redirect.loop",
    "spf.redirect.multiple_records",
    "spf.redirect.no_record",
    "spf.syntax.character",
    "spf.syntax.cidr",
    "spf.syntax.domain_spec",
    "spf.syntax.duplicate_modifier",
    "spf.syntax.ip4",
    "spf.syntax.ip6",
    "spf.syntax.macro",
    "spf.syntax.missing_address",
    "spf.syntax.missing_domain",
    "spf.syntax.modifier_name",
    "spf.syntax.unexpected_argument",
    "spf.syntax.unknown_mechanism",
    "spf.syntax.version",
    "spf.tree.dns_error",
    "spf.tree.truncated",
    "srv.implicit_tls.missing",
    "srv.port.counterpart",
    "srv.port.zero",
    "srv.target.dot_mixed",
    "srv.target.invalid",
    "srv.target.ip_literal",
    "srv.target.not_offered",
    "tls_rpt.record.missing",
    "tls_rpt.record.multiple",
    "tls_rpt.rua.empty_uri",
    "tls_rpt.rua.invalid_uri",
    "tls_rpt.rua.missing",
    "tls_rpt.rua.unsupported_scheme",
    "tls_rpt.version.missing",
    "tlsa.data.length",
    "tlsa.matching_type.full",
    "tlsa.matching_type.unknown",
    "tlsa.presentation.invalid_hex",
    "tlsa.presentation.invalid_number",
    "tlsa.presentation.missing_field",
    "tlsa.rollover.single",
    "tlsa.rrset.unusable",
    "tlsa.selector.certificate",
    "tlsa.selector.unknown",
    "tlsa.usage.pkix",
    "tlsa.usage.unknown",
];

#[test]
fn every_documented_dns_issue_id_has_a_rule() {
    for id in DNS_ISSUE_IDS {
        assert!(rule(&format!("dns.{id}")).is_some(), "no rule dns.{id}");
    }
}

#[test]
fn the_wire_checks_are_in_the_catalogue() {
    for id in [
        "smtp.starttls.missing",
        "smtp.starttls.refused",
        "smtp.starttls.injection",
        "tls.handshake.failed",
        "tls.certificate.untrusted",
        "tls.certificate.expired",
        "tls.certificate.name_mismatch",
        "tls.certificate.expires_soon",
        "tls.certificate.weak_key",
        "client.auth_before_tls",
        "client.starttls.missing",
        "client.pop3.user_before_tls",
        "client.imap.logindisabled_missing",
        "dane.tlsa.mismatch",
        "dane.tlsa.unusable",
        "dane.authenticated",
        "mtasts.policy.unusable",
        "mtasts.mode.testing",
        "mtasts.mx_not_covered",
        "mtasts.mx_certificate_invalid",
        "mtasts.tlsrpt.missing",
        "dns.dnssec.insecure",
        "dns.dnssec.bogus",
        "endpoint.not_tested",
        "endpoint.unreachable",
    ] {
        assert!(rule(id).is_some(), "no rule {id}");
    }
}

#[test]
fn untrusted_certificate_rule_explains_the_mail_semantics() {
    let untrusted = rule("tls.certificate.untrusted").unwrap();
    assert!(untrusted.explanation.contains("opportunistic"));
    assert!(untrusted.explanation.contains("MTA-STS"));
    assert!(untrusted.remediation.contains("smtpd_tls_chain_files"));
}

#[test]
fn unknown_id_gets_close_suggestions() {
    assert_eq!(
        suggestions("dns.spf.lookup.too_many").first(),
        Some(&"dns.spf.lookups.too_many")
    );
    assert!(suggestions("zzzzzzzzzzzzzzzzzzzzzzzzzzzzzz").is_empty());
}

#[test]
fn catalogue_has_every_rule_once() {
    let mut ids: Vec<&str> = catalogue().iter().map(|rule| rule.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), catalogue().len());
}
