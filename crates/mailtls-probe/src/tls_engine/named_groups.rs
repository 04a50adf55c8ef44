//! Named groups (formerly "elliptic curves"): the IANA TLS Supported Groups
//! registry.
//!
//! ```text
//! RFC 8446 §4.2.7 / RFC 8422 §5.1.1
//!   enum { secp256r1(0x0017), secp384r1(0x0018), secp521r1(0x0019),
//!          x25519(0x001D), x448(0x001E),
//!          ffdhe2048(0x0100), ... ffdhe8192(0x0104),
//!          (0xFFFF) } NamedGroup;
//! draft-ietf-tls-ecdhe-mlkem: SecP256r1MLKEM768(0x11EB), X25519MLKEM768(0x11EC),
//!          SecP384r1MLKEM1024(0x11ED)
//! ```

/// Every group in the registry this crate knows, sorted by code point.
pub static NAMED_GROUPS: &[(u16, &str)] = &[
    (0x0001, "sect163k1"),
    (0x0002, "sect163r1"),
    (0x0003, "sect163r2"),
    (0x0004, "sect193r1"),
    (0x0005, "sect193r2"),
    (0x0006, "sect233k1"),
    (0x0007, "sect233r1"),
    (0x0008, "sect239k1"),
    (0x0009, "sect283k1"),
    (0x000A, "sect283r1"),
    (0x000B, "sect409k1"),
    (0x000C, "sect409r1"),
    (0x000D, "sect571k1"),
    (0x000E, "sect571r1"),
    (0x000F, "secp160k1"),
    (0x0010, "secp160r1"),
    (0x0011, "secp160r2"),
    (0x0012, "secp192k1"),
    (0x0013, "secp192r1"),
    (0x0014, "secp224k1"),
    (0x0015, "secp224r1"),
    (0x0016, "secp256k1"),
    (0x0017, "secp256r1"),
    (0x0018, "secp384r1"),
    (0x0019, "secp521r1"),
    (0x001A, "brainpoolP256r1"),
    (0x001B, "brainpoolP384r1"),
    (0x001C, "brainpoolP512r1"),
    (0x001D, "x25519"),
    (0x001E, "x448"),
    (0x001F, "brainpoolP256r1tls13"),
    (0x0020, "brainpoolP384r1tls13"),
    (0x0021, "brainpoolP512r1tls13"),
    (0x0022, "GC256A"),
    (0x0023, "GC256B"),
    (0x0024, "GC256C"),
    (0x0025, "GC256D"),
    (0x0026, "GC512A"),
    (0x0027, "GC512B"),
    (0x0028, "GC512C"),
    (0x0029, "curveSM2"),
    (0x0100, "ffdhe2048"),
    (0x0101, "ffdhe3072"),
    (0x0102, "ffdhe4096"),
    (0x0103, "ffdhe6144"),
    (0x0104, "ffdhe8192"),
    (0x0200, "MLKEM512"),
    (0x0201, "MLKEM768"),
    (0x0202, "MLKEM1024"),
    (0x11EB, "SecP256r1MLKEM768"),
    (0x11EC, "X25519MLKEM768"),
    (0x11ED, "SecP384r1MLKEM1024"),
    (0x6399, "X25519Kyber768Draft00"),
    (0xFF01, "arbitrary_explicit_prime_curves"),
    (0xFF02, "arbitrary_explicit_char2_curves"),
];

/// `secp256r1` (P-256).
pub const SECP256R1: u16 = 0x0017;
/// `secp384r1` (P-384).
pub const SECP384R1: u16 = 0x0018;
/// `secp521r1` (P-521).
pub const SECP521R1: u16 = 0x0019;
/// `x25519`.
pub const X25519: u16 = 0x001D;
/// `x448`.
pub const X448: u16 = 0x001E;
/// `ffdhe2048`.
pub const FFDHE2048: u16 = 0x0100;
/// `SecP256r1MLKEM768`, the P-256 post-quantum hybrid.
pub const SECP256R1_MLKEM768: u16 = 0x11EB;
/// `X25519MLKEM768`, the X25519 post-quantum hybrid.
pub const X25519_MLKEM768: u16 = 0x11EC;

/// The IANA name of `code`, if known.
pub fn lookup(code: u16) -> Option<&'static str> {
    let index = NAMED_GROUPS
        .binary_search_by_key(&code, |&(known, _)| known)
        .ok()?;
    NAMED_GROUPS.get(index).map(|&(_, name)| name)
}

/// The code point of the group named `name` (its IANA name, or `0xXXXX`).
pub fn code_of(name: &str) -> Option<u16> {
    NAMED_GROUPS
        .iter()
        .find(|&&(_, known)| known == name)
        .map(|&(code, _)| code)
        .or_else(|| u16::from_str_radix(name.strip_prefix("0x")?, 16).ok())
}

/// The IANA name of `code`, or `0xXXXX`.
pub fn name(code: u16) -> String {
    lookup(code).map_or_else(|| format!("0x{code:04X}"), str::to_owned)
}
