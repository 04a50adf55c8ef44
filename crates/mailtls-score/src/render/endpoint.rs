//! What one endpoint showed, as labelled facts: the dialogue, the handshake,
//! the certificate and DANE. Text, Markdown and HTML all list these rows.

use mailtls_core::{
    DaneStatus, EndpointObservation, InjectionTest, ProbeOutcome, TlsHandshake, TlsMode, TlsaMatch,
    TrustVerdict,
};

/// One row: a label (empty for a continuation of the row above) and a value.
pub(crate) type Fact = (&'static str, String);

/// The facts of an endpoint, in the order a reader follows the connection.
pub(crate) fn endpoint_facts(observation: &EndpointObservation) -> Vec<Fact> {
    let mut facts = Vec::new();
    let outcome = match &observation.outcome {
        ProbeOutcome::Completed => "completed".to_owned(),
        ProbeOutcome::NotTested { reason } => format!("not tested: {reason}"),
        ProbeOutcome::Error { message } => format!("error: {message}"),
    };
    facts.push(("outcome", outcome));
    if let Some(dialogue) = &observation.dialogue {
        for (index, line) in dialogue.greeting.iter().enumerate() {
            facts.push((if index == 0 { "greeting" } else { "" }, line.clone()));
        }
        if !dialogue.capabilities_before_tls.is_empty() {
            facts.push(("before TLS", dialogue.capabilities_before_tls.join(", ")));
        }
        if observation.endpoint.tls_mode() == TlsMode::Starttls {
            let starttls = match (&dialogue.starttls_reply, dialogue.starttls_offered) {
                (Some(reply), _) => reply.clone(),
                (None, true) => "offered, not tried".to_owned(),
                (None, false) => "not offered".to_owned(),
            };
            facts.push(("STARTTLS", starttls));
        }
        if let Some(test) = &dialogue.starttls_injection {
            let verdict = match test {
                InjectionTest::NotVulnerable => "not vulnerable (pipelined plaintext discarded)".to_owned(),
                InjectionTest::Vulnerable { evidence } => {
                    format!("VULNERABLE: answered inside TLS with {evidence:?}")
                }
                InjectionTest::NotTested { reason } => format!("not tested: {reason}"),
            };
            facts.push(("injection", verdict));
        }
    }
    if let Some(tls) = &observation.tls {
        tls_facts(&mut facts, tls);
    }
    if let Some(failure) = &observation.tls_failure {
        facts.push(("TLS", failure.clone()));
    }
    if let Some(dialogue) = &observation.dialogue
        && !dialogue.capabilities_after_tls.is_empty()
    {
        facts.push(("inside TLS", dialogue.capabilities_after_tls.join(", ")));
    }
    facts
}

fn tls_facts(facts: &mut Vec<Fact>, tls: &TlsHandshake) {
    let mut line = format!("{}  {}", tls.version.name(), tls.cipher_suite);
    if let Some(group) = &tls.group {
        line.push_str("  ");
        line.push_str(group);
    }
    if let Some(alpn) = &tls.alpn {
        line.push_str("  ALPN ");
        line.push_str(alpn);
    }
    facts.push(("TLS", line));
    let trust = match &tls.trust {
        TrustVerdict::Trusted => "trusted".to_owned(),
        TrustVerdict::Untrusted { reason } => format!("NOT trusted: {reason}"),
        TrustVerdict::NotChecked { reason } => format!("not checked: {reason}"),
    };
    facts.push((
        "certificate",
        format!("{trust}; chain of {}", tls.certificates.len()),
    ));
    if let Some(leaf) = tls.certificates.first() {
        match (&leaf.facts, &leaf.parse_error) {
            (Some(certificate), _) => {
                let names = certificate
                    .subject_alt_names
                    .as_ref()
                    .map(|sans| sans.dns_names.join(", "))
                    .unwrap_or_else(|| certificate.subject_common_names.join(", "));
                facts.push(("leaf names", names));
                facts.push(("leaf issuer", certificate.issuer.clone()));
                let public_key = &certificate.public_key;
                let key = match (public_key.bits, &public_key.curve) {
                    (_, Some(curve)) => format!("{:?} {curve}", public_key.algorithm),
                    (Some(bits), None) => format!("{:?} {bits} bits", public_key.algorithm),
                    (None, None) => format!("{:?}", public_key.algorithm),
                };
                facts.push((
                    "leaf key",
                    format!("{key}, signed with {}", certificate.signature_algorithm.name),
                ));
                let validity = &certificate.validity;
                facts.push((
                    "leaf expiry",
                    format!(
                        "{} ({} days, {:?})",
                        validity.not_after_rfc3339, validity.days_to_expiry, validity.status
                    ),
                ));
            }
            (None, Some(error)) => facts.push(("leaf", format!("does not parse: {error:?}"))),
            (None, None) => {}
        }
        facts.push(("leaf sha256", leaf.sha256.clone()));
    }
    if tls.ocsp_stapled {
        facts.push(("OCSP", "stapled".to_owned()));
    }
    if let Some(dane) = &tls.dane {
        let status = match &dane.status {
            DaneStatus::Authenticated { matched } => format!("authenticated by {} record(s)", matched.len()),
            DaneStatus::NotAuthenticated { reason } => format!("NOT authenticated: {reason}"),
            DaneStatus::Unusable { reason } => format!("unusable: {reason}"),
        };
        facts.push(("DANE", status));
        for record in &dane.records {
            let result = match &record.result {
                TlsaMatch::Matched { .. } => "matches".to_owned(),
                TlsaMatch::NotMatched { reason }
                | TlsaMatch::UnusableForSmtp { reason }
                | TlsaMatch::Unusable { reason } => reason.clone(),
            };
            let shown = record.record.get(..24).unwrap_or(&record.record);
            facts.push(("", format!("{shown}…: {result}")));
        }
        facts.push(("", format!("rollover: {}", dane.rollover.description)));
    }
}
