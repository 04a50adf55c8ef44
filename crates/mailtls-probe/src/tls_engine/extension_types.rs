//! Extension types: the IANA TLS ExtensionType Values registry.
//!
//! ```text
//! RFC 8446 §4.2
//!   struct { ExtensionType extension_type; opaque extension_data<0..2^16-1>; } Extension;
//!   enum { server_name(0), ..., supported_groups(10), signature_algorithms(13),
//!          ..., supported_versions(43), ..., key_share(51), (65535) } ExtensionType;
//! RFC 5746 §3.2: renegotiation_info(0xFF01)
//! ```

/// Every extension type this crate knows, sorted by code point.
pub static EXTENSION_TYPES: &[(u16, &str)] = &[
    (0, "server_name"),
    (1, "max_fragment_length"),
    (2, "client_certificate_url"),
    (3, "trusted_ca_keys"),
    (4, "truncated_hmac"),
    (5, "status_request"),
    (6, "user_mapping"),
    (7, "client_authz"),
    (8, "server_authz"),
    (9, "cert_type"),
    (10, "supported_groups"),
    (11, "ec_point_formats"),
    (12, "srp"),
    (13, "signature_algorithms"),
    (14, "use_srtp"),
    (15, "heartbeat"),
    (16, "application_layer_protocol_negotiation"),
    (17, "status_request_v2"),
    (18, "signed_certificate_timestamp"),
    (19, "client_certificate_type"),
    (20, "server_certificate_type"),
    (21, "padding"),
    (22, "encrypt_then_mac"),
    (23, "extended_master_secret"),
    (24, "token_binding"),
    (25, "cached_info"),
    (26, "tls_lts"),
    (27, "compress_certificate"),
    (28, "record_size_limit"),
    (29, "pwd_protect"),
    (30, "pwd_clear"),
    (31, "password_salt"),
    (32, "ticket_pinning"),
    (33, "tls_cert_with_extern_psk"),
    (34, "delegated_credential"),
    (35, "session_ticket"),
    (36, "TLMSP"),
    (37, "TLMSP_proxying"),
    (38, "TLMSP_delegate"),
    (39, "supported_ekt_ciphers"),
    (41, "pre_shared_key"),
    (42, "early_data"),
    (43, "supported_versions"),
    (44, "cookie"),
    (45, "psk_key_exchange_modes"),
    (47, "certificate_authorities"),
    (48, "oid_filters"),
    (49, "post_handshake_auth"),
    (50, "signature_algorithms_cert"),
    (51, "key_share"),
    (52, "transparency_info"),
    (53, "connection_id_deprecated"),
    (54, "connection_id"),
    (55, "external_id_hash"),
    (56, "external_session_id"),
    (57, "quic_transport_parameters"),
    (58, "ticket_request"),
    (59, "dnssec_chain"),
    (60, "sequence_number_encryption_algorithms"),
    (61, "rrc"),
    (0xFD00, "ech_outer_extensions"),
    (0xFE0D, "encrypted_client_hello"),
    (0xFF01, "renegotiation_info"),
];

/// `server_name` (RFC 6066 §3).
pub const SERVER_NAME: u16 = 0;
/// `status_request` (RFC 6066 §8).
pub const STATUS_REQUEST: u16 = 5;
/// `supported_groups` (RFC 8422 §5.1.1, RFC 7919).
pub const SUPPORTED_GROUPS: u16 = 10;
/// `ec_point_formats` (RFC 8422 §5.1.2).
pub const EC_POINT_FORMATS: u16 = 11;
/// `signature_algorithms` (RFC 5246 §7.4.1.4.1, RFC 8446 §4.2.3).
pub const SIGNATURE_ALGORITHMS: u16 = 13;
/// `heartbeat` (RFC 6520).
pub const HEARTBEAT: u16 = 15;
/// `application_layer_protocol_negotiation` (RFC 7301).
pub const ALPN: u16 = 16;
/// `signed_certificate_timestamp` (RFC 6962 §3.3.1).
pub const SIGNED_CERTIFICATE_TIMESTAMP: u16 = 18;
/// `padding` (RFC 7685).
pub const PADDING: u16 = 21;
/// `encrypt_then_mac` (RFC 7366).
pub const ENCRYPT_THEN_MAC: u16 = 22;
/// `extended_master_secret` (RFC 7627).
pub const EXTENDED_MASTER_SECRET: u16 = 23;
/// `session_ticket` (RFC 5077).
pub const SESSION_TICKET: u16 = 35;
/// `supported_versions` (RFC 8446 §4.2.1).
pub const SUPPORTED_VERSIONS: u16 = 43;
/// `cookie` (RFC 8446 §4.2.2).
pub const COOKIE: u16 = 44;
/// `key_share` (RFC 8446 §4.2.8).
pub const KEY_SHARE: u16 = 51;
/// `renegotiation_info` (RFC 5746).
pub const RENEGOTIATION_INFO: u16 = 0xFF01;

/// The IANA name of `code`, if known.
pub fn lookup(code: u16) -> Option<&'static str> {
    let index = EXTENSION_TYPES
        .binary_search_by_key(&code, |&(known, _)| known)
        .ok()?;
    EXTENSION_TYPES.get(index).map(|&(_, name)| name)
}

/// The IANA name of `code`, or `0xXXXX`.
pub fn name(code: u16) -> String {
    lookup(code).map_or_else(|| format!("0x{code:04X}"), str::to_owned)
}
