//! The grade of one TLS endpoint at one address, SSL Labs style:
//!
//! ```text
//! protocol     = (score(best version) + score(worst version)) / 2
//!                SSLv2 0, SSLv3 80, TLS 1.0 90, TLS 1.1 95, TLS 1.2 100, TLS 1.3 100
//! key exchange = score(weakest of: each suite's key exchange, the certificate key)
//!                bits < 512: 20, < 1024: 40, < 2048: 80, < 4096: 90, else 100; anonymous 0
//! cipher       = (score(strongest) + score(weakest)) / 2
//!                0 bits: 0, < 128: 20, < 256: 80, else 100
//! score        = 0.3 protocol + 0.3 key exchange + 0.4 cipher
//! letter       = A >= 80, B >= 65, C >= 50, D >= 35, E >= 20, else F; then the caps
//! ```
//!
//! ECDHE groups count as their RSA-equivalent size: x25519 and P-256 as
//! 3072 bits (90), P-384, x448 and the ML-KEM hybrids as 7680 bits (100).

use mailtls_core::{
    DaneStatus, EndpointObservation, Finding, MailProtocol, ProbeOutcome, PublicKeyAlgorithm, ScanOutcome,
    Status, TlsVersion,
};
use mailtls_dns::mta_sts::MtaStsMode;
use mailtls_probe::assessor::Assessment;
use mailtls_probe::tls_engine::cipher_suites;

use super::caps::ENDPOINT_CAPS;
use super::suites::{Kex, SuiteClass, accepted_suites, classify};
use super::{Cap, Confidence, EndpointGrade, Letter};
use crate::findings::endpoint_source;

/// What the grade of an endpoint knows of the domain around it.
#[derive(Debug, Clone, Copy, Default)]
pub struct TrustContext {
    /// The domain's MTA-STS mode, when a policy was fetched.
    pub mta_sts_mode: Option<MtaStsMode>,
    /// Whether the MTA-STS policy names this host.
    pub mta_sts_covers: bool,
}

impl TrustContext {
    /// The context of `endpoint` in `assessment`.
    pub fn of(assessment: &Assessment, endpoint: &EndpointObservation) -> Self {
        let mta_sts = assessment.mta_sts.as_ref();
        let mode = mta_sts
            .and_then(|mta_sts| mta_sts.fetch.policy.as_ref())
            .map(|policy| policy.mode);
        let covers = mta_sts.is_some_and(|mta_sts| {
            !mta_sts.uncovered_mx.iter().any(
                |host| matches!(&endpoint.endpoint.host, mailtls_core::Host::Domain(name) if name == host),
            )
        });
        Self {
            mta_sts_mode: mode,
            mta_sts_covers: covers,
        }
    }
}

/// The findings about `endpoint` at its address.
pub(crate) fn findings_of<'f>(endpoint: &EndpointObservation, findings: &'f [Finding]) -> Vec<&'f Finding> {
    let source = endpoint_source(endpoint);
    findings
        .iter()
        .filter(|finding| {
            finding.evidence.iter().any(|evidence| {
                evidence
                    .source
                    .strip_prefix(source.as_str())
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with(' '))
            })
        })
        .collect()
}

/// Grades `endpoint` from its observation and the (profile-adjusted) findings.
pub fn grade_endpoint(
    endpoint: &EndpointObservation,
    findings: &[Finding],
    context: TrustContext,
) -> EndpointGrade {
    let mine = findings_of(endpoint, findings);
    let mut grade = EndpointGrade {
        endpoint: endpoint.endpoint.clone(),
        address: endpoint.address,
        protocol_score: None,
        key_exchange_score: None,
        cipher_score: None,
        score: None,
        letter: None,
        letter_if_trusted: None,
        caps: Vec::new(),
        trust_counts: false,
        explanation: String::new(),
        confidence: Confidence::Full,
    };
    let mut missing: Vec<String> = Vec::new();
    match &endpoint.outcome {
        ProbeOutcome::NotTested { reason } => {
            grade.explanation = format!("Not graded: the probe did not complete ({reason}).");
            grade.confidence = Confidence::Reduced {
                reasons: vec![format!("{} not tested: {reason}", endpoint_source(endpoint))],
            };
            return grade;
        }
        ProbeOutcome::Error { message } => {
            grade.explanation = format!("Not graded: unreachable ({message}).");
            grade.confidence = Confidence::Reduced {
                reasons: vec![format!("{} unreachable: {message}", endpoint_source(endpoint))],
            };
            return grade;
        }
        ProbeOutcome::Completed => {}
    }
    let dane_authenticated = endpoint
        .tls
        .as_ref()
        .and_then(|tls| tls.dane.as_ref())
        .is_some_and(|dane| matches!(dane.status, DaneStatus::Authenticated { .. }));
    let tlsa_published = endpoint.tls.as_ref().is_some_and(|tls| tls.dane.is_some());
    grade.trust_counts = if endpoint.endpoint.protocol == MailProtocol::Smtp {
        tlsa_published
            || (context.mta_sts_covers
                && matches!(
                    context.mta_sts_mode,
                    Some(MtaStsMode::Enforce | MtaStsMode::Testing)
                ))
    } else {
        true
    };

    let scores = scores(endpoint, &mut missing);
    if let Some((protocol, key_exchange, cipher)) = scores {
        grade.protocol_score = Some(protocol);
        grade.key_exchange_score = Some(key_exchange);
        grade.cipher_score = Some(cipher);
        let weighted =
            (u32::from(protocol) * 30 + u32::from(key_exchange) * 30 + u32::from(cipher) * 40 + 50) / 100;
        grade.score = Some(u8::try_from(weighted).unwrap_or(100));
    }
    let mut caps: Vec<Cap> = Vec::new();
    for rule in ENDPOINT_CAPS {
        if mine
            .iter()
            .any(|finding| finding.id == rule.rule && rule.statuses.contains(&finding.status))
            && !caps
                .iter()
                .any(|cap| cap.rule == rule.rule && cap.letter <= rule.letter)
        {
            caps.push(Cap {
                letter: rule.letter,
                rule: rule.rule.to_owned(),
                reason: rule.reason.to_owned(),
            });
        }
    }
    caps.sort_by_key(|cap| std::cmp::Reverse(cap.letter));
    let base = grade.score.map(letter_for_score);
    let capped = match (base, caps.first()) {
        (Some(base), Some(cap)) => Some(base.max(cap.letter)),
        (Some(base), None) => Some(base),
        (None, Some(cap)) => Some(cap.letter),
        (None, None) => None,
    };
    let mut letter = capped;
    let mut explanation = match (capped, caps.first(), grade.score) {
        (Some(letter), Some(cap), _) if base.is_none_or(|base| cap.letter >= base) => {
            format!("{letter} because {}.", cap.reason)
        }
        (Some(letter), _, Some(score)) => format!("{letter} because the weighted score is {score}."),
        _ => "Not graded: no TLS was observed.".to_owned(),
    };
    // A+: nothing capped, everything the best configurations do.
    if letter == Some(Letter::A) && caps.is_empty() {
        match a_plus_gap(endpoint, context, dane_authenticated) {
            None => {
                letter = Some(Letter::APlus);
                explanation = if endpoint.endpoint.protocol == MailProtocol::Smtp {
                    "A+ because it accepts TLS 1.3 and only forward-secret AEAD suites, supports secure \
                     renegotiation, and DANE or MTA-STS in enforce mode makes senders authenticate it."
                        .to_owned()
                } else {
                    "A+ because it accepts TLS 1.3 and only forward-secret AEAD suites and supports secure \
                     renegotiation."
                        .to_owned()
                };
            }
            Some(gap) => explanation = format!("A, not A+, because {gap}."),
        }
    }
    // T: the certificate is not trusted where it is validated.
    let trust_problem = mine.iter().find(|finding| {
        matches!(
            finding.id.as_str(),
            "tls.certificate.untrusted" | "tls.certificate.expired" | "tls.certificate.name_mismatch"
        ) && matches!(finding.status, Status::Fail | Status::Warn)
    });
    let dane_suffices = dane_authenticated && context.mta_sts_mode != Some(MtaStsMode::Enforce);
    if let (Some(problem), Some(earned)) = (trust_problem, letter) {
        if grade.trust_counts && !dane_suffices {
            grade.letter_if_trusted = Some(earned);
            letter = Some(Letter::T);
            caps.insert(
                0,
                Cap {
                    letter: Letter::T,
                    rule: problem.id.clone(),
                    reason: "its certificate is not trusted where it is validated".to_owned(),
                },
            );
            explanation = format!(
                "T because its certificate does not validate ({}) and {}; {earned} if it did.",
                problem.title.to_lowercase(),
                if endpoint.endpoint.protocol == MailProtocol::Smtp {
                    "the domain's DANE or MTA-STS makes senders validate it"
                } else {
                    "mail clients validate it"
                }
            );
        } else if !grade.trust_counts {
            explanation.push_str(
                " The certificate does not validate, but on port 25 without DANE or MTA-STS senders do not \
                 check it, so it does not lower the grade.",
            );
        }
    }
    grade.letter = letter;
    grade.caps = caps;
    grade.explanation = explanation;
    if let Some(ScanOutcome::Stopped { reason }) = endpoint.tls_scan.as_ref().map(|scan| &scan.outcome) {
        missing.push(format!("the TLS scan stopped early: {reason}"));
    }
    let not_tested = mine
        .iter()
        .filter(|finding| finding.status == Status::NotTested)
        .count();
    if not_tested > 0 {
        missing.push(format!("{not_tested} check(s) not tested"));
    }
    if !missing.is_empty() {
        grade.confidence = Confidence::Reduced { reasons: missing };
    }
    grade
}

/// Why an uncapped A is not A+, or `None` when it is.
fn a_plus_gap(
    endpoint: &EndpointObservation,
    context: TrustContext,
    dane_authenticated: bool,
) -> Option<String> {
    let Some(scan) = &endpoint.tls_scan else {
        return Some("only one handshake was observed (no TLS enumeration)".to_owned());
    };
    if scan.outcome != ScanOutcome::Completed {
        return Some("the TLS enumeration did not complete".to_owned());
    }
    let versions = scan.supported_versions();
    if !versions.contains(&TlsVersion::Tls13) {
        return Some("TLS 1.3 is not accepted".to_owned());
    }
    let suites = accepted_suites(scan);
    if suites.iter().any(|suite| !suite.forward_secret || !suite.aead) {
        return Some("not every suite is forward-secret AEAD".to_owned());
    }
    let below_tls13 = versions.iter().any(|version| *version < TlsVersion::Tls13);
    if below_tls13 && !scan.features.secure_renegotiation.support.is_yes() {
        return Some("secure renegotiation was not confirmed".to_owned());
    }
    if endpoint.endpoint.protocol == MailProtocol::Smtp
        && !dane_authenticated
        && !(context.mta_sts_mode == Some(MtaStsMode::Enforce) && context.mta_sts_covers)
    {
        return Some("neither DANE nor MTA-STS in enforce mode makes senders authenticate it".to_owned());
    }
    None
}

/// The letter of a weighted score, before caps.
pub fn letter_for_score(score: u8) -> Letter {
    match score {
        80.. => Letter::A,
        65..=79 => Letter::B,
        50..=64 => Letter::C,
        35..=49 => Letter::D,
        20..=34 => Letter::E,
        _ => Letter::F,
    }
}

/// SSL Labs' protocol table.
pub fn protocol_points(version: TlsVersion) -> u8 {
    match version {
        TlsVersion::Ssl2 => 0,
        TlsVersion::Ssl3 => 80,
        TlsVersion::Tls10 => 90,
        TlsVersion::Tls11 => 95,
        TlsVersion::Tls12 | TlsVersion::Tls13 => 100,
    }
}

/// SSL Labs' key exchange table, by RSA-equivalent bits (`None`: anonymous).
pub fn key_exchange_points(bits: Option<u32>) -> u8 {
    match bits {
        None => 0,
        Some(bits) if bits < 512 => 20,
        Some(bits) if bits < 1024 => 40,
        Some(bits) if bits < 2048 => 80,
        Some(bits) if bits < 4096 => 90,
        Some(_) => 100,
    }
}

/// SSL Labs' cipher strength table.
pub fn cipher_points(bits: u16) -> u8 {
    match bits {
        0 => 0,
        1..=127 => 20,
        128..=255 => 80,
        _ => 100,
    }
}

/// RSA-equivalent bits of a named group.
pub fn group_bits(group: &str) -> u32 {
    let lower = group.to_ascii_lowercase();
    if lower.contains("mlkem") || lower.contains("384") || lower.contains("448") {
        7680
    } else if lower.contains("521") || lower.contains("512") {
        15360
    } else if lower.contains("224") {
        2048
    } else if lower.contains("192") {
        1536
    } else if lower.starts_with("ffdhe") {
        lower.trim_start_matches("ffdhe").parse().unwrap_or(2048)
    } else {
        3072
    }
}

/// `(protocol, key exchange, cipher)` scores, from the scan when there is
/// one, otherwise from the one handshake.
fn scores(endpoint: &EndpointObservation, missing: &mut Vec<String>) -> Option<(u8, u8, u8)> {
    let certificate_bits = certificate_bits(endpoint);
    if let Some(scan) = &endpoint.tls_scan {
        let suites = accepted_suites(scan);
        let versions = scan.supported_versions();
        if let (Some(best), Some(worst), false) = (versions.last(), versions.first(), suites.is_empty()) {
            let protocol = average(protocol_points(*best), protocol_points(*worst));
            let weakest = suites
                .iter()
                .filter_map(|suite| suite_kex_bits(suite, scan, certificate_bits))
                .chain(certificate_bits.map(Some))
                .min_by_key(|bits| bits.unwrap_or(0));
            let key_exchange = key_exchange_points(weakest.unwrap_or(certificate_bits));
            let strongest = suites.iter().map(|suite| suite.bits).max().unwrap_or(0);
            let weakest_cipher = suites.iter().map(|suite| suite.bits).min().unwrap_or(0);
            let cipher = average(cipher_points(strongest), cipher_points(weakest_cipher));
            return Some((protocol, key_exchange, cipher));
        }
        missing.push("the TLS scan enumerated no suites: graded from one handshake".to_owned());
    } else {
        missing.push("no TLS enumeration: graded from one handshake".to_owned());
    }
    let tls = endpoint.tls.as_ref()?;
    let protocol = protocol_points(tls.version);
    let suite = cipher_suites::all()
        .iter()
        .find(|info| info.name == tls.cipher_suite)
        .and_then(|info| classify(u32::from(info.code), info.name, tls.version));
    let group = tls.group.as_deref().map(group_bits);
    let kex_bits = match suite.as_ref().map(|suite| suite.kex) {
        Some(Kex::Rsa) => certificate_bits,
        Some(Kex::Anonymous) => None,
        _ => group.or(Some(3072)),
    };
    let weakest = match (kex_bits, certificate_bits) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let key_exchange = key_exchange_points(weakest);
    let bits = suite.as_ref().map_or(128, |suite| suite.bits);
    Some((protocol, key_exchange, cipher_points(bits)))
}

/// RSA-equivalent bits of one suite's key exchange; `Some(None)` for an
/// anonymous one, `None` when unknown (not counted).
fn suite_kex_bits(
    suite: &SuiteClass,
    scan: &mailtls_core::TlsScan,
    certificate: Option<u32>,
) -> Option<Option<u32>> {
    let seen = suite.key_exchange_seen.as_deref().unwrap_or("");
    let seen_bits = seen
        .split_whitespace()
        .nth(1)
        .map(|word| word.parse::<u32>().unwrap_or_else(|_| group_bits(word)));
    let bits = match suite.kex {
        Kex::Anonymous => return Some(None),
        Kex::Rsa => certificate,
        Kex::Dh => seen_bits.or_else(|| scan.dh.as_ref().map(|dh| dh.prime_bits)),
        Kex::Ecdh => seen_bits.or_else(|| scan.groups.tls12.iter().map(|group| group_bits(group)).min()),
        Kex::Tls13 => seen_bits
            .or_else(|| scan.groups.tls13.iter().map(|group| group_bits(group)).min())
            .or(Some(3072)),
        Kex::Other => None,
    };
    let bits = if suite.export {
        bits.map(|bits| bits.min(512))
    } else {
        bits
    };
    bits.map(Some)
}

/// RSA-equivalent bits of the leaf certificate's key.
fn certificate_bits(endpoint: &EndpointObservation) -> Option<u32> {
    let key = &endpoint
        .tls
        .as_ref()?
        .certificates
        .first()?
        .facts
        .as_ref()?
        .public_key;
    match key.algorithm {
        PublicKeyAlgorithm::Rsa | PublicKeyAlgorithm::RsaPss | PublicKeyAlgorithm::Dsa => key.bits,
        _ => Some(match key.bits {
            Some(bits) if bits >= 384 => 7680,
            Some(bits) if bits >= 256 => 3072,
            Some(bits) => bits.saturating_mul(8),
            None => 3072,
        }),
    }
}

fn average(a: u8, b: u8) -> u8 {
    u8::try_from((u16::from(a) + u16::from(b)).div_ceil(2)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssl_labs_tables() {
        assert_eq!(protocol_points(TlsVersion::Ssl3), 80);
        assert_eq!(key_exchange_points(Some(1024)), 80);
        assert_eq!(key_exchange_points(Some(2048)), 90);
        assert_eq!(key_exchange_points(None), 0);
        assert_eq!(cipher_points(112), 20);
        assert_eq!(cipher_points(128), 80);
        assert_eq!(cipher_points(256), 100);
        assert_eq!(letter_for_score(80), Letter::A);
        assert_eq!(letter_for_score(79), Letter::B);
        assert_eq!(letter_for_score(19), Letter::F);
    }

    #[test]
    fn groups_count_as_rsa_equivalents() {
        assert_eq!(group_bits("x25519"), 3072);
        assert_eq!(group_bits("secp256r1"), 3072);
        assert_eq!(group_bits("secp384r1"), 7680);
        assert_eq!(group_bits("X25519MLKEM768"), 7680);
        assert_eq!(group_bits("ffdhe2048"), 2048);
    }
}
