//! Alerts: what a server says when it refuses.
//!
//! ```text
//! RFC 8446 §6 / RFC 5246 §7.2
//!   enum { warning(1), fatal(2), (255) } AlertLevel;
//!   enum { close_notify(0), unexpected_message(10), bad_record_mac(20),
//!          ..., handshake_failure(40), ..., protocol_version(70),
//!          insufficient_security(71), ..., inappropriate_fallback(86), ...,
//!          unrecognized_name(112), ..., no_application_protocol(120), (255)
//!        } AlertDescription;
//!   struct { AlertLevel level; AlertDescription description; } Alert;
//! ```

/// One alert as received; unknown levels and descriptions are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Alert {
    /// 1 = warning, 2 = fatal; anything else as sent.
    pub level: u8,
    /// The description code.
    pub description: u8,
}

impl Alert {
    /// Whether the level is `fatal(2)`.
    pub fn is_fatal(self) -> bool {
        self.level == 2
    }

    /// The IANA name of the description, or its number.
    pub fn description_name(self) -> String {
        description_name(self.description)
    }
}

/// Every alert description this crate knows, sorted by code.
pub static ALERT_DESCRIPTIONS: &[(u8, &str)] = &[
    (0, "close_notify"),
    (10, "unexpected_message"),
    (20, "bad_record_mac"),
    (21, "decryption_failed"),
    (22, "record_overflow"),
    (30, "decompression_failure"),
    (40, "handshake_failure"),
    (41, "no_certificate"),
    (42, "bad_certificate"),
    (43, "unsupported_certificate"),
    (44, "certificate_revoked"),
    (45, "certificate_expired"),
    (46, "certificate_unknown"),
    (47, "illegal_parameter"),
    (48, "unknown_ca"),
    (49, "access_denied"),
    (50, "decode_error"),
    (51, "decrypt_error"),
    (60, "export_restriction"),
    (70, "protocol_version"),
    (71, "insufficient_security"),
    (80, "internal_error"),
    (86, "inappropriate_fallback"),
    (90, "user_canceled"),
    (100, "no_renegotiation"),
    (109, "missing_extension"),
    (110, "unsupported_extension"),
    (111, "certificate_unobtainable"),
    (112, "unrecognized_name"),
    (113, "bad_certificate_status_response"),
    (114, "bad_certificate_hash_value"),
    (115, "unknown_psk_identity"),
    (116, "certificate_required"),
    (117, "general_error"),
    (120, "no_application_protocol"),
    (121, "ech_required"),
];

/// The IANA name of an alert description, or its number for unknown ones.
pub fn description_name(description: u8) -> String {
    ALERT_DESCRIPTIONS
        .binary_search_by_key(&description, |&(known, _)| known)
        .ok()
        .and_then(|index| ALERT_DESCRIPTIONS.get(index))
        .map_or_else(|| description.to_string(), |&(_, name)| name.to_owned())
}
