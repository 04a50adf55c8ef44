//! Findings from the TLS enumeration of one endpoint: a finding per
//! `tls.version.*`, `tls.cipher.*`, `tls.kex.*`, `tls.vuln.*` and
//! `tls.feature.*` rule, each with the versions, suites or replies that
//! decided it. What the scan did not reach is `not_tested`, never a pass.

use mailtls_core::{
    EndpointObservation, Evidence, Finding, Status, Support, TlsScan, TlsVersion, Vulnerability,
    VulnerabilityResult,
};

use super::{endpoint_source, evidence, finding};
use crate::grade::suites::{SuiteClass, accepted_suites, by_version};

/// Every TLS scan finding for `endpoint`, when it was scanned.
pub(super) fn tls_scan_findings(endpoint: &EndpointObservation, out: &mut Vec<Finding>) {
    let Some(scan) = &endpoint.tls_scan else {
        return;
    };
    let source = endpoint_source(endpoint);
    let context = Context {
        scan,
        source: &source,
        suites: accepted_suites(scan),
        relay_port: endpoint.endpoint.protocol == mailtls_core::MailProtocol::Smtp,
    };
    context.versions(out);
    context.ciphers(out);
    context.key_exchange(endpoint, out);
    context.vulnerabilities(out);
    context.features(out);
}

/// A rule id, which suites it is about, the status when any is accepted, and their name.
type WeakSuites = (&'static str, fn(&SuiteClass) -> bool, Status, &'static str);

struct Context<'a> {
    scan: &'a TlsScan,
    source: &'a str,
    suites: Vec<SuiteClass>,
    /// Port 25 relay between MTAs, where TLS is opportunistic.
    relay_port: bool,
}

impl Context<'_> {
    fn push(&self, out: &mut Vec<Finding>, id: &str, status: Status, detail: String, text: String) {
        out.push(finding(id, status, detail, vec![self.evidence(text)]));
    }

    fn evidence(&self, text: String) -> Evidence {
        evidence(format!("{} TLS scan", self.source), text)
    }

    fn support(&self, version: TlsVersion) -> Option<&Support> {
        self.scan.protocol(version).map(|protocol| &protocol.support)
    }

    fn yes(&self, version: TlsVersion) -> bool {
        self.support(version).is_some_and(Support::is_yes)
    }

    fn versions(&self, out: &mut Vec<Finding>) {
        let accepted = [
            ("tls.version.sslv2", TlsVersion::Ssl2, Status::Fail),
            ("tls.version.sslv3", TlsVersion::Ssl3, Status::Fail),
            ("tls.version.tls1_0", TlsVersion::Tls10, Status::Warn),
            ("tls.version.tls1_1", TlsVersion::Tls11, Status::Warn),
            ("tls.version.tls1_2", TlsVersion::Tls12, Status::Info),
            ("tls.version.tls1_3", TlsVersion::Tls13, Status::Pass),
        ];
        for (id, version, when_yes) in accepted {
            let (status, text) = match self.support(version) {
                Some(Support::Yes { evidence }) => (when_yes, evidence.clone()),
                Some(Support::No { evidence }) => (
                    if matches!(version, TlsVersion::Tls12 | TlsVersion::Tls13) {
                        Status::Info
                    } else {
                        Status::Pass
                    },
                    evidence.clone(),
                ),
                Some(Support::NotTested { reason }) => (Status::NotTested, reason.clone()),
                None => (Status::NotTested, "not part of the scan".to_owned()),
            };
            let said = match (status, version) {
                (Status::NotTested, _) => format!(
                    "Whether {} accepts {} was not tested: {text}.",
                    self.source,
                    version.name()
                ),
                (_, _) if self.yes(version) => format!("{} accepts {}.", self.source, version.name()),
                _ => format!("{} does not accept {}.", self.source, version.name()),
            };
            self.push(out, id, status, said, format!("{}: {text}", version.name()));
        }
        let modern = [TlsVersion::Tls12, TlsVersion::Tls13];
        let (status, detail) = if modern.iter().any(|version| self.yes(*version)) {
            (Status::Pass, format!("{} accepts TLS 1.2 or 1.3.", self.source))
        } else if modern
            .iter()
            .all(|version| matches!(self.support(*version), Some(Support::No { .. })))
        {
            (
                Status::Fail,
                format!("{} accepts neither TLS 1.2 nor TLS 1.3.", self.source),
            )
        } else {
            (
                Status::NotTested,
                format!("Whether {} accepts TLS 1.2 or 1.3 was not tested.", self.source),
            )
        };
        let versions: Vec<&str> = self
            .scan
            .supported_versions()
            .into_iter()
            .map(TlsVersion::name)
            .collect();
        self.push(
            out,
            "tls.version.no_tls1_2",
            status,
            detail,
            format!("accepted: {}", list_or_none(&versions)),
        );
    }

    /// Whether any suite was enumerated; cipher rules are not tested otherwise.
    fn suites_known(&self) -> bool {
        !self.suites.is_empty()
    }

    fn ciphers(&self, out: &mut Vec<Finding>) {
        if !self.suites_known() {
            let reason = match &self.scan.outcome {
                mailtls_core::ScanOutcome::Stopped { reason } => reason.clone(),
                mailtls_core::ScanOutcome::Completed => "no cipher suite was accepted".to_owned(),
            };
            for id in [
                "tls.cipher.null_or_anonymous",
                "tls.cipher.export",
                "tls.cipher.rc4",
                "tls.cipher.sweet32",
                "tls.cipher.no_forward_secrecy",
                "tls.cipher.no_aead",
                "tls.cipher.cbc",
                "tls.cipher.server_order",
            ] {
                self.push(
                    out,
                    id,
                    Status::NotTested,
                    format!(
                        "The cipher suites of {} were not enumerated: {reason}.",
                        self.source
                    ),
                    reason.clone(),
                );
            }
            return;
        }
        let weak: [WeakSuites; 4] = [
            (
                "tls.cipher.null_or_anonymous",
                |suite| suite.null_or_anonymous,
                Status::Fail,
                "suites without encryption or authentication",
            ),
            (
                "tls.cipher.export",
                |suite| suite.export,
                Status::Fail,
                "export-grade suites",
            ),
            ("tls.cipher.rc4", |suite| suite.rc4, Status::Fail, "RC4 suites"),
            (
                "tls.cipher.sweet32",
                |suite| suite.block_64,
                Status::Warn,
                "suites with 64-bit block ciphers",
            ),
        ];
        for (id, test, status, what) in weak {
            let matching: Vec<&SuiteClass> = self.suites.iter().filter(|suite| test(suite)).collect();
            // On port 25, TLS is opportunistic (RFC 7435): a sender that
            // offers anonymous suites authenticates nobody either way, and
            // validating senders (DANE, MTA-STS) never offer them. Postfix
            // accepts them there by default. Suites without encryption stay
            // a failure.
            let anonymous_relay = id == "tls.cipher.null_or_anonymous"
                && self.relay_port
                && !matching.is_empty()
                && matching.iter().all(|suite| !suite.null_cipher);
            if anonymous_relay {
                self.push(
                    out,
                    id,
                    Status::Warn,
                    format!(
                        "{} accepts anonymous suites. On port 25 this is tolerated: senders that offer them \
                         authenticate no server anyway, and senders that validate (DANE, MTA-STS) do not offer \
                         them; on submission, IMAP and POP3 it would be a failure.",
                        self.source
                    ),
                    by_version(&matching),
                );
                continue;
            }
            if matching.is_empty() {
                self.push(
                    out,
                    id,
                    Status::Pass,
                    format!("{} accepts no {what}.", self.source),
                    format!("none among {} accepted suites", self.suites.len()),
                );
            } else {
                self.push(
                    out,
                    id,
                    status,
                    format!("{} accepts {what}.", self.source),
                    by_version(&matching),
                );
            }
        }
        let without_fs: Vec<&SuiteClass> = self.suites.iter().filter(|suite| !suite.forward_secret).collect();
        let (status, detail) = if without_fs.is_empty() {
            (
                Status::Pass,
                format!("Every suite {} accepts has forward secrecy.", self.source),
            )
        } else if without_fs.len() == self.suites.len() {
            (
                Status::Fail,
                format!("No suite {} accepts has forward secrecy.", self.source),
            )
        } else {
            (
                Status::Warn,
                format!(
                    "{} accepts suites without forward secrecy besides forward-secret ones.",
                    self.source
                ),
            )
        };
        self.push(
            out,
            "tls.cipher.no_forward_secrecy",
            status,
            detail,
            by_version_or_none(&without_fs),
        );
        let aead: Vec<&SuiteClass> = self.suites.iter().filter(|suite| suite.aead).collect();
        if aead.is_empty() {
            self.push(
                out,
                "tls.cipher.no_aead",
                Status::Warn,
                format!("{} accepts no AEAD suite.", self.source),
                "no AES-GCM, AES-CCM or ChaCha20-Poly1305 suite accepted".to_owned(),
            );
        } else {
            self.push(
                out,
                "tls.cipher.no_aead",
                Status::Pass,
                format!("{} accepts AEAD suites.", self.source),
                by_version(&aead),
            );
        }
        let cbc: Vec<&SuiteClass> = self.suites.iter().filter(|suite| suite.cbc).collect();
        self.push(
            out,
            "tls.cipher.cbc",
            if cbc.is_empty() {
                Status::Pass
            } else {
                Status::Info
            },
            if cbc.is_empty() {
                format!("{} accepts no CBC suite.", self.source)
            } else {
                format!(
                    "{} accepts CBC suites (Lucky Thirteen class timing attacks).",
                    self.source
                )
            },
            by_version_or_none(&cbc),
        );
        self.server_order(out);
    }

    fn server_order(&self, out: &mut Vec<Finding>) {
        let orders: Vec<(TlsVersion, Option<bool>)> = self
            .scan
            .protocols
            .iter()
            .filter(|protocol| protocol.support.is_yes() && protocol.cipher_suites.len() > 1)
            .map(|protocol| (protocol.version, protocol.server_order))
            .collect();
        let client_chooses: Vec<&str> = orders
            .iter()
            .filter(|(_, order)| *order == Some(false))
            .map(|(version, _)| version.name())
            .collect();
        let weak_present = self
            .suites
            .iter()
            .any(|suite| !suite.forward_secret || !suite.aead);
        let (status, detail) = if orders.is_empty() {
            (
                Status::Info,
                format!(
                    "{} accepts at most one suite per version: there is no order to choose.",
                    self.source
                ),
            )
        } else if !client_chooses.is_empty() && weak_present {
            (
                Status::Warn,
                format!(
                    "{} follows the client's order of suites and also accepts weak ones ({}).",
                    self.source,
                    client_chooses.join(", ")
                ),
            )
        } else if !client_chooses.is_empty() {
            (
                Status::Pass,
                format!(
                    "{} follows the client's order, but every suite it accepts is forward-secret AEAD.",
                    self.source
                ),
            )
        } else if orders.iter().any(|(_, order)| order.is_none()) {
            (
                Status::NotTested,
                format!(
                    "Whether {} imposes its order of suites was not tested.",
                    self.source
                ),
            )
        } else {
            (
                Status::Pass,
                format!("{} chooses the cipher suite itself.", self.source),
            )
        };
        let text = orders
            .iter()
            .map(|(version, order)| {
                format!(
                    "{}: {}",
                    version.name(),
                    match order {
                        Some(true) => "server order",
                        Some(false) => "client order",
                        None => "not tested",
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("; ");
        self.push(out, "tls.cipher.server_order", status, detail, text);
    }

    fn key_exchange(&self, endpoint: &EndpointObservation, out: &mut Vec<Finding>) {
        let dhe_accepted = self
            .suites
            .iter()
            .any(|suite| suite.kex == crate::grade::suites::Kex::Dh);
        match &self.scan.dh {
            Some(dh) => {
                let common = dh
                    .well_known
                    .as_ref()
                    .map(|name| format!(", a widely used prime ({name})"))
                    .unwrap_or_default();
                let (status, detail) = if dh.prime_bits < 1024 {
                    (
                        Status::Fail,
                        format!(
                            "{} uses a {}-bit Diffie-Hellman prime{common}: breakable (Logjam).",
                            self.source, dh.prime_bits
                        ),
                    )
                } else if dh.prime_bits < 2048 {
                    (
                        Status::Warn,
                        format!(
                            "{} uses a {}-bit Diffie-Hellman prime{common}; 2048 bits is the minimum.",
                            self.source, dh.prime_bits
                        ),
                    )
                } else {
                    (
                        Status::Pass,
                        format!(
                            "{} uses a {}-bit Diffie-Hellman prime{common}.",
                            self.source, dh.prime_bits
                        ),
                    )
                };
                self.push(
                    out,
                    "tls.kex.dh_weak",
                    status,
                    detail,
                    format!("{} bits with {}{}", dh.prime_bits, dh.cipher_suite, common),
                );
            }
            None if dhe_accepted => self.push(
                out,
                "tls.kex.dh_weak",
                Status::NotTested,
                format!(
                    "{} accepts DHE suites, but their parameters were not seen.",
                    self.source
                ),
                "no ServerKeyExchange with DH parameters recorded".to_owned(),
            ),
            None if self.suites_known() => self.push(
                out,
                "tls.kex.dh_weak",
                Status::Pass,
                format!("{} accepts no finite-field DHE suite.", self.source),
                "no DHE suite accepted".to_owned(),
            ),
            None => self.push(
                out,
                "tls.kex.dh_weak",
                Status::NotTested,
                format!("The key exchange of {} was not enumerated.", self.source),
                "no suite enumerated".to_owned(),
            ),
        }
        let groups = &self.scan.groups;
        let negotiated = endpoint.tls.as_ref().and_then(|tls| tls.group.clone());
        let hybrid = groups
            .tls13
            .iter()
            .chain(negotiated.iter())
            .find(|group| group.to_ascii_uppercase().contains("MLKEM"));
        let (status, detail, text) = match (hybrid, &groups.not_tested) {
            (Some(group), _) => (
                Status::Pass,
                format!("{} accepts the post-quantum hybrid {group}.", self.source),
                group.clone(),
            ),
            (None, Some(reason)) => (
                Status::NotTested,
                format!(
                    "The key exchange groups of {} were not enumerated: {reason}.",
                    self.source
                ),
                reason.clone(),
            ),
            (None, None) => (
                Status::Info,
                format!("{} offers no post-quantum hybrid key exchange.", self.source),
                format!(
                    "TLS 1.3 groups: {}",
                    list_or_none(&groups.tls13.iter().map(String::as_str).collect::<Vec<_>>())
                ),
            ),
        };
        self.push(out, "tls.kex.pq_hybrid", status, detail, text);
    }

    fn vulnerabilities(&self, out: &mut Vec<Finding>) {
        let checks = [
            ("tls.vuln.heartbleed", Vulnerability::Heartbleed, Status::Fail),
            (
                "tls.vuln.ccs_injection",
                Vulnerability::CcsInjection,
                Status::Fail,
            ),
            ("tls.vuln.robot", Vulnerability::Robot, Status::Fail),
            ("tls.vuln.drown", Vulnerability::Drown, Status::Fail),
            ("tls.vuln.poodle", Vulnerability::Poodle, Status::Fail),
            ("tls.vuln.beast", Vulnerability::Beast, Status::Info),
            ("tls.vuln.freak", Vulnerability::Freak, Status::Fail),
            ("tls.vuln.logjam", Vulnerability::Logjam, Status::Fail),
            ("tls.vuln.crime", Vulnerability::Crime, Status::Fail),
        ];
        for (id, vulnerability, when_vulnerable) in checks {
            let name = vulnerability.id();
            let (status, detail, text) =
                match self.scan.vulnerability(vulnerability).map(|check| &check.result) {
                    Some(VulnerabilityResult::Vulnerable { evidence }) => (
                        when_vulnerable,
                        format!("{} is vulnerable ({name}).", self.source),
                        evidence.clone(),
                    ),
                    Some(VulnerabilityResult::NotVulnerable { evidence }) => (
                        Status::Pass,
                        format!("{} is not vulnerable ({name}).", self.source),
                        evidence.clone(),
                    ),
                    Some(VulnerabilityResult::NotTested { reason }) => (
                        Status::NotTested,
                        format!("{} was not tested for {name}: {reason}.", self.source),
                        reason.clone(),
                    ),
                    None => (
                        Status::NotTested,
                        format!("{} was not tested for {name}.", self.source),
                        "not part of the scan".to_owned(),
                    ),
                };
            self.push(out, id, status, detail, text);
        }
    }

    fn features(&self, out: &mut Vec<Finding>) {
        let features = &self.scan.features;
        let supported = self.scan.supported_versions();
        let below_tls13 = supported.iter().any(|version| *version < TlsVersion::Tls13);
        // A fallback from TLS 1.3 is caught by the downgrade sentinel in the
        // ServerHello random (RFC 8446 §4.1.3); the SCSV only matters when
        // the server accepts two versions at or below TLS 1.2.
        let several_versions = supported
            .iter()
            .filter(|version| **version <= TlsVersion::Tls12)
            .count()
            > 1;
        // (id, feature, status when absent, whether absence matters here, name)
        let table = [
            (
                "tls.feature.secure_renegotiation",
                &features.secure_renegotiation,
                Status::Fail,
                below_tls13,
                "secure renegotiation (RFC 5746)",
            ),
            (
                "tls.feature.fallback_scsv",
                &features.fallback_scsv,
                Status::Warn,
                several_versions,
                "TLS_FALLBACK_SCSV downgrade protection",
            ),
            (
                "tls.feature.extended_master_secret",
                &features.extended_master_secret,
                Status::Warn,
                below_tls13,
                "the extended master secret",
            ),
            (
                "tls.feature.ocsp_stapling",
                &features.ocsp_stapling,
                Status::Info,
                true,
                "OCSP stapling",
            ),
            (
                "tls.feature.session_resumption",
                &features.session_resumption,
                Status::Info,
                true,
                "session resumption",
            ),
        ];
        for (id, feature, when_absent, matters, name) in table {
            let (status, detail, text) = match &feature.support {
                Support::Yes { evidence } => (
                    Status::Pass,
                    format!("{} supports {name}.", self.source),
                    evidence.clone(),
                ),
                Support::No { evidence } if matters => (
                    when_absent,
                    format!("{} does not support {name}.", self.source),
                    evidence.clone(),
                ),
                Support::No { evidence } => (
                    Status::Pass,
                    format!(
                        "{} does not support {name}, which its versions do not need.",
                        self.source
                    ),
                    evidence.clone(),
                ),
                Support::NotTested { reason } => (
                    Status::NotTested,
                    format!(
                        "Whether {} supports {name} was not tested: {reason}.",
                        self.source
                    ),
                    reason.clone(),
                ),
            };
            self.push(out, id, status, detail, text);
        }
        let (status, detail, text) = match &features.compression.support {
            Support::Yes { evidence } => (
                Status::Fail,
                format!("{} accepts TLS compression (CRIME).", self.source),
                evidence.clone(),
            ),
            Support::No { evidence } => (
                Status::Pass,
                format!("{} refuses TLS compression.", self.source),
                evidence.clone(),
            ),
            Support::NotTested { reason } => (
                Status::NotTested,
                format!(
                    "Whether {} accepts TLS compression was not tested: {reason}.",
                    self.source
                ),
                reason.clone(),
            ),
        };
        self.push(out, "tls.feature.compression", status, detail, text);
    }
}

fn list_or_none(items: &[&str]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

fn by_version_or_none(suites: &[&SuiteClass]) -> String {
    if suites.is_empty() {
        "none".to_owned()
    } else {
        by_version(suites)
    }
}
