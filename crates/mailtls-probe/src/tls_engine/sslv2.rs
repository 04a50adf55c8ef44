//! SSL 2.0: the CLIENT-HELLO (also the "SSLv2-compatible" hello that old
//! clients used to start SSL 3.0 and TLS), the SERVER-HELLO and ERROR.
//!
//! ```text
//! SSL 2.0 (Hickman, 1995) §2.1 record header, 2-byte form (high bit set, no padding):
//!   RECORD-LENGTH = ((byte[0] & 0x7f) << 8) | byte[1]
//! SSL 2.0 §2.5 / RFC 6101 Appendix E.1 / RFC 5246 Appendix E.2
//!   uint8 msg_type = 1;               CLIENT-HELLO
//!   Version version;                  0x0002 for SSL 2.0, else the highest offered
//!   uint16 cipher_spec_length;        multiple of 3
//!   uint16 session_id_length;         0 or 16
//!   uint16 challenge_length;          16..32
//!   V2CipherSpec cipher_specs[cipher_spec_length];   uint8 V2CipherSpec[3]
//!   opaque session_id[session_id_length];
//!   opaque challenge[challenge_length];
//! SSL 2.0 §2.6
//!   char MSG-SERVER-HELLO (4), SESSION-ID-HIT, CERTIFICATE-TYPE,
//!        SERVER-VERSION[2], CERTIFICATE-LENGTH[2], CIPHER-SPECS-LENGTH[2],
//!        CONNECTION-ID-LENGTH[2], CERTIFICATE-DATA[...], CIPHER-SPECS-DATA[...],
//!        CONNECTION-ID-DATA[...]
//!   char MSG-ERROR (0), ERROR-CODE[2]
//! ```

use crate::tls_engine::BuildError;
use crate::tls_engine::version::ProtocolVersion;
use crate::tls_engine::wire::Reader;

/// The seven SSL 2.0 cipher kinds, sorted by value.
pub static SSLV2_CIPHER_SPECS: &[(u32, &str)] = &[
    (0x01_0080, "SSL_CK_RC4_128_WITH_MD5"),
    (0x02_0080, "SSL_CK_RC4_128_EXPORT40_WITH_MD5"),
    (0x03_0080, "SSL_CK_RC2_128_CBC_WITH_MD5"),
    (0x04_0080, "SSL_CK_RC2_128_CBC_EXPORT40_WITH_MD5"),
    (0x05_0080, "SSL_CK_IDEA_128_CBC_WITH_MD5"),
    (0x06_0040, "SSL_CK_DES_64_CBC_WITH_MD5"),
    (0x07_00C0, "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"),
];

/// The name of an SSL 2.0 cipher kind, or `0xXXXXXX`.
pub fn cipher_spec_name(spec: u32) -> String {
    SSLV2_CIPHER_SPECS
        .binary_search_by_key(&spec, |&(known, _)| known)
        .ok()
        .and_then(|index| SSLV2_CIPHER_SPECS.get(index))
        .map_or_else(|| format!("0x{spec:06X}"), |&(_, name)| name.to_owned())
}

/// The largest body a 2-byte SSLv2 header can announce.
pub const MAX_SSLV2_BODY: usize = 0x7FFF;

/// An SSL 2.0 CLIENT-HELLO offering `cipher_specs` (3-byte values; only the
/// low 24 bits are sent), with no session id.
pub fn sslv2_client_hello(cipher_specs: &[u32], challenge: &[u8]) -> Result<Vec<u8>, BuildError> {
    sslv2_compatible_client_hello(ProtocolVersion::SSL2_0, cipher_specs, challenge)
}

/// A CLIENT-HELLO in SSLv2 format announcing `version`; with a version of
/// SSL 3.0 or later and TLS suites as `0x00XXXX` specs this is the
/// "SSLv2-compatible" hello of RFC 5246 Appendix E.2.
pub fn sslv2_compatible_client_hello(
    version: ProtocolVersion,
    cipher_specs: &[u32],
    challenge: &[u8],
) -> Result<Vec<u8>, BuildError> {
    if !(16..=32).contains(&challenge.len()) {
        return Err(BuildError::OutOfRange {
            what: "challenge length (16..=32)",
            length: challenge.len(),
        });
    }
    let specs_length = cipher_specs.len().saturating_mul(3);
    let body_length = 9usize
        .saturating_add(specs_length)
        .saturating_add(challenge.len());
    let too_long = BuildError::TooLong {
        what: "SSLv2 CLIENT-HELLO",
        length: body_length,
    };
    if body_length > MAX_SSLV2_BODY {
        return Err(too_long);
    }
    let header = u16::try_from(body_length).map_err(|_| too_long.clone())? | 0x8000;
    let specs_length = u16::try_from(specs_length).map_err(|_| too_long.clone())?;
    let challenge_length = u16::try_from(challenge.len()).map_err(|_| too_long)?;
    let mut out = Vec::with_capacity(body_length.saturating_add(2));
    out.extend_from_slice(&header.to_be_bytes());
    out.push(1);
    out.extend_from_slice(&version.to_bytes());
    out.extend_from_slice(&specs_length.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&challenge_length.to_be_bytes());
    for spec in cipher_specs {
        out.extend_from_slice(spec.to_be_bytes().get(1..).unwrap_or_default());
    }
    out.extend_from_slice(challenge);
    Ok(out)
}

/// An SSL 2.0 SERVER-HELLO.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sslv2ServerHello {
    /// Whether the server found the session id in its cache.
    pub session_id_hit: bool,
    /// 1 = X.509 certificate.
    pub certificate_type: u8,
    /// The server's version (0x0002 for SSL 2.0).
    pub version: ProtocolVersion,
    /// The certificate, DER.
    pub certificate: Vec<u8>,
    /// The cipher kinds the server supports, as 24-bit values.
    pub cipher_specs: Vec<u32>,
    /// The connection id.
    pub connection_id: Vec<u8>,
}

/// What an SSLv2 server sent in its first message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sslv2Message {
    /// A SERVER-HELLO.
    ServerHello(Sslv2ServerHello),
    /// An ERROR with its code (1 = no cipher, 2 = no certificate, ...).
    Error {
        /// The error code.
        code: u16,
    },
}

/// Parses the body of one SSLv2 record (after the 2-byte header).
pub fn parse_sslv2_message(body: &[u8]) -> Result<Sslv2Message, &'static str> {
    let mut reader = Reader::new(body);
    match reader.u8().ok_or("empty SSLv2 record")? {
        0 => Ok(Sslv2Message::Error {
            code: reader.u16().ok_or("truncated SSLv2 ERROR")?,
        }),
        4 => {
            let truncated = "truncated SSLv2 SERVER-HELLO";
            let session_id_hit = reader.u8().ok_or(truncated)? != 0;
            let certificate_type = reader.u8().ok_or(truncated)?;
            let version = ProtocolVersion(reader.u16().ok_or(truncated)?);
            let certificate_length = usize::from(reader.u16().ok_or(truncated)?);
            let specs_length = usize::from(reader.u16().ok_or(truncated)?);
            let connection_id_length = usize::from(reader.u16().ok_or(truncated)?);
            let certificate = reader.take(certificate_length).ok_or(truncated)?.to_vec();
            let specs = reader.take(specs_length).ok_or(truncated)?;
            if specs.len() % 3 != 0 {
                return Err("SSLv2 cipher specs length is not a multiple of 3");
            }
            let cipher_specs = specs
                .chunks_exact(3)
                .map(|spec| spec.iter().fold(0u32, |acc, &byte| (acc << 8) | u32::from(byte)))
                .collect();
            let connection_id = reader.take(connection_id_length).ok_or(truncated)?.to_vec();
            Ok(Sslv2Message::ServerHello(Sslv2ServerHello {
                session_id_hit,
                certificate_type,
                version,
                certificate,
                cipher_specs,
                connection_id,
            }))
        }
        _ => Err("SSLv2 message is neither SERVER-HELLO nor ERROR"),
    }
}
