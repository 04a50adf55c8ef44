//! Evaluation: an [`Assessment`] in, the findings of every rule that applies
//! out, worst first. Pure: no I/O, no clock (expiry is judged from the days
//! the probe recorded).
//!
//! Mail semantics (DESIGN.md decision 5): on port 25 senders use
//! opportunistic TLS and do not validate certificates, so a certificate
//! problem there is a warning, unless the domain publishes MTA-STS in
//! enforce mode or the host publishes DANE records that do not authenticate
//! it, where it stops delivery from enforcing senders: then it fails. On
//! submission, IMAP and POP3, clients validate: it fails.

use mailtls_core::{
    DaneStatus, Dialect, DnsLookup, DnssecStatus, EndpointObservation, Evidence, Finding, InjectionTest,
    MailProtocol, ProbeOutcome, PublicKeyAlgorithm, Severity, Status, TlsHandshake, TlsMode, TrustVerdict,
    ValidityStatus,
};
use mailtls_dns::mta_sts::MtaStsMode;
use mailtls_dns::{IssueLevel, RecordIssue};
use mailtls_probe::assessor::Assessment;

use crate::rules::{self, rule};

mod tls_scan;

/// Days before expiry from which `tls.certificate.expires_soon` warns.
pub const EXPIRY_WARNING_DAYS: i64 = 21;
/// The smallest RSA modulus that is not `tls.certificate.weak_key`.
pub const MIN_RSA_BITS: u32 = 2048;

/// Every finding for `assessment`, worst first.
pub fn findings(assessment: &Assessment) -> Vec<Finding> {
    let mut out = Vec::new();
    dnssec(assessment, &mut out);
    dns_issues(assessment, &mut out);
    for endpoint in &assessment.endpoints {
        endpoint_findings(mta_sts_mode(assessment), endpoint, &mut out);
    }
    dane_missing(assessment, &mut out);
    mta_sts(assessment, &mut out);
    sort_worst_first(&mut out);
    out
}

/// Sorts findings worst first: fail, warn, error, not tested, info, pass;
/// within a status by severity, then by id. The sort is stable, so
/// findings of one rule keep the order of the endpoints.
pub fn sort_worst_first(findings: &mut [Finding]) {
    findings.sort_by(|a, b| {
        status_rank(a.status)
            .cmp(&status_rank(b.status))
            .then(b.severity.cmp(&a.severity))
            .then(a.id.cmp(&b.id))
    });
}

fn status_rank(status: Status) -> u8 {
    match status {
        Status::Fail => 0,
        Status::Warn => 1,
        Status::Error => 2,
        Status::NotTested => 3,
        Status::Info => 4,
        Status::Pass => 5,
    }
}

/// A finding of the catalogue rule `id`. The severity is the rule's for a
/// failure or warning, `info` otherwise.
fn finding(id: &str, status: Status, detail: String, evidence: Vec<Evidence>) -> Finding {
    let severity = match (status, rule(id)) {
        (Status::Fail | Status::Warn, Some(rule)) => rule.severity,
        _ => Severity::Info,
    };
    with_severity(id, status, severity, detail, evidence)
}

fn with_severity(
    id: &str,
    status: Status,
    severity: Severity,
    detail: String,
    evidence: Vec<Evidence>,
) -> Finding {
    let (title, references) = match rule(id) {
        Some(rule) => (rule.title.clone(), rule.references.clone()),
        None => (id.to_owned(), Vec::new()),
    };
    Finding {
        id: id.to_owned(),
        status,
        severity,
        title,
        detail,
        evidence,
        references,
    }
}

fn evidence(source: impl Into<String>, text: impl Into<String>) -> Evidence {
    Evidence {
        source: source.into(),
        text: text.into(),
    }
}

/// `smtp://mx1.example:25 (192.0.2.1)`: the evidence source of every
/// finding about one endpoint at one address.
pub fn endpoint_source(endpoint: &EndpointObservation) -> String {
    format!("{} ({})", endpoint.endpoint, endpoint.address.ip())
}

// ---------------------------------------------------------------- DNSSEC

fn dnssec(assessment: &Assessment, out: &mut Vec<Finding>) {
    let lookup = &assessment.policy.mx.lookup;
    let source = lookup_source(lookup);
    match &lookup.dnssec {
        DnssecStatus::Insecure { source: verdict } => out.push(finding(
            "dns.dnssec.insecure",
            Status::Warn,
            format!(
                "The MX answer for {} is not DNSSEC-signed ({verdict}). Its MX, TLSA and policy records can be \
                 forged on the path, and DANE cannot protect its mail.",
                assessment.domain.as_str()
            ),
            vec![evidence(source, format!("no AD bit: {verdict}"))],
        )),
        DnssecStatus::Bogus { reason } => out.push(finding(
            "dns.dnssec.bogus",
            Status::Fail,
            format!(
                "DNSSEC validation fails for {}: validating resolvers treat its records as unresolvable, \
                 so senders cannot find its MX hosts.",
                assessment.domain.as_str()
            ),
            vec![evidence(source, reason.clone())],
        )),
        DnssecStatus::Secure { .. } | DnssecStatus::Indeterminate { .. } => {}
    }
}

fn lookup_source(lookup: &DnsLookup) -> String {
    format!("{} {}", lookup.name, lookup.record_type)
}

// ---------------------------------------------------------------- DNS record issues

/// Every record issue of the DNS policy, with the record text its spans point into.
fn dns_issues(assessment: &Assessment, out: &mut Vec<Finding>) {
    let policy = &assessment.policy;
    let spf_source = lookup_source(&policy.spf.lookup);
    for issue in &policy.spf.issues {
        out.push(issue_finding(issue, &spf_source, &policy.spf.records));
    }
    if let Some(lookup) = policy.dmarc.lookups.last() {
        let texts = txt_texts(lookup);
        for issue in &policy.dmarc.issues {
            out.push(issue_finding(issue, &lookup_source(lookup), &texts));
        }
    }
    for selector in &policy.dkim.selectors {
        let texts = txt_texts(&selector.lookup);
        for issue in &selector.issues {
            out.push(issue_finding(issue, &lookup_source(&selector.lookup), &texts));
        }
    }
    for (lookup, issues) in [
        (&policy.mta_sts.lookup, &policy.mta_sts.issues),
        (&policy.tls_rpt.lookup, &policy.tls_rpt.issues),
        (&policy.bimi.lookup, &policy.bimi.issues),
    ] {
        let texts = txt_texts(lookup);
        for issue in issues {
            out.push(issue_finding(issue, &lookup_source(lookup), &texts));
        }
    }
    let mx_texts = policy.mx.lookup.records.clone();
    for issue in &policy.mx.issues {
        out.push(issue_finding(issue, &lookup_source(&policy.mx.lookup), &mx_texts));
    }
    for host in &policy.mx.hosts {
        let lookup = &host.tlsa.lookup;
        for issue in &host.tlsa.issues {
            out.push(issue_finding(issue, &lookup_source(lookup), &lookup.records));
        }
    }
    let caa_source = policy.caa.relevant_name.as_ref().map_or_else(
        || format!("{} CAA", policy.domain.as_str()),
        |name| format!("{}. CAA", name.as_str()),
    );
    let caa_texts: Vec<String> = policy
        .caa
        .lookups
        .iter()
        .flat_map(|lookup| lookup.records.clone())
        .collect();
    for issue in &policy.caa.issues {
        out.push(issue_finding(issue, &caa_source, &caa_texts));
    }
    for issue in &policy.services.issues {
        out.push(issue_finding(
            issue,
            &format!("{} SRV", policy.domain.as_str()),
            &[],
        ));
    }
    for service in &policy.services.services {
        for issue in &service.issues {
            out.push(issue_finding(
                issue,
                &lookup_source(&service.lookup),
                &service.lookup.records,
            ));
        }
    }
}

/// The TXT records of a lookup as their character-strings joined, which is
/// the text record issue spans point into.
fn txt_texts(lookup: &DnsLookup) -> Vec<String> {
    lookup.records.iter().map(|record| unquote_txt(record)).collect()
}

/// `"v=spf1 " "-all"` → `v=spf1 -all`: the presentation form's quoted
/// strings joined without separator, `\"` and `\\` unescaped. Text that is
/// not quoted is returned as it is.
fn unquote_txt(presentation: &str) -> String {
    let trimmed = presentation.trim();
    if !trimmed.starts_with('"') {
        return trimmed.to_owned();
    }
    let mut out = String::new();
    let mut inside = false;
    let mut chars = trimmed.chars();
    while let Some(c) = chars.next() {
        match (inside, c) {
            (_, '"') => inside = !inside,
            (true, '\\') => {
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            (true, c) => out.push(c),
            (false, _) => {}
        }
    }
    out
}

/// The `dns.<issue id>` finding for a record issue: status from its level,
/// evidence the message, the record as served and the span it points at.
pub fn issue_finding(issue: &RecordIssue, source: &str, records: &[String]) -> Finding {
    let status = match issue.level {
        IssueLevel::Error => Status::Fail,
        IssueLevel::Warning => Status::Warn,
        IssueLevel::Notice => Status::Info,
    };
    let id = format!("dns.{}", issue.id);
    let family = rules::dns_family(&issue.id);
    let severity = if status == Status::Info {
        Severity::Info
    } else {
        rules::dns_issue_severity(family, issue.level)
    };
    let mut evidence_list = vec![evidence(source, issue.message.clone())];
    if let Some(span) = issue.span {
        let located = records
            .iter()
            .find_map(|record| span.text(record).map(|text| (record, text)));
        match located {
            Some((record, text)) => evidence_list.push(evidence(
                format!("{source}, bytes {}..{}", span.start, span.end),
                format!("{record}\n{}^ `{text}`", " ".repeat(span.start)),
            )),
            None => evidence_list.push(evidence(
                format!("{source}, bytes {}..{}", span.start, span.end),
                records.first().cloned().unwrap_or_default(),
            )),
        }
    } else if let Some(record) = records.first() {
        evidence_list.push(evidence(source, record.clone()));
    }
    let mut finding = with_severity(&id, status, severity, issue.message.clone(), evidence_list);
    if rule(&id).is_none()
        && let Some(family) = family
    {
        finding.references = rules::family_references(family);
    }
    finding
}

// ---------------------------------------------------------------- endpoints

/// Whether senders delivering to this endpoint validate its certificate, and why.
pub(crate) fn certificate_validated(
    mode: Option<MtaStsMode>,
    endpoint: &EndpointObservation,
    tls: &TlsHandshake,
) -> (bool, String) {
    if endpoint.endpoint.protocol != MailProtocol::Smtp {
        return (
            true,
            format!(
                "On {} (port {}), mail clients validate the certificate: users get an error or are taught to \
                 accept any certificate.",
                endpoint.endpoint.protocol, endpoint.endpoint.port
            ),
        );
    }
    if mode == Some(MtaStsMode::Enforce) {
        return (
            true,
            "The domain publishes MTA-STS in enforce mode: senders that honour it refuse to deliver to this MX."
                .to_owned(),
        );
    }
    match tls.dane.as_ref().map(|dane| &dane.status) {
        Some(DaneStatus::Authenticated { .. }) => (
            false,
            "DANE authenticates this host through its TLSA records, so DANE senders deliver; senders without \
             DANE use opportunistic TLS and do not validate, but MTA-STS cannot be used with this certificate."
                .to_owned(),
        ),
        Some(DaneStatus::NotAuthenticated { .. } | DaneStatus::Unusable { .. }) => (
            true,
            "The host publishes TLSA records, so DANE senders insist on an authenticated server and defer mail \
             when they cannot authenticate it."
                .to_owned(),
        ),
        None => (
            false,
            if mode == Some(MtaStsMode::Testing) {
                "The domain's MTA-STS policy is in testing mode: senders report this failure but deliver. In \
                 enforce mode they would not."
                    .to_owned()
            } else {
                "On port 25, senders use opportunistic TLS and do not validate certificates, and the domain \
                 publishes neither DANE nor MTA-STS, so delivery still works; but the host cannot be \
                 authenticated, and MTA-STS or DANE-TA cannot be deployed until it is fixed."
                    .to_owned()
            },
        ),
    }
}

/// The findings of one endpoint observed on its own (`mailtls tls`): no
/// MTA-STS policy is known, so port 25 certificate problems are warnings
/// unless the host's TLSA records fail.
pub fn endpoint_findings_alone(endpoint: &EndpointObservation, out: &mut Vec<Finding>) {
    endpoint_findings(None, endpoint, out);
    sort_worst_first(out);
}

fn mta_sts_mode(assessment: &Assessment) -> Option<MtaStsMode> {
    assessment
        .mta_sts
        .as_ref()
        .and_then(|mta_sts| mta_sts.fetch.policy.as_ref())
        .map(|policy| policy.mode)
}

fn endpoint_findings(mode: Option<MtaStsMode>, endpoint: &EndpointObservation, out: &mut Vec<Finding>) {
    let source = endpoint_source(endpoint);
    match &endpoint.outcome {
        ProbeOutcome::NotTested { reason } => {
            out.push(finding(
                "endpoint.not_tested",
                Status::NotTested,
                format!("{source} kept the probe from completing; its checks are not tested: {reason}"),
                vec![evidence(source.clone(), reason.clone())],
            ));
            return;
        }
        ProbeOutcome::Error { message } => {
            out.push(finding(
                "endpoint.unreachable",
                Status::Error,
                format!("mailtls could not observe {source}: {message}. Its checks are not tested."),
                vec![evidence(source.clone(), message.clone())],
            ));
            return;
        }
        ProbeOutcome::Completed => {}
    }
    let protocol = endpoint.endpoint.protocol;
    let mut tls_expected = true;
    if protocol.tls_mode() == TlsMode::Starttls
        && let Some(dialogue) = &endpoint.dialogue
    {
        let capabilities = dialogue.capabilities_before_tls.join(" / ");
        if !dialogue.starttls_offered {
            tls_expected = false;
            let (id, detail) = if protocol == MailProtocol::Smtp {
                (
                    "smtp.starttls.missing",
                    format!("{source} does not announce STARTTLS: every sender delivers to it in plaintext."),
                )
            } else {
                (
                    "client.starttls.missing",
                    format!(
                        "{source} does not announce {}: clients log in and read mail in plaintext.",
                        if protocol.dialect() == Dialect::Pop3 {
                            "STLS"
                        } else {
                            "STARTTLS"
                        }
                    ),
                )
            };
            out.push(finding(
                id,
                Status::Fail,
                detail,
                vec![evidence(
                    format!("{source} capabilities before TLS"),
                    capabilities.clone(),
                )],
            ));
        } else if endpoint.tls.is_none() && endpoint.tls_failure.is_none() {
            tls_expected = false;
            let reply = dialogue.starttls_reply.clone().unwrap_or_default();
            out.push(finding(
                "smtp.starttls.refused",
                Status::Fail,
                format!(
                    "{source} announces STARTTLS but refuses it; senders fall back to plaintext or, when they \
                     require TLS, do not deliver."
                ),
                vec![evidence(format!("{source} reply to STARTTLS"), reply)],
            ));
        }
        if let Some(InjectionTest::Vulnerable { evidence: unasked }) = &dialogue.starttls_injection {
            out.push(finding(
                "smtp.starttls.injection",
                Status::Fail,
                format!(
                    "{source} answered a plaintext command pipelined after STARTTLS inside the TLS session."
                ),
                vec![evidence(format!("{source} inside TLS, unasked"), unasked.clone())],
            ));
        }
        client_plaintext_auth(
            endpoint,
            &source,
            &capabilities,
            &dialogue.capabilities_before_tls,
            out,
        );
    }
    if let Some(tls) = &endpoint.tls {
        certificate_findings(mode, endpoint, tls, &source, out);
        dane(endpoint, tls, &source, out);
    } else if let Some(failure) = &endpoint.tls_failure {
        out.push(finding(
            "tls.handshake.failed",
            Status::Fail,
            format!("No TLS 1.2 or 1.3 handshake with {source} completed: {failure}"),
            vec![evidence(format!("{source} TLS handshake"), failure.clone())],
        ));
    } else if tls_expected && endpoint.dialogue.is_some() && protocol.tls_mode() == TlsMode::Implicit {
        out.push(finding(
            "tls.handshake.failed",
            Status::Fail,
            format!("No TLS handshake with {source} completed."),
            vec![evidence(source.clone(), "no TLS handshake recorded".to_owned())],
        ));
    }
    tls_scan::tls_scan_findings(endpoint, out);
}

/// AUTH before STARTTLS (SMTP), LOGINDISABLED (IMAP), USER (POP3).
fn client_plaintext_auth(
    endpoint: &EndpointObservation,
    source: &str,
    shown: &str,
    capabilities: &[String],
    out: &mut Vec<Finding>,
) {
    let has_word = |word: &str| {
        capabilities.iter().any(|line| {
            line.split(|c: char| c.is_whitespace() || c == '=')
                .next()
                .is_some_and(|first| first.eq_ignore_ascii_case(word))
        })
    };
    let where_ = format!("{source} capabilities before TLS");
    match endpoint.endpoint.protocol {
        MailProtocol::Submission | MailProtocol::Smtp if has_word("AUTH") => {
            let port25 = endpoint.endpoint.protocol == MailProtocol::Smtp;
            out.push(finding(
                "client.auth_before_tls",
                if port25 { Status::Warn } else { Status::Fail },
                format!(
                    "{source} offers AUTH before STARTTLS: a client can send its password in plaintext.{}",
                    if port25 {
                        " On port 25 AUTH is rarely needed at all."
                    } else {
                        ""
                    }
                ),
                vec![evidence(where_, shown.to_owned())],
            ));
        }
        MailProtocol::Imap if !has_word("LOGINDISABLED") => out.push(finding(
            "client.imap.logindisabled_missing",
            Status::Fail,
            format!(
                "{source} does not announce LOGINDISABLED before STARTTLS: it accepts passwords in plaintext."
            ),
            vec![evidence(where_, shown.to_owned())],
        )),
        MailProtocol::Pop3 if has_word("USER") => out.push(finding(
            "client.pop3.user_before_tls",
            Status::Fail,
            format!("{source} offers USER before STLS: it accepts passwords in plaintext."),
            vec![evidence(where_, shown.to_owned())],
        )),
        _ => {}
    }
}

fn certificate_findings(
    mode: Option<MtaStsMode>,
    endpoint: &EndpointObservation,
    tls: &TlsHandshake,
    source: &str,
    out: &mut Vec<Finding>,
) {
    let (validated, why) = certificate_validated(mode, endpoint, tls);
    let status = if validated { Status::Fail } else { Status::Warn };
    let cert_source = format!("{source} certificate");
    if let TrustVerdict::Untrusted { reason } = &tls.trust {
        out.push(finding(
            "tls.certificate.untrusted",
            status,
            format!("The certificate of {source} does not validate: {reason}. {why}"),
            vec![evidence(format!("{source} chain validation"), reason.clone())],
        ));
    }
    let Some(leaf) = tls
        .certificates
        .first()
        .and_then(|certificate| certificate.facts.as_ref())
    else {
        return;
    };
    let validity = &leaf.validity;
    let period = format!(
        "subject {}; notBefore {}, notAfter {}",
        leaf.subject, validity.not_before_rfc3339, validity.not_after_rfc3339
    );
    match validity.status {
        ValidityStatus::Expired | ValidityStatus::NotYetValid => out.push(finding(
            "tls.certificate.expired",
            status,
            format!(
                "The certificate of {source} {} ({} days). {why}",
                if validity.status == ValidityStatus::Expired {
                    "has expired"
                } else {
                    "is not yet valid"
                },
                validity.days_to_expiry
            ),
            vec![evidence(cert_source.clone(), period.clone())],
        )),
        ValidityStatus::Valid if validity.days_to_expiry < EXPIRY_WARNING_DAYS => out.push(finding(
            "tls.certificate.expires_soon",
            Status::Warn,
            format!(
                "The certificate of {source} expires in {} days; renewal normally happens 30 days ahead.",
                validity.days_to_expiry
            ),
            vec![evidence(cert_source.clone(), period.clone())],
        )),
        ValidityStatus::Valid => {}
    }
    if tls.chain.as_ref().and_then(|chain| chain.leaf_name_matches) == Some(false) {
        let names = leaf
            .subject_alt_names
            .as_ref()
            .map(|names| names.dns_names.join(", "))
            .unwrap_or_else(|| leaf.subject_common_names.join(", "));
        out.push(finding(
            "tls.certificate.name_mismatch",
            status,
            format!(
                "The certificate of {source} is not valid for {}. {why}",
                endpoint.sni.as_deref().unwrap_or("the name asked for")
            ),
            vec![evidence(cert_source.clone(), format!("names: {names}"))],
        ));
    }
    let key = &leaf.public_key;
    if matches!(
        key.algorithm,
        PublicKeyAlgorithm::Rsa | PublicKeyAlgorithm::RsaPss
    ) && let Some(bits) = key.bits
        && bits < MIN_RSA_BITS
    {
        out.push(finding(
            "tls.certificate.weak_key",
            Status::Fail,
            format!("The certificate of {source} has a {bits}-bit RSA key; at least {MIN_RSA_BITS} bits are required."),
            vec![evidence(cert_source, format!("RSA {bits} bits, SPKI sha256 {}", leaf.spki_sha256))],
        ));
    }
}

fn dane(endpoint: &EndpointObservation, tls: &TlsHandshake, source: &str, out: &mut Vec<Finding>) {
    let Some(dane) = &tls.dane else {
        return;
    };
    let mut records: Vec<Evidence> = dane
        .records
        .iter()
        .map(|record| {
            evidence(
                format!("_{}._tcp.{} TLSA", endpoint.endpoint.port, endpoint.endpoint.host),
                format!("{} ({}): {:?}", record.record, record.usage_name, record.result),
            )
        })
        .collect();
    let (id, status, detail) = match &dane.status {
        DaneStatus::Authenticated { .. } => (
            "dane.authenticated",
            Status::Pass,
            format!("The TLSA records of {source} match its chain: DANE senders authenticate it."),
        ),
        DaneStatus::NotAuthenticated { reason } => (
            "dane.tlsa.mismatch",
            Status::Fail,
            format!(
                "No TLSA record of {source} matches the chain it serves: DANE senders defer mail. {reason}"
            ),
        ),
        DaneStatus::Unusable { reason } => (
            "dane.tlsa.unusable",
            Status::Warn,
            format!("The TLSA records of {source} cannot be used by DANE senders: {reason}"),
        ),
    };
    // One finding per address: name the address the chain was served from.
    records.push(evidence(
        source,
        format!(
            "chain served at {}: {}",
            endpoint.address,
            dane_status_text(&dane.status)
        ),
    ));
    out.push(finding(id, status, detail, records));
}

fn dane_status_text(status: &DaneStatus) -> String {
    match status {
        DaneStatus::Authenticated { .. } => "authenticated".to_owned(),
        DaneStatus::NotAuthenticated { reason } => format!("not authenticated: {reason}"),
        DaneStatus::Unusable { reason } => format!("unusable: {reason}"),
    }
}

/// `dane.tlsa.missing`, once per MX host that publishes no TLSA records
/// and was reached with TLS on port 25.
fn dane_missing(assessment: &Assessment, out: &mut Vec<Finding>) {
    for host in &assessment.policy.mx.hosts {
        if !host.tlsa.records.is_empty() {
            continue;
        }
        let reached = assessment.endpoints.iter().any(|endpoint| {
            endpoint.endpoint.protocol == MailProtocol::Smtp
                && endpoint.tls.is_some()
                && matches!(&endpoint.endpoint.host, mailtls_core::Host::Domain(name) if *name == host.name)
        });
        if !reached {
            continue;
        }
        let lookup = &host.tlsa.lookup;
        out.push(finding(
            "dane.tlsa.missing",
            Status::Info,
            format!(
                "The MX host {} publishes no TLSA records: DANE senders cannot authenticate it.",
                host.name.as_str()
            ),
            vec![evidence(lookup_source(lookup), format!("{:?}", lookup.status))],
        ));
    }
}

// ---------------------------------------------------------------- MTA-STS

fn mta_sts(assessment: &Assessment, out: &mut Vec<Finding>) {
    let Some(mta_sts) = &assessment.mta_sts else {
        return;
    };
    let fetch = &mta_sts.fetch;
    for issue in fetch
        .issues
        .iter()
        .filter(|issue| issue.id != "mta_sts.mode.testing")
    {
        let body: Vec<String> = fetch.body.iter().cloned().collect();
        out.push(issue_finding(issue, &fetch.url, &body));
    }
    let Some(policy) = &fetch.policy else {
        let failure = fetch
            .failure
            .clone()
            .unwrap_or_else(|| "no valid policy".to_owned());
        let served = match fetch.status {
            Some(status) => format!("HTTP {status}: {failure}"),
            None => failure.clone(),
        };
        out.push(finding(
            "mtasts.policy.unusable",
            Status::Fail,
            format!(
                "{} publishes an MTA-STS record, but senders cannot use its policy: {failure}",
                assessment.domain.as_str()
            ),
            vec![evidence(fetch.url.clone(), served)],
        ));
        return;
    };
    let policy_status = match policy.mode {
        MtaStsMode::Enforce => Status::Fail,
        MtaStsMode::Testing => Status::Warn,
        MtaStsMode::None => return,
    };
    let policy_text = fetch.body.clone().unwrap_or_default();
    if policy.mode == MtaStsMode::Testing {
        out.push(finding(
            "mtasts.mode.testing",
            Status::Warn,
            "The MTA-STS policy is in testing mode: senders report TLS failures but deliver anyway."
                .to_owned(),
            vec![evidence(fetch.url.clone(), policy_text.clone())],
        ));
    }
    for host in &mta_sts.uncovered_mx {
        out.push(finding(
            "mtasts.mx_not_covered",
            policy_status,
            format!(
                "No mx line of the MTA-STS policy matches the MX host {}{}",
                host.as_str(),
                if policy_status == Status::Fail {
                    ": enforcing senders will not deliver to it."
                } else {
                    "."
                }
            ),
            vec![evidence(fetch.url.clone(), policy_text.clone())],
        ));
    }
    for certificate in &mta_sts.mx_certificates {
        if certificate.valid == Some(false) {
            out.push(finding(
                "mtasts.mx_certificate_invalid",
                policy_status,
                format!(
                    "The certificate of MX {} ({}) fails MTA-STS validation: {}",
                    certificate.host.as_str(),
                    certificate.address,
                    certificate.detail
                ),
                vec![evidence(
                    format!(
                        "smtp://{}:25 ({})",
                        certificate.host.as_str(),
                        certificate.address.ip()
                    ),
                    certificate.detail.clone(),
                )],
            ));
        }
    }
    if assessment.policy.tls_rpt.record.is_none() {
        out.push(finding(
            "mtasts.tlsrpt.missing",
            Status::Warn,
            format!(
                "{} publishes MTA-STS but no TLS-RPT record: failures of senders to deliver under the policy \
                 are never reported.",
                assessment.domain.as_str()
            ),
            vec![evidence(
                lookup_source(&assessment.policy.tls_rpt.lookup),
                format!("{:?}", assessment.policy.tls_rpt.lookup.status),
            )],
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_txt_strings_are_joined() {
        assert_eq!(unquote_txt("\"v=spf1 \" \"-all\""), "v=spf1 -all");
        assert_eq!(unquote_txt("\"a\\\"b\""), "a\"b");
        assert_eq!(unquote_txt("10 mx.example."), "10 mx.example.");
    }
}
