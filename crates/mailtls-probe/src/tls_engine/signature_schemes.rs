//! Signature schemes: the IANA TLS SignatureScheme registry, plus the TLS 1.2
//! hash/signature pairs that have no scheme name.
//!
//! ```text
//! RFC 8446 §4.2.3
//!   enum { rsa_pkcs1_sha256(0x0401), ..., ecdsa_secp256r1_sha256(0x0403), ...,
//!          rsa_pss_rsae_sha256(0x0804), ..., ed25519(0x0807), ed448(0x0808),
//!          rsa_pss_pss_sha256(0x0809), ..., rsa_pkcs1_sha1(0x0201),
//!          ecdsa_sha1(0x0203), (0xFFFF) } SignatureScheme;
//! RFC 5246 §7.4.1.4.1
//!   struct { HashAlgorithm hash; SignatureAlgorithm signature; }
//!   hash: none(0), md5(1), sha1(2), sha224(3), sha256(4), sha384(5), sha512(6)
//!   signature: anonymous(0), rsa(1), dsa(2), ecdsa(3)
//! ```

/// Every scheme this crate knows, sorted by code point.
pub static SIGNATURE_SCHEMES: &[(u16, &str)] = &[
    (0x0101, "rsa_pkcs1_md5"),
    (0x0102, "dsa_md5"),
    (0x0103, "ecdsa_md5"),
    (0x0201, "rsa_pkcs1_sha1"),
    (0x0202, "dsa_sha1"),
    (0x0203, "ecdsa_sha1"),
    (0x0301, "rsa_pkcs1_sha224"),
    (0x0302, "dsa_sha224"),
    (0x0303, "ecdsa_sha224"),
    (0x0401, "rsa_pkcs1_sha256"),
    (0x0402, "dsa_sha256"),
    (0x0403, "ecdsa_secp256r1_sha256"),
    (0x0501, "rsa_pkcs1_sha384"),
    (0x0502, "dsa_sha384"),
    (0x0503, "ecdsa_secp384r1_sha384"),
    (0x0601, "rsa_pkcs1_sha512"),
    (0x0602, "dsa_sha512"),
    (0x0603, "ecdsa_secp521r1_sha512"),
    (0x0708, "ecdsa_sm2sm3"),
    (0x0804, "rsa_pss_rsae_sha256"),
    (0x0805, "rsa_pss_rsae_sha384"),
    (0x0806, "rsa_pss_rsae_sha512"),
    (0x0807, "ed25519"),
    (0x0808, "ed448"),
    (0x0809, "rsa_pss_pss_sha256"),
    (0x080A, "rsa_pss_pss_sha384"),
    (0x080B, "rsa_pss_pss_sha512"),
    (0x081A, "ecdsa_brainpoolP256r1tls13_sha256"),
    (0x081B, "ecdsa_brainpoolP384r1tls13_sha384"),
    (0x081C, "ecdsa_brainpoolP512r1tls13_sha512"),
    (0x0904, "mldsa44"),
    (0x0905, "mldsa65"),
    (0x0906, "mldsa87"),
];

/// `rsa_pkcs1_sha256`.
pub const RSA_PKCS1_SHA256: u16 = 0x0401;
/// `ecdsa_secp256r1_sha256`.
pub const ECDSA_SECP256R1_SHA256: u16 = 0x0403;
/// `rsa_pss_rsae_sha256`.
pub const RSA_PSS_RSAE_SHA256: u16 = 0x0804;
/// `ed25519`.
pub const ED25519: u16 = 0x0807;

/// The name of `code`, if known.
pub fn lookup(code: u16) -> Option<&'static str> {
    let index = SIGNATURE_SCHEMES
        .binary_search_by_key(&code, |&(known, _)| known)
        .ok()?;
    SIGNATURE_SCHEMES.get(index).map(|&(_, name)| name)
}

/// The name of `code`, or `0xXXXX`.
pub fn name(code: u16) -> String {
    lookup(code).map_or_else(|| format!("0x{code:04X}"), str::to_owned)
}
