//! The server's handshake messages that travel in clear: ServerHello (and
//! HelloRetryRequest), Certificate (TLS ≤ 1.2) and ServerKeyExchange.
//! Parsers are lenient: values they do not know are kept, extension data they
//! cannot read is listed in `malformed_extensions` instead of failing.
//!
//! ```text
//! RFC 5246 §7.4.1.3 / RFC 8446 §4.1.3
//!   struct { ProtocolVersion server_version;     legacy_version = 0x0303 in TLS 1.3
//!            Random random;                      32 bytes
//!            SessionID session_id;               <0..32>
//!            CipherSuite cipher_suite;
//!            CompressionMethod compression_method;
//!            select (extensions_present) {
//!                case false: struct {};
//!                case true:  Extension extensions<0..2^16-1>; }; } ServerHello;
//! RFC 8446 §4.1.3: a HelloRetryRequest is a ServerHello whose random is
//!   CF 21 AD 74 E5 9A 61 11 BE 1D 8C 02 1E 65 B8 91 C2 A2 11 16 7A BB 8C 5E 07 9E 09 E2 C8 A8 33 9C
//!   and a TLS 1.3 server negotiating TLS 1.2 (1.1 or below) ends its random with
//!   44 4F 57 4E 47 52 44 01 (… 00), "DOWNGRD".
//! RFC 8446 §4.2.1: ServerHello supported_versions = ProtocolVersion selected_version;
//! RFC 8446 §4.2.8: ServerHello key_share = KeyShareEntry server_share;
//!                  HelloRetryRequest key_share = NamedGroup selected_group;
//! RFC 5246 §7.4.2
//!   opaque ASN.1Cert<1..2^24-1>;
//!   struct { ASN.1Cert certificate_list<0..2^24-1>; } Certificate;
//! RFC 5246 §7.4.3 / RFC 4492 §5.4 / RFC 4279 §3
//!   struct { opaque dh_p<1..2^16-1>; opaque dh_g<1..2^16-1>; opaque dh_Ys<1..2^16-1>; } ServerDHParams;
//!   struct { opaque rsa_modulus<1..2^16-1>; opaque rsa_exponent<1..2^16-1>; } ServerRSAParams;  (export)
//!   struct { ECCurveType curve_type;            explicit_prime(1), explicit_char2(2), named_curve(3)
//!            select (curve_type) { case named_curve: NamedCurve namedcurve; ... };
//!            ECPoint public;  opaque point<1..2^8-1>; } ServerECDHParams;
//!   (DHE_PSK, ECDHE_PSK: opaque psk_identity_hint<0..2^16-1> comes first)
//!   signed_params: TLS 1.2 struct { SignatureAndHashAlgorithm algorithm; opaque signature<0..2^16-1>; }
//!                  TLS 1.0/1.1 opaque signature<0..2^16-1>;  anonymous: nothing
//! ```

use crate::tls_engine::cipher_suites::KeyExchange;
use crate::tls_engine::extension_types as types;
use crate::tls_engine::extensions::Extension;
use crate::tls_engine::version::ProtocolVersion;
use crate::tls_engine::wire::Reader;

/// The random of a HelloRetryRequest (RFC 8446 §4.1.3).
pub const HELLO_RETRY_REQUEST_RANDOM: [u8; 32] = [
    0xCF, 0x21, 0xAD, 0x74, 0xE5, 0x9A, 0x61, 0x11, 0xBE, 0x1D, 0x8C, 0x02, 0x1E, 0x65, 0xB8, 0x91, 0xC2,
    0xA2, 0x11, 0x16, 0x7A, 0xBB, 0x8C, 0x5E, 0x07, 0x9E, 0x09, 0xE2, 0xC8, 0xA8, 0x33, 0x9C,
];

/// The first seven bytes of the downgrade sentinel, "DOWNGRD".
pub const DOWNGRADE_PREFIX: [u8; 7] = *b"DOWNGRD";

/// Which downgrade sentinel ended the server random (RFC 8446 §4.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DowngradeSentinel {
    /// `DOWNGRD\x01`: a TLS 1.3 server negotiated TLS 1.2.
    Tls12,
    /// `DOWNGRD\x00`: a TLS 1.2 or 1.3 server negotiated TLS 1.1 or below.
    Tls11OrBelow,
}

/// A ServerHello or HelloRetryRequest.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServerHello {
    /// `server_version` / `legacy_version` as sent.
    pub version: ProtocolVersion,
    /// The server random.
    pub random: [u8; 32],
    /// The session id (may be longer than 32 bytes if the server misbehaves).
    pub session_id: Vec<u8>,
    /// The chosen cipher suite.
    pub cipher_suite: u16,
    /// The chosen compression method (0 = null, 1 = DEFLATE).
    pub compression: u8,
    /// Whether an extensions block was present at all.
    pub extensions_present: bool,
    /// Every extension, raw, in the order sent.
    pub extensions: Vec<Extension>,
    /// `supported_versions.selected_version`.
    pub supported_version: Option<ProtocolVersion>,
    /// The group of `key_share` (selected_group in a HelloRetryRequest).
    pub key_share_group: Option<u16>,
    /// `renegotiation_info.renegotiated_connection` (empty on a first handshake).
    pub renegotiation_info: Option<Vec<u8>>,
    /// `extended_master_secret` present.
    pub extended_master_secret: bool,
    /// `encrypt_then_mac` present.
    pub encrypt_then_mac: bool,
    /// The protocol chosen by ALPN.
    pub alpn: Option<Vec<u8>>,
    /// `heartbeat` mode (1 = peer_allowed_to_send).
    pub heartbeat_mode: Option<u8>,
    /// `ec_point_formats` list.
    pub ec_point_formats: Option<Vec<u8>>,
    /// `session_ticket` present (the server will send a NewSessionTicket).
    pub session_ticket: bool,
    /// `status_request` present (the server will staple OCSP).
    pub status_request: bool,
    /// Types of extensions whose data could not be read.
    pub malformed_extensions: Vec<u16>,
    /// The random is the HelloRetryRequest magic value.
    pub is_hello_retry_request: bool,
    /// The random ends with a downgrade sentinel.
    pub downgrade_sentinel: Option<DowngradeSentinel>,
}

impl ServerHello {
    /// The version actually negotiated: `supported_versions` when present,
    /// else `server_version`.
    pub fn negotiated_version(&self) -> ProtocolVersion {
        self.supported_version.unwrap_or(self.version)
    }
}

/// Parses a ServerHello body (after the handshake header).
pub fn parse_server_hello(body: &[u8]) -> Result<ServerHello, &'static str> {
    let truncated = "truncated ServerHello";
    let mut reader = Reader::new(body);
    let version = ProtocolVersion(reader.u16().ok_or(truncated)?);
    let random: [u8; 32] = reader
        .take(32)
        .ok_or(truncated)?
        .try_into()
        .map_err(|_| truncated)?;
    let session_id = reader.vec8().ok_or(truncated)?.to_vec();
    let cipher_suite = reader.u16().ok_or(truncated)?;
    let compression = reader.u8().ok_or(truncated)?;
    let is_hello_retry_request = random == HELLO_RETRY_REQUEST_RANDOM;
    let downgrade_sentinel = match random.get(24..) {
        Some([a, b, c, d, e, f, g, last]) if [*a, *b, *c, *d, *e, *f, *g] == DOWNGRADE_PREFIX => match last {
            1 => Some(DowngradeSentinel::Tls12),
            0 => Some(DowngradeSentinel::Tls11OrBelow),
            _ => None,
        },
        _ => None,
    };
    let mut hello = ServerHello {
        version,
        random,
        session_id,
        cipher_suite,
        compression,
        extensions_present: false,
        extensions: Vec::new(),
        supported_version: None,
        key_share_group: None,
        renegotiation_info: None,
        extended_master_secret: false,
        encrypt_then_mac: false,
        alpn: None,
        heartbeat_mode: None,
        ec_point_formats: None,
        session_ticket: false,
        status_request: false,
        malformed_extensions: Vec::new(),
        is_hello_retry_request,
        downgrade_sentinel,
    };
    if reader.is_empty() {
        return Ok(hello);
    }
    hello.extensions_present = true;
    let block = reader.vec16().ok_or("truncated ServerHello extensions block")?;
    if !reader.is_empty() {
        return Err("bytes after the ServerHello extensions block");
    }
    let mut extensions = Reader::new(block);
    while !extensions.is_empty() {
        let extension_type = extensions.u16().ok_or("truncated extension header")?;
        let data = extensions.vec16().ok_or("truncated extension data")?;
        if read_extension(&mut hello, extension_type, data).is_none() {
            hello.malformed_extensions.push(extension_type);
        }
        hello
            .extensions
            .push(Extension::raw(extension_type, data.to_vec()));
    }
    Ok(hello)
}

/// Reads the extensions a scanner cares about into `hello`; `None` when the
/// data does not have the expected shape.
fn read_extension(hello: &mut ServerHello, extension_type: u16, data: &[u8]) -> Option<()> {
    let mut reader = Reader::new(data);
    match extension_type {
        types::SUPPORTED_VERSIONS => hello.supported_version = Some(ProtocolVersion(reader.u16()?)),
        types::KEY_SHARE => {
            hello.key_share_group = Some(reader.u16()?);
            if !hello.is_hello_retry_request {
                reader.vec16()?;
            }
        }
        types::RENEGOTIATION_INFO => hello.renegotiation_info = Some(reader.vec8()?.to_vec()),
        types::EXTENDED_MASTER_SECRET => hello.extended_master_secret = true,
        types::ENCRYPT_THEN_MAC => hello.encrypt_then_mac = true,
        types::SESSION_TICKET => hello.session_ticket = true,
        types::STATUS_REQUEST => hello.status_request = true,
        types::HEARTBEAT => hello.heartbeat_mode = Some(reader.u8()?),
        types::EC_POINT_FORMATS => hello.ec_point_formats = Some(reader.vec8()?.to_vec()),
        types::ALPN => {
            let mut list = Reader::new(reader.vec16()?);
            hello.alpn = Some(list.vec8()?.to_vec());
            if !list.is_empty() {
                return None;
            }
        }
        _ => return Some(()),
    }
    reader.is_empty().then_some(())
}

/// Parses a TLS ≤ 1.2 Certificate body into DER certificates, leaf first.
pub fn parse_certificate(body: &[u8]) -> Result<Vec<Vec<u8>>, &'static str> {
    let mut reader = Reader::new(body);
    let list = reader.vec24().ok_or("truncated certificate_list")?;
    if !reader.is_empty() {
        return Err("bytes after certificate_list");
    }
    let mut certificates = Reader::new(list);
    let mut chain = Vec::new();
    while !certificates.is_empty() {
        chain.push(certificates.vec24().ok_or("truncated ASN.1Cert")?.to_vec());
    }
    Ok(chain)
}

/// What could be read from a ServerKeyExchange's parameters.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeyExchangeParams {
    /// Finite-field Diffie-Hellman (DHE, DH_anon, DHE_PSK).
    Dh {
        /// Bit length of the prime `p` (leading zero bits not counted).
        prime_bits: u32,
        /// `dh_p` as sent, for comparing with well-known primes.
        prime: Vec<u8>,
        /// `dh_g` as sent.
        generator: Vec<u8>,
    },
    /// Elliptic-curve Diffie-Hellman (ECDHE, ECDH_anon, ECDHE_PSK).
    Ec {
        /// 1 = explicit_prime, 2 = explicit_char2, 3 = named_curve.
        curve_type: u8,
        /// The named group when `curve_type` is 3.
        named_curve: Option<u16>,
    },
    /// Temporary RSA key of an RSA_EXPORT suite.
    RsaExport {
        /// Bit length of the modulus.
        modulus_bits: u32,
    },
    /// Not parsed: the key exchange is unknown, or the bytes did not fit it.
    Unparsed,
}

/// A ServerKeyExchange message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerKeyExchange {
    /// The whole body as sent.
    pub raw: Vec<u8>,
    /// The parameters, when they could be read.
    pub params: KeyExchangeParams,
    /// The TLS 1.2 signature algorithm, when present.
    pub signature_scheme: Option<u16>,
}

/// Bit length of a big-endian unsigned integer.
pub fn bit_length(bytes: &[u8]) -> u32 {
    let mut significant = bytes.iter().skip_while(|&&byte| byte == 0);
    let Some(&first) = significant.next() else {
        return 0;
    };
    let rest = u32::try_from(significant.count()).unwrap_or(u32::MAX);
    rest.saturating_mul(8).saturating_add(8 - first.leading_zeros())
}

/// Parses a ServerKeyExchange for a session whose suite uses `key_exchange`
/// (from the ServerHello) and whose version is `version`; `export` says the
/// suite is an export one (its RSA key is then in the message).
pub fn parse_server_key_exchange(
    body: &[u8],
    key_exchange: Option<KeyExchange>,
    export: bool,
    version: Option<ProtocolVersion>,
) -> ServerKeyExchange {
    let mut reader = Reader::new(body);
    let (params, complete) = key_exchange
        .and_then(|kx| read_params(&mut reader, kx, export))
        .unwrap_or((KeyExchangeParams::Unparsed, false));
    let signed = !matches!(
        key_exchange,
        Some(KeyExchange::DhAnon | KeyExchange::EcdhAnon | KeyExchange::DhePsk | KeyExchange::EcdhePsk)
    );
    let signature_scheme =
        if complete && signed && version.is_some_and(|version| version >= ProtocolVersion::TLS1_2) {
            reader.u16()
        } else {
            None
        };
    ServerKeyExchange {
        raw: body.to_vec(),
        params,
        signature_scheme,
    }
}

/// The parameters, and whether the reader now stands at the signature.
fn read_params(
    reader: &mut Reader<'_>,
    key_exchange: KeyExchange,
    export: bool,
) -> Option<(KeyExchangeParams, bool)> {
    match key_exchange {
        KeyExchange::DhePsk | KeyExchange::EcdhePsk => {
            reader.vec16()?;
        }
        _ => {}
    }
    match key_exchange {
        KeyExchange::Dhe | KeyExchange::DhAnon | KeyExchange::DhePsk => {
            let prime = reader.vec16()?.to_vec();
            let generator = reader.vec16()?.to_vec();
            reader.vec16()?;
            Some((
                KeyExchangeParams::Dh {
                    prime_bits: bit_length(&prime),
                    prime,
                    generator,
                },
                true,
            ))
        }
        KeyExchange::Ecdhe | KeyExchange::EcdhAnon | KeyExchange::EcdhePsk => {
            let curve_type = reader.u8()?;
            if curve_type != 3 {
                // Explicit curves: the layout is long and rare; the type is the finding.
                return Some((
                    KeyExchangeParams::Ec {
                        curve_type,
                        named_curve: None,
                    },
                    false,
                ));
            }
            let named_curve = reader.u16()?;
            reader.vec8()?;
            Some((
                KeyExchangeParams::Ec {
                    curve_type,
                    named_curve: Some(named_curve),
                },
                true,
            ))
        }
        KeyExchange::Rsa if export => {
            let modulus = reader.vec16()?;
            reader.vec16()?;
            Some((
                KeyExchangeParams::RsaExport {
                    modulus_bits: bit_length(modulus),
                },
                true,
            ))
        }
        _ => None,
    }
}
