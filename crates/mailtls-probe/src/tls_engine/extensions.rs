//! ClientHello extensions a scanner sends, each built from typed values.
//!
//! ```text
//! RFC 8446 §4.2
//!   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
//! RFC 6066 §3   ServerNameList: ServerName server_name_list<1..2^16-1>;
//!               struct { NameType name_type(host_name=0); HostName host_name<1..2^16-1>; } ServerName;
//! RFC 6066 §8   struct { CertificateStatusType status_type(ocsp=1);
//!                        ResponderID responder_id_list<0..2^16-1>;
//!                        Extensions request_extensions<0..2^16-1>; } CertificateStatusRequest;
//! RFC 8422 §5.1 NamedGroup named_group_list<2..2^16-1>;
//!               ECPointFormat ec_point_format_list<1..2^8-1>;  uncompressed(0)
//! RFC 8446 §4.2.3 SignatureScheme supported_signature_algorithms<2..2^16-2>;
//! RFC 8446 §4.2.8 KeyShareEntry client_shares<0..2^16-1>;
//!               struct { NamedGroup group; opaque key_exchange<1..2^16-1>; } KeyShareEntry;
//! RFC 8446 §4.2.1 ProtocolVersion versions<2..254>;
//! RFC 5746 §3.2 opaque renegotiated_connection<0..255>;
//! RFC 5077 §3.2 SessionTicket: opaque ticket (empty to ask for one)
//! RFC 6962 §3.3.1, RFC 7627 §5.1, RFC 7366 §2: empty extension_data
//! RFC 6520 §2   struct { HeartbeatMode mode; }  peer_allowed_to_send(1)
//! RFC 7301 §3.1 ProtocolName protocol_name_list<2..2^16-1>; opaque ProtocolName<1..2^8-1>;
//! RFC 7685 §3   padding: extension_data of zero bytes
//! ```

use crate::tls_engine::BuildError;
use crate::tls_engine::extension_types as types;
use crate::tls_engine::version::ProtocolVersion;
use crate::tls_engine::wire::put_vec;

/// One extension: its type and its already-encoded data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extension {
    /// The IANA extension type.
    pub extension_type: u16,
    /// The `extension_data` bytes (without their length prefix).
    pub data: Vec<u8>,
}

impl Extension {
    /// An extension with arbitrary data, for values this module has no builder for.
    pub fn raw(extension_type: u16, data: Vec<u8>) -> Self {
        Self { extension_type, data }
    }

    fn empty(extension_type: u16) -> Self {
        Self {
            extension_type,
            data: Vec::new(),
        }
    }
}

/// One `KeyShareEntry` of a client's key_share.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyShareEntry {
    /// The named group.
    pub group: u16,
    /// The public key bytes.
    pub key_exchange: Vec<u8>,
}

fn prefixed(width: usize, body: &[u8], what: &'static str) -> Result<Vec<u8>, BuildError> {
    let mut out = Vec::with_capacity(body.len().saturating_add(width));
    put_vec(&mut out, width, body).ok_or(BuildError::TooLong {
        what,
        length: body.len(),
    })?;
    Ok(out)
}

fn u16_list(values: &[u16]) -> Vec<u8> {
    values.iter().flat_map(|value| value.to_be_bytes()).collect()
}

/// `server_name` with one `host_name` entry.
pub fn server_name(host: &str) -> Result<Extension, BuildError> {
    let mut entry = vec![0u8];
    entry.extend(prefixed(2, host.as_bytes(), "server_name host_name")?);
    Ok(Extension {
        extension_type: types::SERVER_NAME,
        data: prefixed(2, &entry, "server_name_list")?,
    })
}

/// `supported_groups` (called `elliptic_curves` before RFC 7919).
pub fn supported_groups(groups: &[u16]) -> Result<Extension, BuildError> {
    Ok(Extension {
        extension_type: types::SUPPORTED_GROUPS,
        data: prefixed(2, &u16_list(groups), "named_group_list")?,
    })
}

/// `ec_point_formats`; `[0]` offers uncompressed points only.
pub fn ec_point_formats(formats: &[u8]) -> Result<Extension, BuildError> {
    Ok(Extension {
        extension_type: types::EC_POINT_FORMATS,
        data: prefixed(1, formats, "ec_point_format_list")?,
    })
}

/// `signature_algorithms`.
pub fn signature_algorithms(schemes: &[u16]) -> Result<Extension, BuildError> {
    Ok(Extension {
        extension_type: types::SIGNATURE_ALGORITHMS,
        data: prefixed(2, &u16_list(schemes), "supported_signature_algorithms")?,
    })
}

/// `key_share`; an empty `entries` list asks a TLS 1.3 server to pick a group
/// in a HelloRetryRequest (RFC 8446 §4.2.8).
pub fn key_share(entries: &[KeyShareEntry]) -> Result<Extension, BuildError> {
    let mut shares = Vec::new();
    for entry in entries {
        shares.extend_from_slice(&entry.group.to_be_bytes());
        shares.extend(prefixed(2, &entry.key_exchange, "key_exchange")?);
    }
    Ok(Extension {
        extension_type: types::KEY_SHARE,
        data: prefixed(2, &shares, "client_shares")?,
    })
}

/// `supported_versions` (client form: a list).
pub fn supported_versions(versions: &[ProtocolVersion]) -> Result<Extension, BuildError> {
    let list: Vec<u16> = versions.iter().map(|version| version.0).collect();
    Ok(Extension {
        extension_type: types::SUPPORTED_VERSIONS,
        data: prefixed(1, &u16_list(&list), "versions")?,
    })
}

/// `renegotiation_info`; empty `renegotiated_connection` on an initial handshake.
pub fn renegotiation_info(renegotiated_connection: &[u8]) -> Result<Extension, BuildError> {
    Ok(Extension {
        extension_type: types::RENEGOTIATION_INFO,
        data: prefixed(1, renegotiated_connection, "renegotiated_connection")?,
    })
}

/// `session_ticket`; an empty ticket asks the server for one.
pub fn session_ticket(ticket: &[u8]) -> Extension {
    Extension {
        extension_type: types::SESSION_TICKET,
        data: ticket.to_vec(),
    }
}

/// `status_request` for OCSP with no responder IDs and no request extensions.
pub fn status_request_ocsp() -> Extension {
    Extension {
        extension_type: types::STATUS_REQUEST,
        data: vec![1, 0, 0, 0, 0],
    }
}

/// `signed_certificate_timestamp` (empty in a ClientHello).
pub fn signed_certificate_timestamp() -> Extension {
    Extension::empty(types::SIGNED_CERTIFICATE_TIMESTAMP)
}

/// `extended_master_secret` (empty).
pub fn extended_master_secret() -> Extension {
    Extension::empty(types::EXTENDED_MASTER_SECRET)
}

/// `encrypt_then_mac` (empty).
pub fn encrypt_then_mac() -> Extension {
    Extension::empty(types::ENCRYPT_THEN_MAC)
}

/// `heartbeat`; mode 1 is `peer_allowed_to_send`, 2 `peer_not_allowed_to_send`.
pub fn heartbeat(mode: u8) -> Extension {
    Extension {
        extension_type: types::HEARTBEAT,
        data: vec![mode],
    }
}

/// `application_layer_protocol_negotiation` with the given protocol names.
pub fn alpn(protocols: &[&[u8]]) -> Result<Extension, BuildError> {
    let mut list = Vec::new();
    for protocol in protocols {
        list.extend(prefixed(1, protocol, "ProtocolName")?);
    }
    Ok(Extension {
        extension_type: types::ALPN,
        data: prefixed(2, &list, "protocol_name_list")?,
    })
}

/// `padding` with `length` zero bytes (RFC 7685).
pub fn padding(length: usize) -> Extension {
    Extension {
        extension_type: types::PADDING,
        data: vec![0; length],
    }
}
