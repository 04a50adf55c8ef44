//! The features read off the enumeration's ServerHellos, at no extra
//! connection: each hello of TLS 1.2 and older offers the feature extensions
//! and DEFLATE, and what the server echoes is the answer.

use mailtls_core::{Feature, Support, TlsFeatures};

use crate::tls_engine::cipher_suites::{self, CipherMode};
use crate::tls_engine::server_messages::ServerHello;

/// What one feature's echoes were.
#[derive(Debug, Default, Clone)]
struct Seen {
    /// The first hello that showed it.
    yes: Option<String>,
    /// Hellos that could have shown it.
    hellos: u32,
}

impl Seen {
    fn note(&mut self, shown: bool, description: &str) {
        self.hellos = self.hellos.saturating_add(1);
        if shown && self.yes.is_none() {
            self.yes = Some(description.to_owned());
        }
    }

    fn absorb(&mut self, other: &Seen) {
        self.hellos = self.hellos.saturating_add(other.hellos);
        if self.yes.is_none() {
            self.yes.clone_from(&other.yes);
        }
    }

    fn feature(&self, what: &str, none_reason: &str) -> Feature {
        let support = match (&self.yes, self.hellos) {
            (Some(hello), _) => Support::Yes {
                evidence: format!("{what} in the {hello}"),
            },
            (None, 0) => Support::NotTested {
                reason: none_reason.to_owned(),
            },
            (None, count) => Support::No {
                evidence: format!("no {what} in {count} ServerHello(s)"),
            },
        };
        Feature { support }
    }
}

/// The features seen so far.
#[derive(Debug, Default, Clone)]
pub(crate) struct FeatureLog {
    renegotiation: Seen,
    extended_master_secret: Seen,
    encrypt_then_mac: Seen,
    session_ticket: Seen,
    status_request: Seen,
    heartbeat: Seen,
    compression: Seen,
}

const NO_LEGACY: &str = "no handshake of TLS 1.2 or older was accepted";

impl FeatureLog {
    /// Notes a ServerHello of TLS 1.2 or older; `extensions_offered` is false
    /// for SSL 3.0 hellos, which carry only the renegotiation SCSV.
    pub(crate) fn note(&mut self, hello: &ServerHello, extensions_offered: bool) {
        let description = format!(
            "ServerHello {} {}",
            hello.negotiated_version(),
            cipher_suites::name(hello.cipher_suite)
        );
        self.renegotiation
            .note(hello.renegotiation_info.is_some(), &description);
        self.compression.note(hello.compression == 1, &description);
        if !extensions_offered {
            return;
        }
        self.extended_master_secret
            .note(hello.extended_master_secret, &description);
        self.session_ticket.note(hello.session_ticket, &description);
        self.status_request.note(hello.status_request, &description);
        self.heartbeat.note(hello.heartbeat_mode.is_some(), &description);
        let cbc =
            cipher_suites::lookup(hello.cipher_suite).is_some_and(|suite| suite.mode == CipherMode::Cbc);
        if cbc {
            self.encrypt_then_mac.note(hello.encrypt_then_mac, &description);
        }
    }

    /// Takes in what another lane saw.
    pub(crate) fn absorb(&mut self, other: &FeatureLog) {
        self.renegotiation.absorb(&other.renegotiation);
        self.extended_master_secret.absorb(&other.extended_master_secret);
        self.encrypt_then_mac.absorb(&other.encrypt_then_mac);
        self.session_ticket.absorb(&other.session_ticket);
        self.status_request.absorb(&other.status_request);
        self.heartbeat.absorb(&other.heartbeat);
        self.compression.absorb(&other.compression);
    }

    /// Whether a ServerHello echoed the heartbeat extension.
    pub(crate) fn heartbeat_echoed(&self) -> bool {
        self.heartbeat.yes.is_some()
    }

    /// The features; fallback SCSV and resumption come from the active probes.
    pub(crate) fn to_features(&self) -> TlsFeatures {
        TlsFeatures {
            secure_renegotiation: self.renegotiation.feature("renegotiation_info", NO_LEGACY),
            extended_master_secret: self
                .extended_master_secret
                .feature("extended_master_secret", NO_LEGACY),
            encrypt_then_mac: self
                .encrypt_then_mac
                .feature("encrypt_then_mac", "no CBC suite was chosen"),
            session_ticket: self.session_ticket.feature("session_ticket", NO_LEGACY),
            session_resumption: Feature::default(),
            ocsp_stapling: self.status_request.feature("status_request", NO_LEGACY),
            compression: self.compression.feature("DEFLATE compression chosen", NO_LEGACY),
            heartbeat: self.heartbeat.feature("heartbeat", NO_LEGACY),
            fallback_scsv: Feature::default(),
        }
    }
}
