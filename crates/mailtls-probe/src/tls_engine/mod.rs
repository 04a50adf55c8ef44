//! The TLS enumeration engine's wire layer: our own probe messages and a
//! lenient reader of what comes back.
//!
//! rustls cannot speak SSL 3.0, TLS 1.0/1.1, CBC, RSA key exchange or export
//! suites, so the engine builds ClientHellos itself ([`client_hello`],
//! [`extensions`], [`sslv2`]) and reads the server's reply with
//! [`record::RecordReader`], which yields [`record::ServerEvent`]s
//! (ServerHello, HelloRetryRequest, Certificate, ServerKeyExchange,
//! ServerHelloDone, alerts, SSLv2, and anything odd). Everything here is
//! sans-IO: bytes in, values out; the socket loop lives elsewhere.
//!
//! The registries ([`cipher_suites`], [`named_groups`],
//! [`signature_schemes`], [`extension_types`], [`alert`]) give names and, for
//! cipher suites, the classification a scorer needs. [`scan`] drives the
//! enumeration over connections from a [`HandshakeOpener`].

pub mod active;
pub mod alert;
pub mod cipher_suites;
pub mod client_hello;
pub mod earlier;
pub mod exchange;
pub mod extension_types;
pub mod extensions;
pub mod named_groups;
pub mod record;
pub mod scan;
pub mod server_messages;
pub mod signature_schemes;
pub mod sslv2;
pub mod version;
mod wire;

pub use client_hello::{ClientHelloSpec, pad_out_of_f5_range};
pub use exchange::{Exchange, ExchangeEnd, HandshakeOpener, OpenError, exchange};
pub use record::{RecordReader, ServerEvent, Unexpected};
pub use version::ProtocolVersion;

/// Why a probe message could not be built from the values given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A field is longer than its length prefix (or the record) allows.
    #[error("{what} is {length} bytes, longer than its length field allows")]
    TooLong {
        /// Which field.
        what: &'static str,
        /// Its length in bytes.
        length: usize,
    },
    /// A field's length is outside the range the protocol requires.
    #[error("{what}: {length} is out of range")]
    OutOfRange {
        /// Which field, with the allowed range.
        what: &'static str,
        /// The length given.
        length: usize,
    },
}
