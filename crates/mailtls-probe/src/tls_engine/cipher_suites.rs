//! Cipher suites: the IANA registry with what a scorer needs to know of each.
//!
//! ```text
//! RFC 5246 §7.4.1.2 / RFC 8446 §4.1.2
//!   uint8 CipherSuite[2];    /* Cryptographic suite selector */
//! RFC 5246 Appendix A.5: TLS_{key exchange}_WITH_{cipher}_{mac}
//! RFC 8446 §B.4: TLS_{AEAD}_{HASH} (TLS 1.3 only; key exchange negotiated apart)
//! RFC 5746 §3.3: TLS_EMPTY_RENEGOTIATION_INFO_SCSV {0x00, 0xFF}
//! RFC 7507 §6:   TLS_FALLBACK_SCSV {0x56, 0x00}
//! ```

mod table;

use crate::tls_engine::version::ProtocolVersion;

/// How the premaster secret is agreed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyExchange {
    /// No key exchange (`TLS_NULL_WITH_NULL_NULL`).
    Null,
    /// RSA key transport (no forward secrecy); export variants have `export`.
    Rsa,
    /// Static Diffie-Hellman from the certificate.
    Dh,
    /// Ephemeral Diffie-Hellman, signed.
    Dhe,
    /// Ephemeral Diffie-Hellman, unauthenticated.
    DhAnon,
    /// Static elliptic-curve Diffie-Hellman from the certificate.
    Ecdh,
    /// Ephemeral elliptic-curve Diffie-Hellman, signed.
    Ecdhe,
    /// Ephemeral elliptic-curve Diffie-Hellman, unauthenticated.
    EcdhAnon,
    /// Pre-shared key only.
    Psk,
    /// Pre-shared key with ephemeral Diffie-Hellman.
    DhePsk,
    /// Pre-shared key with ephemeral elliptic-curve Diffie-Hellman.
    EcdhePsk,
    /// Pre-shared key with RSA key transport.
    RsaPsk,
    /// Kerberos 5 (RFC 2712).
    Krb5,
    /// Secure Remote Password (RFC 5054).
    Srp,
    /// Password-based ECC (RFC 8492).
    EccPwd,
    /// GOST R 34.11-2012 (RFC 9189).
    Gost,
    /// TLS 1.3: key exchange is negotiated by `key_share`, not by the suite.
    Tls13,
    /// Not a suite but a signal (the SCSVs).
    Signalling,
}

impl KeyExchange {
    /// Whether a session under this key exchange has forward secrecy.
    pub fn is_forward_secret(self) -> bool {
        matches!(
            self,
            Self::Dhe
                | Self::DhAnon
                | Self::Ecdhe
                | Self::EcdhAnon
                | Self::DhePsk
                | Self::EcdhePsk
                | Self::Tls13
        )
    }

    /// Whether this is one of the RFC 4492 elliptic-curve key exchanges
    /// (ECDHE, ECDH, anonymous ECDH), which need the ECC extensions.
    pub fn is_rfc4492_ecc(self) -> bool {
        matches!(self, Self::Ecdhe | Self::Ecdh | Self::EcdhAnon)
    }
}

/// How the server proves who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Authentication {
    /// No authentication at all (`NULL` suites, SCSVs).
    None,
    /// Anonymous: key exchange without any authentication.
    Anonymous,
    /// RSA certificate.
    Rsa,
    /// DSA certificate.
    Dss,
    /// ECDSA certificate.
    Ecdsa,
    /// Pre-shared key.
    Psk,
    /// Kerberos 5.
    Krb5,
    /// SRP password.
    Srp,
    /// ECC password.
    EccPwd,
    /// GOST certificate.
    Gost,
    /// TLS 1.3: negotiated by `signature_algorithms`, not by the suite.
    Tls13,
}

/// The bulk cipher.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BulkCipher {
    /// No encryption.
    Null,
    /// RC4.
    Rc4,
    /// RC2.
    Rc2,
    /// IDEA.
    Idea,
    /// DES (56 bits, or 40 bits in export suites).
    Des,
    /// Triple DES (EDE, 112 bits effective).
    TripleDes,
    /// AES.
    Aes,
    /// Camellia.
    Camellia,
    /// ARIA.
    Aria,
    /// SEED.
    Seed,
    /// ChaCha20.
    ChaCha20,
    /// SM4.
    Sm4,
    /// GOST Kuznyechik.
    Kuznyechik,
    /// GOST Magma.
    Magma,
    /// GOST 28147-89.
    Gost28147,
}

/// How the bulk cipher is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum CipherMode {
    /// No encryption.
    Null,
    /// A stream cipher (RC4).
    Stream,
    /// Cipher block chaining with a separate MAC.
    Cbc,
    /// Galois/counter mode (AEAD).
    Gcm,
    /// Counter with CBC-MAC, 16-byte tag (AEAD).
    Ccm,
    /// Counter with CBC-MAC, 8-byte tag (AEAD).
    Ccm8,
    /// ChaCha20-Poly1305 (AEAD).
    ChaCha20Poly1305,
    /// Counter mode with a separate MAC (GOST).
    Ctr,
}

impl CipherMode {
    /// Whether the mode is an AEAD construction.
    pub fn is_aead(self) -> bool {
        matches!(self, Self::Gcm | Self::Ccm | Self::Ccm8 | Self::ChaCha20Poly1305)
    }
}

/// The record MAC (or, for AEAD suites, `Aead`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Mac {
    /// No MAC.
    Null,
    /// HMAC-MD5.
    Md5,
    /// HMAC-SHA1.
    Sha1,
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA384.
    Sha384,
    /// The AEAD tag authenticates records.
    Aead,
    /// A GOST MAC (OMAC or IMIT).
    Gost,
}

/// One row of the registry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct CipherSuiteInfo {
    /// The code point.
    pub code: u16,
    /// The IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
    pub name: &'static str,
    /// How keys are agreed.
    pub key_exchange: KeyExchange,
    /// How the server authenticates.
    pub authentication: Authentication,
    /// The bulk cipher.
    pub cipher: BulkCipher,
    /// Effective key strength in bits (40 for export, 56 for DES, 112 for 3DES).
    pub strength_bits: u16,
    /// How the cipher is used.
    pub mode: CipherMode,
    /// The record MAC.
    pub mac: Mac,
    /// An export-grade suite (deliberately weakened).
    pub export: bool,
    /// The lowest version the suite can be negotiated in (SHA-256/384 and
    /// AEAD suites need TLS 1.2; ECC, PSK and SRP suites TLS 1.0).
    pub min_version: ProtocolVersion,
    /// The highest version the suite can be negotiated in: TLS 1.2 for every
    /// pre-1.3 suite. Export, DES and IDEA suites were withdrawn by RFC 4346
    /// and RFC 5469, but servers still negotiate them in TLS 1.2, and an
    /// enumeration that trusted the RFCs would miss them.
    pub max_version: ProtocolVersion,
}

impl CipherSuiteInfo {
    /// Whether the suite may be negotiated in `version`.
    pub fn applies_to(&self, version: ProtocolVersion) -> bool {
        self.key_exchange != KeyExchange::Signalling
            && self.min_version <= version
            && version <= self.max_version
    }
}

/// Every suite in the table, sorted by code point.
pub fn all() -> &'static [CipherSuiteInfo] {
    table::CIPHER_SUITES
}

/// The registry row for `code`, if the code point is known.
pub fn lookup(code: u16) -> Option<&'static CipherSuiteInfo> {
    let index = table::CIPHER_SUITES
        .binary_search_by_key(&code, |suite| suite.code)
        .ok()?;
    table::CIPHER_SUITES.get(index)
}

/// The IANA name of `code`, or `0xXXXX` for unknown code points.
pub fn name(code: u16) -> String {
    lookup(code).map_or_else(|| format!("0x{code:04X}"), |suite| suite.name.to_owned())
}

/// The code point of the suite named `name` (its IANA name, or `0xXXXX`).
pub fn code_of(name: &str) -> Option<u16> {
    all()
        .iter()
        .find(|suite| suite.name == name)
        .map(|suite| suite.code)
        .or_else(|| u16::from_str_radix(name.strip_prefix("0x")?, 16).ok())
}

/// The code points of every suite that may be negotiated in `version`, in
/// table order (SCSVs excluded).
pub fn codes_for(version: ProtocolVersion) -> Vec<u16> {
    all()
        .iter()
        .filter(|suite| suite.applies_to(version))
        .map(|suite| suite.code)
        .collect()
}

/// `TLS_EMPTY_RENEGOTIATION_INFO_SCSV` (RFC 5746 §3.3).
pub const EMPTY_RENEGOTIATION_INFO_SCSV: u16 = 0x00FF;
/// `TLS_FALLBACK_SCSV` (RFC 7507 §6).
pub const FALLBACK_SCSV: u16 = 0x5600;
