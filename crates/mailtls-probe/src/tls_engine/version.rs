//! Protocol versions as they appear on the wire.
//!
//! ```text
//! RFC 8446 §4.1.2 / RFC 5246 §6.2.1
//!   uint16 ProtocolVersion;   major, minor
//!   SSL 2.0 = 0x0002 (in the SSLv2 header, "0x0002")
//!   SSL 3.0 = 0x0300, TLS 1.0 = 0x0301, TLS 1.1 = 0x0302,
//!   TLS 1.2 = 0x0303, TLS 1.3 = 0x0304
//! ```

use std::fmt;

/// A protocol version number, kept as sent so unknown values survive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ProtocolVersion(pub u16);

impl ProtocolVersion {
    /// SSL 2.0 as written in the SSLv2 CLIENT-HELLO and SERVER-HELLO.
    pub const SSL2_0: Self = Self(0x0002);
    /// SSL 3.0 (RFC 6101).
    pub const SSL3_0: Self = Self(0x0300);
    /// TLS 1.0 (RFC 2246).
    pub const TLS1_0: Self = Self(0x0301);
    /// TLS 1.1 (RFC 4346).
    pub const TLS1_1: Self = Self(0x0302);
    /// TLS 1.2 (RFC 5246).
    pub const TLS1_2: Self = Self(0x0303);
    /// TLS 1.3 (RFC 8446).
    pub const TLS1_3: Self = Self(0x0304);

    /// The usual name (`TLSv1.2`), or `0xXXXX` for anything else.
    pub fn name(self) -> String {
        match self {
            Self::SSL2_0 => "SSLv2".to_owned(),
            Self::SSL3_0 => "SSLv3".to_owned(),
            Self::TLS1_0 => "TLSv1.0".to_owned(),
            Self::TLS1_1 => "TLSv1.1".to_owned(),
            Self::TLS1_2 => "TLSv1.2".to_owned(),
            Self::TLS1_3 => "TLSv1.3".to_owned(),
            Self(other) => format!("0x{other:04X}"),
        }
    }

    /// The two bytes on the wire.
    pub fn to_bytes(self) -> [u8; 2] {
        self.0.to_be_bytes()
    }
}

impl fmt::Display for ProtocolVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}
