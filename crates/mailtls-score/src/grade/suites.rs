//! What a scorer needs to know of each accepted cipher suite: forward
//! secrecy, AEAD, strength, and the weaknesses rules and grades name. TLS
//! suites come from the IANA table of `mailtls-probe`; the seven SSL 2.0
//! cipher kinds are classified here.
//!
//! ```text
//! RFC 5246 §7.4.1.2  uint8 CipherSuite[2];
//! SSL 2.0 draft       CIPHER-KIND: 3 bytes, e.g. SSL_CK_RC4_128_WITH_MD5 = 0x010080
//! ```

use mailtls_core::{TlsScan, TlsVersion};
use mailtls_probe::tls_engine::cipher_suites::{self, Authentication, BulkCipher, CipherMode, KeyExchange};

/// One accepted suite, classified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SuiteClass {
    /// The IANA (or SSL 2.0 draft) name.
    pub(crate) name: String,
    /// The protocol version it was accepted with.
    pub(crate) version: TlsVersion,
    /// The key exchange the server reported for it (`ECDH x25519`, `DH 2048`, `RSA`).
    pub(crate) key_exchange_seen: Option<String>,
    /// The key exchange family.
    pub(crate) kex: Kex,
    /// Ephemeral key exchange (ECDHE, DHE, TLS 1.3).
    pub(crate) forward_secret: bool,
    /// GCM, CCM, ChaCha20-Poly1305.
    pub(crate) aead: bool,
    /// CBC mode.
    pub(crate) cbc: bool,
    /// No encryption, or no authentication of the server.
    pub(crate) null_or_anonymous: bool,
    /// No encryption at all (NULL bulk cipher).
    pub(crate) null_cipher: bool,
    /// Export grade.
    pub(crate) export: bool,
    /// RC4.
    pub(crate) rc4: bool,
    /// A 64-bit block cipher (DES, 3DES, IDEA, RC2).
    pub(crate) block_64: bool,
    /// The symmetric strength in bits.
    pub(crate) bits: u16,
}

/// The key exchange families the grade distinguishes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kex {
    /// Static RSA: the certificate key decides the strength.
    Rsa,
    /// Finite-field Diffie-Hellman (ephemeral or static).
    Dh,
    /// Elliptic-curve Diffie-Hellman (ephemeral or static).
    Ecdh,
    /// TLS 1.3: the negotiated group decides.
    Tls13,
    /// No authenticated key exchange at all (anonymous, NULL).
    Anonymous,
    /// Anything else (PSK, Kerberos, SRP, GOST).
    Other,
}

/// Every suite the scan saw accepted, oldest version first.
pub(crate) fn accepted_suites(scan: &TlsScan) -> Vec<SuiteClass> {
    let mut out = Vec::new();
    for protocol in &scan.protocols {
        if !protocol.support.is_yes() {
            continue;
        }
        for suite in &protocol.cipher_suites {
            if let Some(class) = classify(suite.code, &suite.name, protocol.version) {
                out.push(SuiteClass {
                    key_exchange_seen: suite.key_exchange.clone(),
                    ..class
                });
            }
        }
    }
    out
}

/// The suite `code` (named `name`) accepted with `version`; `None` for a code
/// mailtls does not know.
pub(crate) fn classify(code: u32, name: &str, version: TlsVersion) -> Option<SuiteClass> {
    if version == TlsVersion::Ssl2 || code > 0xFFFF {
        return Some(sslv2(name, version));
    }
    let info = cipher_suites::lookup(u16::try_from(code).ok()?)?;
    let kex = match info.key_exchange {
        KeyExchange::Rsa | KeyExchange::RsaPsk => Kex::Rsa,
        KeyExchange::Dh | KeyExchange::Dhe | KeyExchange::DhePsk => Kex::Dh,
        KeyExchange::Ecdh | KeyExchange::Ecdhe | KeyExchange::EcdhePsk => Kex::Ecdh,
        KeyExchange::Tls13 => Kex::Tls13,
        KeyExchange::Null | KeyExchange::DhAnon | KeyExchange::EcdhAnon => Kex::Anonymous,
        _ => Kex::Other,
    };
    let anonymous = matches!(
        info.authentication,
        Authentication::Anonymous | Authentication::None
    );
    Some(SuiteClass {
        name: info.name.to_owned(),
        version,
        key_exchange_seen: None,
        kex,
        forward_secret: info.key_exchange.is_forward_secret(),
        aead: info.mode.is_aead(),
        cbc: info.mode == CipherMode::Cbc,
        null_or_anonymous: info.cipher == BulkCipher::Null || anonymous,
        null_cipher: info.cipher == BulkCipher::Null,
        export: info.export,
        rc4: info.cipher == BulkCipher::Rc4,
        block_64: matches!(
            info.cipher,
            BulkCipher::Des | BulkCipher::TripleDes | BulkCipher::Idea | BulkCipher::Rc2
        ),
        bits: info.strength_bits,
    })
}

/// The SSL 2.0 cipher kinds, from their draft names: all RSA key exchange,
/// MD5, no forward secrecy.
fn sslv2(name: &str, version: TlsVersion) -> SuiteClass {
    let export = name.contains("EXPORT40");
    let rc4 = name.contains("RC4");
    let bits = if export {
        40
    } else if name.contains("DES_64") {
        56
    } else if name.contains("EDE3") {
        112
    } else {
        128
    };
    SuiteClass {
        name: name.to_owned(),
        version,
        key_exchange_seen: None,
        kex: Kex::Rsa,
        forward_secret: false,
        aead: false,
        cbc: !rc4,
        null_or_anonymous: false,
        null_cipher: false,
        export,
        rc4,
        block_64: !rc4,
        bits,
    }
}

/// `TLSv1.0: A, B; TLSv1.2: C`: suites grouped by version, for evidence.
pub(crate) fn by_version(suites: &[&SuiteClass]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current: Option<TlsVersion> = None;
    for suite in suites {
        if current == Some(suite.version) {
            if let Some(last) = parts.last_mut() {
                last.push_str(", ");
                last.push_str(&suite.name);
            }
        } else {
            current = Some(suite.version);
            parts.push(format!("{}: {}", suite.version.name(), suite.name));
        }
    }
    parts.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rc4_with_rsa_is_neither_forward_secret_nor_aead() {
        let suite = classify(0x0005, "TLS_RSA_WITH_RC4_128_SHA", TlsVersion::Tls10).unwrap();
        assert!(suite.rc4);
        assert!(!suite.forward_secret);
        assert!(!suite.aead);
        assert_eq!(suite.kex, Kex::Rsa);
        assert_eq!(suite.bits, 128);
    }

    #[test]
    fn tls13_aes_gcm_is_forward_secret_aead() {
        let suite = classify(0x1302, "TLS_AES_256_GCM_SHA384", TlsVersion::Tls13).unwrap();
        assert!(suite.forward_secret && suite.aead);
        assert_eq!(suite.bits, 256);
    }

    #[test]
    fn sslv2_export_kind_is_export_40_bits() {
        let suite = classify(0x02_0080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5", TlsVersion::Ssl2).unwrap();
        assert!(suite.export && suite.rc4);
        assert_eq!(suite.bits, 40);
    }

    #[test]
    fn anonymous_dh_is_null_or_anonymous() {
        let suite = classify(0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA", TlsVersion::Tls12).unwrap();
        assert!(suite.null_or_anonymous);
        assert_eq!(suite.kex, Kex::Anonymous);
    }
}
