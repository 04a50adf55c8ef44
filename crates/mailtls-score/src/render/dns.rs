//! The DNS policy of a domain as text.

use std::fmt::Write;

use mailtls_core::{DnsLookup, DnssecStatus, LookupStatus};
use mailtls_dns::policy::{DnsReport, DomainPolicy, MailHost, TxtPolicy};
use mailtls_dns::{IssueLevel, RecordIssue};

use super::ansi::terminal_safe;

/// Longest record text shown on one line; the JSON report has it whole.
const MAX_SHOWN: usize = 120;

/// Renders `mailtls dns` output for a terminal.
pub fn dns_text(report: &DnsReport) -> String {
    let mut out = String::new();
    let policy = &report.policy;
    let resolvers: Vec<String> = report.resolvers.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "{} {} | DNS policy of {} | {} queries to {}{} | {} ms",
        report.generator.name,
        report.generator.version,
        policy.domain.to_unicode(),
        report.queries,
        resolvers.join(", "),
        if report.validating_resolver {
            " (validating)"
        } else {
            " (not trusted to validate)"
        },
        report.duration_ms,
    );
    policy_text(&mut out, policy);
    out
}

/// Every section of a domain's DNS policy, for `dns` and `check` alike.
pub(crate) fn policy_text(out: &mut String, policy: &DomainPolicy) {
    section(out, "MX", &policy.mx.lookup);
    for host in &policy.mx.hosts {
        mail_host(out, host);
    }
    issues(out, &policy.mx.issues);

    section(out, "SPF", &policy.spf.lookup);
    records(out, &policy.spf.records);
    if !policy.spf.records.is_empty() {
        let _ = writeln!(
            out,
            "  DNS-querying terms {} of 10, void lookups {} of 2",
            policy.spf.dns_lookups, policy.spf.void_lookups
        );
    }
    issues(out, &policy.spf.issues);

    let dmarc = &policy.dmarc;
    if let Some(last) = dmarc.lookups.last() {
        section(out, "DMARC", last);
        records(out, &last.records);
    }
    if let Some(from) = &dmarc.inherited_from {
        let _ = writeln!(out, "  inherited from the organisational domain {from}");
    }
    for authorization in &dmarc.report_authorizations {
        let verdict = if authorization.authorized {
            "authorised"
        } else {
            "NOT authorised by the destination"
        };
        let _ = writeln!(out, "  reports to {}: {verdict}", authorization.destination.uri);
    }
    issues(out, &dmarc.issues);

    section(out, "DKIM", &policy.dkim.domainkey_lookup);
    let node = match policy.dkim.domainkey_exists {
        Some(true) => "_domainkey exists",
        Some(false) => "_domainkey does not exist (NXDOMAIN): no selector can be published",
        None => "_domainkey could not be looked up",
    };
    let _ = writeln!(out, "  {node}");
    for selector in &policy.dkim.selectors {
        let state = match selector.lookup.status {
            LookupStatus::Answer => short(
                selector
                    .lookup
                    .records
                    .first()
                    .map(String::as_str)
                    .unwrap_or_default(),
            ),
            _ => status_word(&selector.lookup).to_owned(),
        };
        let _ = writeln!(out, "  selector {:<14}{state}", selector.selector);
        issues(out, &selector.issues);
    }

    txt_section(out, "MTA-STS", &policy.mta_sts);
    txt_section(out, "TLS-RPT", &policy.tls_rpt);
    txt_section(out, "BIMI", &policy.bimi);

    if let Some(last) = policy.caa.lookups.last() {
        section(out, "CAA", last);
    }
    match &policy.caa.relevant_name {
        Some(name) => {
            let _ = writeln!(out, "  at {name}:");
            for record in &policy.caa.records {
                let flags = if record.critical { 128 } else { 0 };
                let _ = writeln!(
                    out,
                    "  {flags} {} \"{}\"",
                    short(&record.tag),
                    short(&record.value)
                );
            }
        }
        None => {
            let _ = writeln!(out, "  none up to the top-level domain: any CA may issue");
        }
    }
    issues(out, &policy.caa.issues);

    let _ = writeln!(out, "\nSRV");
    for service in &policy.services.services {
        let shown = match service.lookup.status {
            LookupStatus::Answer => service.lookup.records.join(", "),
            _ => status_word(&service.lookup).to_owned(),
        };
        let _ = writeln!(out, "  {:<40} {shown}", service.lookup.name);
        issues(out, &service.issues);
    }
    issues(out, &policy.services.issues);
}

fn status_word(lookup: &DnsLookup) -> &'static str {
    match lookup.status {
        LookupStatus::Answer => "found",
        LookupStatus::NoData => "none (no records of this type)",
        LookupStatus::NxDomain => "none (no such name)",
        LookupStatus::Error => "LOOKUP FAILED",
    }
}

fn dnssec_word(status: &DnssecStatus) -> &'static str {
    match status {
        DnssecStatus::Secure { .. } => "DNSSEC secure",
        DnssecStatus::Insecure { .. } => "DNSSEC insecure",
        DnssecStatus::Bogus { .. } => "DNSSEC BOGUS",
        DnssecStatus::Indeterminate { .. } => "DNSSEC not known",
    }
}

/// A section header: its name, the lookup's outcome and DNSSEC status.
fn section(out: &mut String, title: &str, lookup: &DnsLookup) {
    let _ = writeln!(
        out,
        "\n{title:<9}{} {}: {}, {}",
        lookup.name,
        lookup.record_type,
        status_word(lookup),
        dnssec_word(&lookup.dnssec)
    );
    if let Some(error) = &lookup.error {
        let _ = writeln!(out, "  {error}");
    }
}

fn txt_section<R>(out: &mut String, title: &str, policy: &TxtPolicy<R>) {
    section(out, title, &policy.lookup);
    records(out, &policy.lookup.records);
    issues(out, &policy.issues);
}

fn records(out: &mut String, records: &[String]) {
    for record in records {
        let _ = writeln!(out, "  {}", short(record));
    }
}

/// `text` cut to [`MAX_SHOWN`] characters, with control characters made visible.
fn short(text: &str) -> String {
    let text = terminal_safe(text);
    let text = text.as_ref();
    match text.char_indices().nth(MAX_SHOWN) {
        Some((at, _)) => format!("{}…", text.get(..at).unwrap_or(text)),
        None => text.to_owned(),
    }
}

fn issues(out: &mut String, issues: &[RecordIssue]) {
    for issue in issues {
        let level = match issue.level {
            IssueLevel::Notice => "notice",
            IssueLevel::Warning => "WARNING",
            IssueLevel::Error => "ERROR",
        };
        let at = issue
            .span
            .map(|span| format!(" (at {}..{})", span.start, span.end))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "  [{level}] {}: {}{at}",
            issue.id,
            terminal_safe(&issue.message)
        );
    }
}

fn mail_host(out: &mut String, host: &MailHost) {
    let addresses: Vec<String> = host.addresses.iter().map(ToString::to_string).collect();
    let shown = if addresses.is_empty() {
        status_word(&host.ipv4).to_owned()
    } else {
        addresses.join(", ")
    };
    let _ = writeln!(out, "  {:>3} {:<28}{shown}", host.preference, host.name.as_str());
    for check in &host.reverse {
        let names = if check.names.is_empty() {
            "no PTR".to_owned()
        } else {
            check.names.join(", ")
        };
        let confirmed = if check.forward_confirmed {
            "forward-confirmed"
        } else {
            "NOT forward-confirmed"
        };
        let _ = writeln!(
            out,
            "      PTR  {:<23}{names} ({confirmed})",
            check.address.to_string()
        );
    }
    let tlsa = &host.tlsa;
    if tlsa.records.is_empty() {
        let _ = writeln!(out, "      TLSA {:<23}{}", "", status_word(&tlsa.lookup));
    } else {
        for record in &tlsa.lookup.records {
            let _ = writeln!(out, "      TLSA {:<23}{}", "", short(record));
        }
        let rollover = tlsa
            .rollover
            .as_ref()
            .map(|scheme| scheme.description.as_str())
            .unwrap_or_default();
        let usable = if tlsa.secure {
            "DNSSEC secure: usable for DANE"
        } else {
            "NOT DNSSEC secure: senders ignore it"
        };
        let _ = writeln!(out, "      {:<28}{usable}; {rollover}", "");
    }
    issues(out, &tlsa.issues);
}
