//! The caps: a finding with one of the listed statuses limits the letter.
//! Endpoint caps apply to findings about that endpoint and address; domain
//! caps to the overall letter. Profiles change statuses, not this table.

use mailtls_core::Status;

use super::Letter;

/// One row: findings of `rule` with a status in `statuses` cap at `letter`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapRule {
    /// The rule id.
    pub rule: &'static str,
    /// The statuses that cap.
    pub statuses: &'static [Status],
    /// The best letter left.
    pub letter: Letter,
    /// Why, as the grade's explanation says it.
    pub reason: &'static str,
}

const FAIL: &[Status] = &[Status::Fail];
const WARN: &[Status] = &[Status::Warn];
const WARN_FAIL: &[Status] = &[Status::Warn, Status::Fail];

const fn cap(
    rule: &'static str,
    statuses: &'static [Status],
    letter: Letter,
    reason: &'static str,
) -> CapRule {
    CapRule {
        rule,
        statuses,
        letter,
        reason,
    }
}

/// Caps of an endpoint grade, strictest first.
pub const ENDPOINT_CAPS: &[CapRule] = &[
    cap(
        "smtp.starttls.missing",
        FAIL,
        Letter::F,
        "STARTTLS is not offered: mail arrives in plaintext",
    ),
    cap(
        "smtp.starttls.refused",
        FAIL,
        Letter::F,
        "STARTTLS is offered but refused",
    ),
    cap(
        "client.starttls.missing",
        FAIL,
        Letter::F,
        "STARTTLS is not offered: logins travel in plaintext",
    ),
    cap(
        "tls.handshake.failed",
        FAIL,
        Letter::F,
        "no TLS 1.2 or 1.3 handshake completes",
    ),
    cap("tls.version.sslv2", FAIL, Letter::F, "SSL 2.0 is accepted"),
    cap("tls.vuln.drown", FAIL, Letter::F, "it is vulnerable to DROWN"),
    cap(
        "tls.vuln.heartbleed",
        FAIL,
        Letter::F,
        "it is vulnerable to Heartbleed",
    ),
    cap(
        "tls.vuln.robot",
        FAIL,
        Letter::F,
        "it is an RSA decryption oracle (ROBOT)",
    ),
    cap(
        "tls.vuln.ccs_injection",
        FAIL,
        Letter::F,
        "it accepts an early ChangeCipherSpec (CVE-2014-0224)",
    ),
    cap(
        "tls.cipher.export",
        FAIL,
        Letter::F,
        "export-grade suites are accepted",
    ),
    cap(
        "tls.cipher.null_or_anonymous",
        FAIL,
        Letter::F,
        "NULL or anonymous suites are accepted",
    ),
    cap(
        "tls.cipher.null_or_anonymous",
        WARN,
        Letter::B,
        "anonymous suites are accepted (tolerated on port 25)",
    ),
    cap("tls.vuln.freak", FAIL, Letter::F, "it is vulnerable to FREAK"),
    cap("tls.vuln.logjam", FAIL, Letter::F, "it is vulnerable to Logjam"),
    cap(
        "tls.kex.dh_weak",
        FAIL,
        Letter::F,
        "its Diffie-Hellman prime is shorter than 1024 bits",
    ),
    cap("tls.version.sslv3", FAIL, Letter::C, "SSL 3.0 is accepted"),
    cap("tls.vuln.poodle", FAIL, Letter::C, "it is vulnerable to POODLE"),
    cap("tls.cipher.rc4", FAIL, Letter::C, "RC4 is accepted"),
    cap(
        "tls.version.no_tls1_2",
        FAIL,
        Letter::C,
        "neither TLS 1.2 nor TLS 1.3 is accepted",
    ),
    cap(
        "tls.feature.compression",
        FAIL,
        Letter::C,
        "TLS compression is accepted (CRIME)",
    ),
    cap("tls.vuln.crime", FAIL, Letter::C, "it is vulnerable to CRIME"),
    cap(
        "tls.feature.secure_renegotiation",
        FAIL,
        Letter::C,
        "secure renegotiation is not supported",
    ),
    cap(
        "smtp.starttls.injection",
        FAIL,
        Letter::C,
        "plaintext commands are executed inside TLS",
    ),
    cap(
        "client.auth_before_tls",
        FAIL,
        Letter::C,
        "it offers AUTH before TLS",
    ),
    cap(
        "client.imap.logindisabled_missing",
        FAIL,
        Letter::C,
        "it accepts IMAP LOGIN before TLS",
    ),
    cap(
        "client.pop3.user_before_tls",
        FAIL,
        Letter::C,
        "it accepts POP3 USER before TLS",
    ),
    cap("tls.version.tls1_3", FAIL, Letter::C, "TLS 1.3 is not accepted"),
    cap("tls.version.tls1_0", WARN_FAIL, Letter::B, "TLS 1.0 is accepted"),
    cap("tls.version.tls1_1", WARN_FAIL, Letter::B, "TLS 1.1 is accepted"),
    cap("tls.version.tls1_2", FAIL, Letter::B, "TLS 1.2 is accepted"),
    cap(
        "tls.cipher.no_forward_secrecy",
        WARN_FAIL,
        Letter::B,
        "suites without forward secrecy are accepted",
    ),
    cap(
        "tls.cipher.no_aead",
        WARN_FAIL,
        Letter::B,
        "no AEAD suite is accepted",
    ),
    cap("tls.cipher.cbc", FAIL, Letter::B, "CBC suites are accepted"),
    cap(
        "tls.kex.dh_weak",
        WARN,
        Letter::B,
        "its Diffie-Hellman prime is shorter than 2048 bits",
    ),
    cap(
        "tls.cipher.sweet32",
        WARN_FAIL,
        Letter::B,
        "64-bit block ciphers (3DES) are accepted",
    ),
    cap(
        "tls.certificate.weak_key",
        FAIL,
        Letter::B,
        "its certificate key is shorter than 2048 bits",
    ),
    cap(
        "tls.feature.fallback_scsv",
        WARN_FAIL,
        Letter::AMinus,
        "it does not honour TLS_FALLBACK_SCSV",
    ),
    cap(
        "tls.cipher.server_order",
        WARN_FAIL,
        Letter::AMinus,
        "it lets the client pick weak suites",
    ),
    cap(
        "tls.feature.extended_master_secret",
        WARN_FAIL,
        Letter::AMinus,
        "it lacks the extended master secret",
    ),
];

/// Caps of the overall letter from domain-wide findings, strictest first.
pub const DOMAIN_CAPS: &[CapRule] = &[
    cap(
        "dns.dnssec.bogus",
        FAIL,
        Letter::F,
        "DNSSEC validation of the domain fails",
    ),
    cap(
        "dane.tlsa.mismatch",
        FAIL,
        Letter::C,
        "TLSA records do not match the MX certificate: DANE senders defer mail",
    ),
    cap(
        "mtasts.mx_not_covered",
        FAIL,
        Letter::C,
        "the MTA-STS policy in enforce mode does not cover every MX",
    ),
    cap(
        "mtasts.mx_certificate_invalid",
        FAIL,
        Letter::C,
        "an MX certificate fails MTA-STS validation in enforce mode",
    ),
    cap(
        "dns.spf.record.missing",
        WARN_FAIL,
        Letter::B,
        "there is no SPF record",
    ),
    cap(
        "dns.dmarc.record.missing",
        WARN_FAIL,
        Letter::B,
        "there is no DMARC record",
    ),
    cap(
        "mtasts.policy.unusable",
        FAIL,
        Letter::B,
        "the MTA-STS policy cannot be fetched",
    ),
    cap(
        "dane.tlsa.missing",
        FAIL,
        Letter::B,
        "an MX host publishes no TLSA records (required by the profile)",
    ),
    cap(
        "dane.tlsa.unusable",
        FAIL,
        Letter::B,
        "TLSA records are unusable (required by the profile)",
    ),
    cap(
        "dns.dnssec.insecure",
        FAIL,
        Letter::B,
        "the domain is not DNSSEC-signed (required by the profile)",
    ),
    cap(
        "dns.dmarc.policy.none",
        WARN_FAIL,
        Letter::AMinus,
        "DMARC is p=none",
    ),
];
