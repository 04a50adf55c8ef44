//! Vulnerabilities that follow from the enumeration alone, at no connection:
//! each is a pure function of the suites accepted per version, the DH
//! parameters and the features.
//!
//! ```text
//! SWEET32 (CVE-2016-2183)  a 64-bit block cipher accepted: 3DES, DES, IDEA, RC2
//! FREAK   (CVE-2015-0204)  an RSA_EXPORT suite accepted
//! Logjam  (CVE-2015-4000)  a DHE_EXPORT / DH_anon_EXPORT suite accepted, or a DH prime < 1024 bits
//! RC4     (RFC 7465)       an RC4 suite accepted
//! BEAST   (CVE-2011-3389)  a CBC suite accepted with SSL 3.0 or TLS 1.0
//! POODLE  (CVE-2014-3566)  a CBC suite accepted with SSL 3.0
//! DROWN   (CVE-2016-0800)  SSL 2.0 accepted
//! CRIME   (CVE-2012-4929)  TLS compression accepted
//! Lucky13 (CVE-2013-0169)  a CBC suite (MAC-then-encrypt) accepted: information
//! NULL / anonymous         a suite without encryption or without authentication
//! no forward secrecy       no accepted suite has an ephemeral key exchange
//! no AEAD                  no accepted suite is AEAD
//! ```

use mailtls_core::{
    CheckMethod, DhParameters, ProtocolSupport, Support, TlsFeatures, TlsVersion, Vulnerability,
    VulnerabilityCheck, VulnerabilityResult,
};

use crate::tls_engine::cipher_suites::{
    self, Authentication, BulkCipher, CipherMode, CipherSuiteInfo, KeyExchange,
};
use crate::tls_engine::scan::ALL_VERSIONS;

/// One accepted suite: the version and what the registry knows of it.
struct Accepted<'a> {
    version: TlsVersion,
    name: &'a str,
    info: Option<&'static CipherSuiteInfo>,
}

fn accepted(protocols: &[ProtocolSupport]) -> Vec<Accepted<'_>> {
    protocols
        .iter()
        .filter(|protocol| protocol.support.is_yes())
        .flat_map(|protocol| {
            protocol.cipher_suites.iter().map(move |suite| Accepted {
                version: protocol.version,
                name: &suite.name,
                info: if protocol.version == TlsVersion::Ssl2 {
                    None
                } else {
                    u16::try_from(suite.code).ok().and_then(cipher_suites::lookup)
                },
            })
        })
        .collect()
}

fn version_name(version: TlsVersion) -> &'static str {
    match version {
        TlsVersion::Ssl2 => "SSLv2",
        TlsVersion::Ssl3 => "SSLv3",
        TlsVersion::Tls10 => "TLSv1.0",
        TlsVersion::Tls11 => "TLSv1.1",
        TlsVersion::Tls12 => "TLSv1.2",
        TlsVersion::Tls13 => "TLSv1.3",
    }
}

/// The versions in `versions` whose support is not known.
fn untested<'a>(protocols: &'a [ProtocolSupport], versions: &[TlsVersion]) -> Vec<&'a str> {
    protocols
        .iter()
        .filter(|protocol| versions.contains(&protocol.version))
        .filter(|protocol| matches!(protocol.support, Support::NotTested { .. }))
        .map(|protocol| version_name(protocol.version))
        .collect()
}

/// Vulnerable when any accepted suite of `versions` matches; else not
/// vulnerable, or not tested when one of those versions was not reached.
fn suite_check(
    vulnerability: Vulnerability,
    protocols: &[ProtocolSupport],
    suites: &[Accepted<'_>],
    versions: &[TlsVersion],
    matches: impl Fn(&Accepted<'_>) -> bool,
    absent: &str,
) -> VulnerabilityCheck {
    let hits: Vec<String> = suites
        .iter()
        .filter(|suite| versions.contains(&suite.version) && matches(suite))
        .map(|suite| format!("{} {}", version_name(suite.version), suite.name))
        .collect();
    let missing = untested(protocols, versions);
    let result = if !hits.is_empty() {
        VulnerabilityResult::Vulnerable {
            evidence: format!("accepted: {}", hits.join(", ")),
        }
    } else if !missing.is_empty() {
        VulnerabilityResult::NotTested {
            reason: format!("not reached: {}", missing.join(", ")),
        }
    } else {
        VulnerabilityResult::NotVulnerable {
            evidence: absent.to_owned(),
        }
    };
    derived(vulnerability, result)
}

fn derived(vulnerability: Vulnerability, result: VulnerabilityResult) -> VulnerabilityCheck {
    VulnerabilityCheck {
        vulnerability,
        method: CheckMethod::Derived,
        result,
        connections: 0,
    }
}

const TLS_VERSIONS: [TlsVersion; 5] = [
    TlsVersion::Ssl3,
    TlsVersion::Tls10,
    TlsVersion::Tls11,
    TlsVersion::Tls12,
    TlsVersion::Tls13,
];

fn has_64_bit_block(suite: &Accepted<'_>) -> bool {
    match suite.info {
        Some(info) => matches!(
            info.cipher,
            BulkCipher::TripleDes | BulkCipher::Des | BulkCipher::Idea | BulkCipher::Rc2
        ),
        None => ["DES", "IDEA", "RC2"]
            .iter()
            .any(|cipher| suite.name.contains(cipher)),
    }
}

fn is_cbc(suite: &Accepted<'_>) -> bool {
    suite.info.is_some_and(|info| info.mode == CipherMode::Cbc)
}

/// Every derived check, in the order of [`Vulnerability`].
pub fn derive(
    protocols: &[ProtocolSupport],
    dh: Option<&DhParameters>,
    features: &TlsFeatures,
) -> Vec<VulnerabilityCheck> {
    let suites = accepted(protocols);
    let mut checks = vec![
        suite_check(
            Vulnerability::Sweet32,
            protocols,
            &suites,
            &ALL_VERSIONS,
            has_64_bit_block,
            "no 64-bit block cipher accepted",
        ),
        suite_check(
            Vulnerability::Freak,
            protocols,
            &suites,
            &TLS_VERSIONS,
            |suite| {
                suite
                    .info
                    .is_some_and(|info| info.export && info.key_exchange == KeyExchange::Rsa)
            },
            "no RSA_EXPORT suite accepted",
        ),
        logjam(protocols, &suites, dh),
        suite_check(
            Vulnerability::Rc4,
            protocols,
            &suites,
            &ALL_VERSIONS,
            |suite| match suite.info {
                Some(info) => info.cipher == BulkCipher::Rc4,
                None => suite.name.contains("RC4"),
            },
            "no RC4 suite accepted",
        ),
        suite_check(
            Vulnerability::Beast,
            protocols,
            &suites,
            &[TlsVersion::Ssl3, TlsVersion::Tls10],
            is_cbc,
            "no CBC suite accepted with SSLv3 or TLSv1.0",
        ),
        suite_check(
            Vulnerability::Poodle,
            protocols,
            &suites,
            &[TlsVersion::Ssl3],
            is_cbc,
            "no CBC suite accepted with SSLv3",
        ),
        drown(protocols),
        crime(features),
        suite_check(
            Vulnerability::Lucky13,
            protocols,
            &suites,
            &TLS_VERSIONS,
            is_cbc,
            "no CBC suite accepted",
        ),
        suite_check(
            Vulnerability::NullOrAnonymous,
            protocols,
            &suites,
            &TLS_VERSIONS,
            |suite| {
                suite.info.is_some_and(|info| {
                    info.cipher == BulkCipher::Null
                        || matches!(
                            info.authentication,
                            Authentication::Anonymous | Authentication::None
                        )
                })
            },
            "no NULL or anonymous suite accepted",
        ),
    ];
    checks.push(absence_check(
        Vulnerability::NoForwardSecrecy,
        protocols,
        &suites,
        |info| info.key_exchange.is_forward_secret(),
        "forward secrecy",
    ));
    checks.push(absence_check(
        Vulnerability::NoAead,
        protocols,
        &suites,
        |info| info.mode.is_aead(),
        "AEAD",
    ));
    checks
}

fn logjam(
    protocols: &[ProtocolSupport],
    suites: &[Accepted<'_>],
    dh: Option<&DhParameters>,
) -> VulnerabilityCheck {
    let export = suite_check(
        Vulnerability::Logjam,
        protocols,
        suites,
        &TLS_VERSIONS,
        |suite| {
            suite.info.is_some_and(|info| {
                info.export && matches!(info.key_exchange, KeyExchange::Dhe | KeyExchange::DhAnon)
            })
        },
        "no DHE_EXPORT suite accepted",
    );
    let prime = dh.map(|dh| {
        let name = dh
            .well_known
            .as_ref()
            .map(|name| format!(", the well-known prime {name}"))
            .unwrap_or_default();
        format!("DH {} bits with {}{name}", dh.prime_bits, dh.cipher_suite)
    });
    let result = match (export.result, dh, prime) {
        (VulnerabilityResult::Vulnerable { evidence }, _, prime) => VulnerabilityResult::Vulnerable {
            evidence: prime.map_or(evidence.clone(), |prime| format!("{evidence}; {prime}")),
        },
        (_, Some(dh), Some(prime)) if dh.prime_bits < 1024 => VulnerabilityResult::Vulnerable {
            evidence: format!("{prime}, shorter than 1024 bits"),
        },
        (VulnerabilityResult::NotVulnerable { evidence }, Some(_), Some(prime)) => {
            VulnerabilityResult::NotVulnerable {
                evidence: format!("{evidence}; {prime}"),
            }
        }
        (other, _, _) => other,
    };
    derived(Vulnerability::Logjam, result)
}

fn drown(protocols: &[ProtocolSupport]) -> VulnerabilityCheck {
    let sslv2 = protocols
        .iter()
        .find(|protocol| protocol.version == TlsVersion::Ssl2);
    let result = match sslv2.map(|protocol| &protocol.support) {
        Some(Support::Yes { evidence }) => VulnerabilityResult::Vulnerable {
            evidence: format!("SSLv2 accepted: {evidence}"),
        },
        Some(Support::No { evidence }) => VulnerabilityResult::NotVulnerable {
            evidence: format!(
                "SSLv2 refused on this endpoint ({evidence}); other services sharing the key are not checked"
            ),
        },
        Some(Support::NotTested { reason }) => VulnerabilityResult::NotTested {
            reason: format!("SSLv2 not tested: {reason}"),
        },
        None => VulnerabilityResult::NotTested {
            reason: "SSLv2 not in the scan".to_owned(),
        },
    };
    derived(Vulnerability::Drown, result)
}

fn crime(features: &TlsFeatures) -> VulnerabilityCheck {
    let result = match &features.compression.support {
        Support::Yes { evidence } => VulnerabilityResult::Vulnerable {
            evidence: evidence.clone(),
        },
        Support::No { evidence } => VulnerabilityResult::NotVulnerable {
            evidence: evidence.clone(),
        },
        Support::NotTested { reason } => VulnerabilityResult::NotTested {
            reason: reason.clone(),
        },
    };
    derived(Vulnerability::Crime, result)
}

/// Vulnerable when suites were accepted and none has `property`.
fn absence_check(
    vulnerability: Vulnerability,
    protocols: &[ProtocolSupport],
    suites: &[Accepted<'_>],
    property: impl Fn(&CipherSuiteInfo) -> bool,
    what: &str,
) -> VulnerabilityCheck {
    let with: Vec<String> = suites
        .iter()
        .filter(|suite| suite.info.is_some_and(&property))
        .map(|suite| format!("{} {}", version_name(suite.version), suite.name))
        .collect();
    let missing = untested(protocols, &ALL_VERSIONS);
    let result = if let Some(first) = with.first() {
        VulnerabilityResult::NotVulnerable {
            evidence: format!("{what} with {first} and {} more", with.len().saturating_sub(1)),
        }
    } else if suites.is_empty() {
        VulnerabilityResult::NotTested {
            reason: "no suite was accepted".to_owned(),
        }
    } else if !missing.is_empty() {
        VulnerabilityResult::NotTested {
            reason: format!(
                "no {what} among the suites found, and not reached: {}",
                missing.join(", ")
            ),
        }
    } else {
        let names: Vec<String> = suites
            .iter()
            .map(|suite| format!("{} {}", version_name(suite.version), suite.name))
            .collect();
        VulnerabilityResult::Vulnerable {
            evidence: format!("no {what} in any accepted suite: {}", names.join(", ")),
        }
    };
    derived(vulnerability, result)
}

#[cfg(test)]
mod tests {
    use mailtls_core::{CipherSuiteObservation, Feature};

    use super::*;

    fn protocol(version: TlsVersion, codes: &[u16]) -> ProtocolSupport {
        ProtocolSupport {
            version,
            support: Support::Yes {
                evidence: "ServerHello".to_owned(),
            },
            cipher_suites: codes
                .iter()
                .map(|&code| CipherSuiteObservation {
                    name: cipher_suites::name(code),
                    code: u32::from(code),
                    key_exchange: None,
                })
                .collect(),
            server_order: None,
        }
    }

    fn refused(version: TlsVersion) -> ProtocolSupport {
        ProtocolSupport {
            version,
            support: Support::No {
                evidence: "alert fatal protocol_version(70)".to_owned(),
            },
            cipher_suites: Vec::new(),
            server_order: None,
        }
    }

    fn scan(accepted: &[ProtocolSupport]) -> Vec<ProtocolSupport> {
        ALL_VERSIONS
            .iter()
            .map(|&version| {
                accepted
                    .iter()
                    .find(|protocol| protocol.version == version)
                    .cloned()
                    .unwrap_or_else(|| refused(version))
            })
            .collect()
    }

    fn result(checks: &[VulnerabilityCheck], vulnerability: Vulnerability) -> VulnerabilityResult {
        checks
            .iter()
            .find(|check| check.vulnerability == vulnerability)
            .unwrap()
            .result
            .clone()
    }

    fn no_compression() -> TlsFeatures {
        TlsFeatures {
            compression: Feature {
                support: Support::No {
                    evidence: "no DEFLATE".to_owned(),
                },
            },
            ..TlsFeatures::default()
        }
    }

    #[test]
    fn three_des_and_rc4_with_tls10_give_sweet32_rc4_beast_and_lucky13() {
        let protocols = scan(&[protocol(TlsVersion::Tls10, &[0x000A, 0x0005])]);
        let checks = derive(&protocols, None, &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Sweet32),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA".to_owned()
            }
        );
        assert_eq!(
            result(&checks, Vulnerability::Rc4),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: TLSv1.0 TLS_RSA_WITH_RC4_128_SHA".to_owned()
            }
        );
        assert!(result(&checks, Vulnerability::Beast).is_vulnerable());
        assert!(result(&checks, Vulnerability::Lucky13).is_vulnerable());
        assert!(!result(&checks, Vulnerability::Poodle).is_vulnerable());
        assert!(result(&checks, Vulnerability::NoForwardSecrecy).is_vulnerable());
        assert!(result(&checks, Vulnerability::NoAead).is_vulnerable());
        assert!(
            checks
                .iter()
                .all(|check| check.method == CheckMethod::Derived && check.connections == 0)
        );
    }

    #[test]
    fn export_rsa_is_freak_and_export_dhe_is_logjam() {
        let protocols = scan(&[protocol(TlsVersion::Tls10, &[0x0003, 0x0014])]);
        let checks = derive(&protocols, None, &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Freak),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: TLSv1.0 TLS_RSA_EXPORT_WITH_RC4_40_MD5".to_owned()
            }
        );
        assert_eq!(
            result(&checks, Vulnerability::Logjam),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: TLSv1.0 TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA".to_owned()
            }
        );
    }

    #[test]
    fn a_768_bit_prime_is_logjam_and_a_common_1024_bit_prime_is_noted() {
        let protocols = scan(&[protocol(TlsVersion::Tls12, &[0x009E])]);
        let mut dh = DhParameters {
            prime_bits: 768,
            well_known: None,
            cipher_suite: "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256".to_owned(),
        };
        let checks = derive(&protocols, Some(&dh), &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Logjam),
            VulnerabilityResult::Vulnerable {
                evidence: "DH 768 bits with TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, shorter than 1024 bits"
                    .to_owned()
            }
        );
        dh.prime_bits = 1024;
        dh.well_known = Some("RFC 2409 group 2 (Oakley, 1024-bit MODP)".to_owned());
        let checks = derive(&protocols, Some(&dh), &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Logjam),
            VulnerabilityResult::NotVulnerable {
                evidence:
                    "no DHE_EXPORT suite accepted; DH 1024 bits with TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, \
                           the well-known prime RFC 2409 group 2 (Oakley, 1024-bit MODP)"
                        .to_owned()
            }
        );
        assert!(!result(&checks, Vulnerability::NoForwardSecrecy).is_vulnerable());
        assert!(!result(&checks, Vulnerability::NoAead).is_vulnerable());
    }

    #[test]
    fn sslv3_with_cbc_is_poodle_and_sslv2_is_drown() {
        let mut protocols = scan(&[protocol(TlsVersion::Ssl3, &[0x002F])]);
        protocols[0] = ProtocolSupport {
            version: TlsVersion::Ssl2,
            support: Support::Yes {
                evidence: "SSLv2 SERVER-HELLO".to_owned(),
            },
            cipher_suites: vec![CipherSuiteObservation {
                name: "SSL_CK_DES_192_EDE3_CBC_WITH_MD5".to_owned(),
                code: 0x07_00C0,
                key_exchange: None,
            }],
            server_order: None,
        };
        let checks = derive(&protocols, None, &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Poodle),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: SSLv3 TLS_RSA_WITH_AES_128_CBC_SHA".to_owned()
            }
        );
        assert!(result(&checks, Vulnerability::Drown).is_vulnerable());
        assert_eq!(
            result(&checks, Vulnerability::Sweet32),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: SSLv2 SSL_CK_DES_192_EDE3_CBC_WITH_MD5".to_owned()
            }
        );
    }

    #[test]
    fn null_and_anonymous_suites_are_found_and_compression_is_crime() {
        let protocols = scan(&[protocol(TlsVersion::Tls12, &[0x0002, 0x0034])]);
        let features = TlsFeatures {
            compression: Feature {
                support: Support::Yes {
                    evidence: "DEFLATE compression chosen in the ServerHello".to_owned(),
                },
            },
            ..TlsFeatures::default()
        };
        let checks = derive(&protocols, None, &features);
        assert_eq!(
            result(&checks, Vulnerability::NullOrAnonymous),
            VulnerabilityResult::Vulnerable {
                evidence: "accepted: TLSv1.2 TLS_RSA_WITH_NULL_SHA, TLSv1.2 TLS_DH_anon_WITH_AES_128_CBC_SHA"
                    .to_owned()
            }
        );
        assert!(result(&checks, Vulnerability::Crime).is_vulnerable());
    }

    #[test]
    fn versions_not_reached_make_absent_findings_not_tested() {
        let mut protocols = scan(&[protocol(TlsVersion::Tls13, &[0x1301])]);
        protocols[1].support = Support::NotTested {
            reason: "stopped".to_owned(),
        };
        let checks = derive(&protocols, None, &no_compression());
        assert_eq!(
            result(&checks, Vulnerability::Poodle),
            VulnerabilityResult::NotTested {
                reason: "not reached: SSLv3".to_owned()
            }
        );
        assert!(matches!(
            result(&checks, Vulnerability::Rc4),
            VulnerabilityResult::NotTested { .. }
        ));
        assert!(!result(&checks, Vulnerability::NoAead).is_vulnerable());
    }

    proptest::proptest! {
        #[test]
        fn derived_checks_never_panic_and_cost_nothing(codes in proptest::collection::vec(proptest::num::u16::ANY, 0..40)) {
            let protocols = scan(&[protocol(TlsVersion::Tls12, &codes)]);
            let checks = derive(&protocols, None, &TlsFeatures::default());
            proptest::prop_assert_eq!(checks.len(), 15 - 3);
            proptest::prop_assert!(checks.iter().all(|check| check.connections == 0));
        }
    }
}
