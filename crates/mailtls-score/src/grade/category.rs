//! Category percentages, internet.nl style. Each category is a list of
//! checks; a check is the worst status of the findings it groups, and a
//! pass when none of them warns or fails:
//!
//! ```text
//! percent = round(100 * (passed + warned / 2) / (passed + warned + failed))
//! ```
//!
//! Not-tested and error checks count in neither part (they lower the
//! confidence instead); `info` findings do not count, except those that
//! report something absent that the category is about (no TLSA, no MTA-STS,
//! no TLS-RPT record), which count as failed checks.

use mailtls_core::{DnssecStatus, EndpointObservation, Finding, MailProtocol, ProbeOutcome, Status};
use mailtls_dns::mx::MxSet;
use mailtls_probe::assessor::Assessment;

use super::endpoint::findings_of;
use super::{Category, CategoryScore, Confidence};

/// Findings whose `info` status means the category's subject is absent.
const ABSENCE_IS_FAILURE: &[&str] = &[
    "dane.tlsa.missing",
    "dns.mta_sts.record.missing",
    "dns.tls_rpt.record.missing",
];

/// The checks of one endpoint, by rule id prefix.
const ENDPOINT_CHECKS: &[(&str, &[&str])] = &[
    ("reachable", &["endpoint."]),
    ("STARTTLS", &["smtp.starttls.", "client.starttls."]),
    (
        "plaintext login",
        &["client.auth_before_tls", "client.imap.", "client.pop3."],
    ),
    ("TLS handshake", &["tls.handshake."]),
    ("certificate", &["tls.certificate."]),
    ("protocol versions", &["tls.version."]),
    ("cipher suites", &["tls.cipher."]),
    ("key exchange", &["tls.kex."]),
    ("vulnerabilities", &["tls.vuln."]),
    ("TLS features", &["tls.feature."]),
];

/// Domain-wide checks: category, name, rule id prefixes.
const DOMAIN_CHECKS: &[(Category, &str, &[&str])] = &[
    (Category::Dane, "TLSA records", &["dane.", "dns.tlsa."]),
    (Category::MtaSts, "MTA-STS record", &["dns.mta_sts.record."]),
    (
        Category::MtaSts,
        "MTA-STS policy",
        &["mtasts.policy.", "dns.mta_sts."],
    ),
    (Category::MtaSts, "MTA-STS mode", &["mtasts.mode."]),
    (Category::MtaSts, "MTA-STS covers the MX hosts", &["mtasts.mx_"]),
    (Category::MtaSts, "TLS-RPT", &["mtasts.tlsrpt.", "dns.tls_rpt."]),
    (Category::SenderAuthentication, "SPF", &["dns.spf."]),
    (Category::SenderAuthentication, "DMARC", &["dns.dmarc."]),
    (Category::SenderAuthentication, "DKIM", &["dns.dkim."]),
    (Category::Dns, "DNSSEC", &["dns.dnssec."]),
    (Category::Dns, "MX records", &["dns.mx."]),
    (Category::Dns, "CAA", &["dns.caa."]),
    (Category::ClientAccess, "SRV records", &["dns.srv."]),
];

#[derive(Default)]
struct Tally {
    passed: u32,
    warned: u32,
    failed: u32,
    not_tested: u32,
    reasons: Vec<String>,
}

impl Tally {
    fn count(&mut self, status: Option<Status>, what: &str) {
        match status {
            Some(Status::Pass) => self.passed += 1,
            Some(Status::Warn) => self.warned += 1,
            Some(Status::Fail) => self.failed += 1,
            Some(Status::NotTested | Status::Error) => {
                self.not_tested += 1;
                self.reasons.push(format!("{what} not tested"));
            }
            Some(Status::Info) | None => {}
        }
    }
}

/// The status of a check grouping `findings`: the worst that counts, or a
/// pass when none does.
fn check_status<'f>(findings: impl Iterator<Item = &'f Finding>) -> Status {
    let mut worst = Status::Pass;
    for finding in findings {
        let status = if finding.status == Status::Info && ABSENCE_IS_FAILURE.contains(&finding.id.as_str()) {
            Status::Fail
        } else {
            finding.status
        };
        worst = match (worst, status) {
            (_, Status::Fail) | (Status::Fail, _) => Status::Fail,
            (_, Status::Warn) | (Status::Warn, _) => Status::Warn,
            (_, Status::NotTested | Status::Error) | (Status::NotTested, _) => Status::NotTested,
            _ => worst,
        };
    }
    worst
}

fn matches(finding: &Finding, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|prefix| finding.id.starts_with(prefix))
}

fn is_mx(endpoint: &EndpointObservation) -> bool {
    endpoint.endpoint.protocol == MailProtocol::Smtp
}

/// The percentage of every category.
pub fn category_scores(assessment: &Assessment, findings: &[Finding]) -> Vec<CategoryScore> {
    let mx_set = assessment.policy.mx.set.as_ref();
    let mx_endpoints: Vec<&EndpointObservation> = assessment.endpoints.iter().filter(|e| is_mx(e)).collect();
    let client_endpoints: Vec<&EndpointObservation> =
        assessment.endpoints.iter().filter(|e| !is_mx(e)).collect();
    let no_mail = match mx_set {
        Some(MxSet::Null) => Some("the domain publishes a Null MX (RFC 7505): it accepts no mail".to_owned()),
        _ if mx_endpoints.is_empty() && assessment.policy.mx.hosts.is_empty() => {
            Some("the domain has no MX hosts".to_owned())
        }
        _ => None,
    };
    let all_mx_unreachable = !mx_endpoints.is_empty()
        && mx_endpoints
            .iter()
            .all(|endpoint| endpoint.outcome != ProbeOutcome::Completed);
    Category::ALL
        .iter()
        .map(|&category| {
            let mut tally = Tally::default();
            let endpoints: &[&EndpointObservation] = match category {
                Category::Transport => &mx_endpoints,
                Category::ClientAccess => &client_endpoints,
                _ => &[],
            };
            for endpoint in endpoints {
                let mine = findings_of(endpoint, findings);
                let source = crate::findings::endpoint_source(endpoint);
                for (name, prefixes) in ENDPOINT_CHECKS {
                    let grouped: Vec<&Finding> =
                        mine.iter().copied().filter(|f| matches(f, prefixes)).collect();
                    let is_scan_check = prefixes.iter().all(|prefix| {
                        [
                            "tls.version.",
                            "tls.cipher.",
                            "tls.kex.",
                            "tls.vuln.",
                            "tls.feature.",
                        ]
                        .contains(prefix)
                    });
                    let status = if endpoint.outcome != ProbeOutcome::Completed {
                        if *name == "reachable" {
                            Status::NotTested
                        } else {
                            continue;
                        }
                    } else if (is_scan_check && endpoint.tls_scan.is_none())
                        || (*name == "plaintext login" && grouped.is_empty() && is_mx(endpoint))
                    {
                        continue;
                    } else {
                        check_status(grouped.into_iter())
                    };
                    tally.count(Some(status), &format!("{source} {name}"));
                }
                if endpoint.tls_scan.is_none() && endpoint.outcome == ProbeOutcome::Completed {
                    tally.reasons.push(format!("{source}: no TLS enumeration"));
                }
            }
            for (check_category, name, prefixes) in DOMAIN_CHECKS {
                if *check_category != category {
                    continue;
                }
                let grouped: Vec<&Finding> = findings.iter().filter(|f| matches(f, prefixes)).collect();
                let applies = match *name {
                    "TLSA records" => !grouped.is_empty(),
                    "MTA-STS record" => true,
                    "MTA-STS policy" | "MTA-STS mode" | "MTA-STS covers the MX hosts" => {
                        assessment.mta_sts.is_some()
                    }
                    "TLS-RPT" => true,
                    "DKIM" => !assessment.policy.dkim.selectors.is_empty() || !grouped.is_empty(),
                    "DNSSEC"
                        if matches!(
                            assessment.policy.mx.lookup.dnssec,
                            DnssecStatus::Indeterminate { .. }
                        ) && grouped.is_empty() =>
                    {
                        tally.count(Some(Status::NotTested), "DNSSEC (the resolver does not validate)");
                        false
                    }
                    "SRV records" => !grouped.is_empty(),
                    _ => true,
                };
                if applies {
                    tally.count(Some(check_status(grouped.into_iter())), name);
                }
            }
            let mail_category = matches!(category, Category::Transport | Category::Dane | Category::MtaSts);
            let not_applicable = if mail_category {
                no_mail.clone()
            } else if category == Category::ClientAccess
                && client_endpoints.is_empty()
                && tally.passed + tally.warned + tally.failed == 0
            {
                Some("no submission, IMAP or POP3 service was found".to_owned())
            } else {
                None
            };
            let denominator = tally.passed + tally.warned + tally.failed;
            let (percent, not_applicable) = match not_applicable {
                Some(reason) => (None, Some(reason)),
                None if category == Category::Transport && all_mx_unreachable => {
                    tally.reasons.push("every MX host was unreachable".to_owned());
                    (None, Some("not tested: every MX host was unreachable".to_owned()))
                }
                None if denominator == 0 => (
                    None,
                    Some(if tally.not_tested > 0 {
                        "not tested".to_owned()
                    } else {
                        "nothing to score".to_owned()
                    }),
                ),
                None => {
                    let points = tally.passed * 2 + tally.warned;
                    let percent = (points * 100 + denominator) / (denominator * 2);
                    (Some(u8::try_from(percent).unwrap_or(100)), None)
                }
            };
            let confidence = if tally.reasons.is_empty() {
                Confidence::Full
            } else {
                Confidence::Reduced {
                    reasons: tally.reasons.clone(),
                }
            };
            CategoryScore {
                category,
                percent,
                not_applicable,
                passed: tally.passed,
                warned: tally.warned,
                failed: tally.failed,
                not_tested: tally.not_tested,
                confidence,
            }
        })
        .collect()
}
