//! The ClientHello, for any version from SSL 3.0 to TLS 1.3, as a complete
//! TLS record.
//!
//! ```text
//! RFC 5246 §6.2.1 (RFC 6101 §5.2.1 for SSL 3.0)
//!   struct { ContentType type;            handshake(22)
//!            ProtocolVersion version;
//!            uint16 length;               <= 2^14
//!            opaque fragment[TLSPlaintext.length]; } TLSPlaintext;
//! RFC 5246 §7.4
//!   struct { HandshakeType msg_type;      client_hello(1)
//!            uint24 length;
//!            select (HandshakeType) { case client_hello: ClientHello; ... } body; } Handshake;
//! RFC 5246 §7.4.1.2 (RFC 8446 §4.1.2 calls client_version legacy_version)
//!   struct { ProtocolVersion client_version;
//!            Random random;               32 bytes
//!            SessionID session_id;        opaque <0..32>
//!            CipherSuite cipher_suites<2..2^16-2>;
//!            CompressionMethod compression_methods<1..2^8-1>;
//!            select (extensions_present) {
//!                case false: struct {};
//!                case true:  Extension extensions<0..2^16-1>; }; } ClientHello;
//! RFC 7685 §4 (and the F5 bug it describes): some servers hang on a
//!   ClientHello record body of 256 to 511 bytes; pad it to 512.
//! ```

use crate::tls_engine::BuildError;
use crate::tls_engine::extension_types;
use crate::tls_engine::extensions::{Extension, padding};
use crate::tls_engine::version::ProtocolVersion;
use crate::tls_engine::wire::put_vec;

/// Record content type `handshake`.
pub const CONTENT_TYPE_HANDSHAKE: u8 = 22;
/// Handshake type `client_hello`.
pub const HANDSHAKE_CLIENT_HELLO: u8 = 1;
/// The largest plaintext record fragment (RFC 5246 §6.2.1).
pub const MAX_FRAGMENT: usize = 1 << 14;

/// Everything that goes into one ClientHello.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientHelloSpec {
    /// The version in the record header (often TLS 1.0 for compatibility).
    pub record_version: ProtocolVersion,
    /// `client_version` / `legacy_version` in the hello.
    pub client_version: ProtocolVersion,
    /// The 32-byte random, given so that hellos are reproducible.
    pub random: [u8; 32],
    /// The session id (0 to 32 bytes; 32 random bytes for TLS 1.3 middlebox compatibility).
    pub session_id: Vec<u8>,
    /// Cipher suite code points in preference order (SCSVs included as given).
    pub cipher_suites: Vec<u16>,
    /// Compression methods; `[0]` is null only, `[1, 0]` offers DEFLATE.
    pub compression_methods: Vec<u8>,
    /// Extensions in order. When empty, the extensions block is left out
    /// altogether, as SSL 3.0 servers expect.
    pub extensions: Vec<Extension>,
}

impl ClientHelloSpec {
    /// The ClientHello body (without handshake header).
    pub fn body(&self) -> Result<Vec<u8>, BuildError> {
        let mut out = Vec::new();
        out.extend_from_slice(&self.client_version.to_bytes());
        out.extend_from_slice(&self.random);
        if self.session_id.len() > 32 {
            return Err(BuildError::TooLong {
                what: "session_id",
                length: self.session_id.len(),
            });
        }
        put_vec(&mut out, 1, &self.session_id).ok_or(BuildError::TooLong {
            what: "session_id",
            length: self.session_id.len(),
        })?;
        let suites: Vec<u8> = self
            .cipher_suites
            .iter()
            .flat_map(|suite| suite.to_be_bytes())
            .collect();
        put_vec(&mut out, 2, &suites).ok_or(BuildError::TooLong {
            what: "cipher_suites",
            length: suites.len(),
        })?;
        put_vec(&mut out, 1, &self.compression_methods).ok_or(BuildError::TooLong {
            what: "compression_methods",
            length: self.compression_methods.len(),
        })?;
        if !self.extensions.is_empty() {
            let mut block = Vec::new();
            for extension in &self.extensions {
                block.extend_from_slice(&extension.extension_type.to_be_bytes());
                put_vec(&mut block, 2, &extension.data).ok_or(BuildError::TooLong {
                    what: "extension_data",
                    length: extension.data.len(),
                })?;
            }
            put_vec(&mut out, 2, &block).ok_or(BuildError::TooLong {
                what: "extensions",
                length: block.len(),
            })?;
        }
        Ok(out)
    }

    /// The handshake message: `client_hello(1)`, uint24 length, body. This is
    /// the record body whose length the 256–511 rule is about.
    pub fn handshake_message(&self) -> Result<Vec<u8>, BuildError> {
        let body = self.body()?;
        let mut out = vec![HANDSHAKE_CLIENT_HELLO];
        put_vec(&mut out, 3, &body).ok_or(BuildError::TooLong {
            what: "handshake body",
            length: body.len(),
        })?;
        Ok(out)
    }

    /// The complete record, ready to write to the socket.
    pub fn to_record(&self) -> Result<Vec<u8>, BuildError> {
        let message = self.handshake_message()?;
        if message.len() > MAX_FRAGMENT {
            return Err(BuildError::TooLong {
                what: "record fragment",
                length: message.len(),
            });
        }
        let mut out = vec![CONTENT_TYPE_HANDSHAKE];
        out.extend_from_slice(&self.record_version.to_bytes());
        put_vec(&mut out, 2, &message).ok_or(BuildError::TooLong {
            what: "record fragment",
            length: message.len(),
        })?;
        Ok(out)
    }
}

/// The record-body lengths that hang some servers (RFC 7685 §4).
pub const F5_HANG_RANGE: std::ops::RangeInclusive<usize> = 256..=511;

/// Keeps the hello's record body out of 256–511 bytes: if it falls inside,
/// replaces any `padding` extension with one that brings the body to 512
/// bytes (or, when the body is 509–511 bytes and a padding extension's own
/// 4-byte header overshoots, to the smallest length above 512). Hellos
/// outside the range are left as they are.
pub fn pad_out_of_f5_range(spec: &mut ClientHelloSpec) -> Result<(), BuildError> {
    spec.extensions
        .retain(|extension| extension.extension_type != extension_types::PADDING);
    let length = spec.handshake_message()?.len();
    if !F5_HANG_RANGE.contains(&length) {
        return Ok(());
    }
    // A padding extension costs its 4-byte header, plus the 2-byte block
    // length when it is the first extension.
    let overhead = if spec.extensions.is_empty() { 6 } else { 4 };
    let fill = 512usize.saturating_sub(length).saturating_sub(overhead);
    spec.extensions.push(padding(fill));
    Ok(())
}
