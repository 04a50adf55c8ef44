//! What the endpoint's own full handshake (rustls, on the first connection)
//! already showed, so that the scan does not ask again: the version, the
//! suite the server chose from rustls's offer and the group, and the
//! session the server left behind.
//!
//! The choice is one step of the suite enumeration like any other (the
//! server picked `chosen` from `offered`, in that order); the session lets
//! the resumption check resume it with one handshake instead of two.

use std::sync::{Arc, Mutex};

use mailtls_core::{TlsHandshake, TlsVersion};
use rustls::client::{
    ClientSessionMemoryCache, ClientSessionStore, Tls12ClientSessionValue, Tls13ClientSessionValue,
};
use rustls::pki_types::ServerName;
use rustls::{ClientConfig, NamedGroup};

use crate::tls_engine::version::ProtocolVersion;
use crate::tls_engine::{cipher_suites, named_groups};

/// What the earlier handshake showed; empty when there was none.
#[derive(Debug, Clone, Default)]
pub struct EarlierHandshake {
    /// The suite and group the server chose, when the handshake completed.
    pub choice: Option<EarlierChoice>,
    /// The sessions it left, when it used [`SessionRecorder`].
    pub sessions: Option<Arc<SessionRecorder>>,
}

/// The server's choice in the earlier handshake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EarlierChoice {
    /// The version negotiated.
    pub version: TlsVersion,
    /// The suites of that version the client offered, in its order.
    pub offered: Vec<u16>,
    /// The suite chosen.
    pub chosen: u16,
    /// The key exchange group, when known.
    pub group: Option<u16>,
}

impl EarlierHandshake {
    /// Reads the choice off `handshake`, made by a client that offered
    /// `offered` (every suite of both versions, in its order), and keeps
    /// `sessions`. A suite or group whose name is unknown leaves no choice.
    pub fn new(
        handshake: Option<&TlsHandshake>,
        offered: &[u16],
        sessions: Option<Arc<SessionRecorder>>,
    ) -> Self {
        let choice = handshake.and_then(|handshake| {
            let chosen = cipher_suites::code_of(&handshake.cipher_suite)?;
            let wire = match handshake.version {
                TlsVersion::Tls13 => ProtocolVersion::TLS1_3,
                TlsVersion::Tls12 => ProtocolVersion::TLS1_2,
                _ => return None,
            };
            let offered: Vec<u16> = offered
                .iter()
                .copied()
                .filter(|&code| cipher_suites::lookup(code).is_some_and(|suite| suite.applies_to(wire)))
                .collect();
            offered.contains(&chosen).then(|| EarlierChoice {
                version: handshake.version,
                offered,
                chosen,
                group: handshake.group.as_deref().and_then(named_groups::code_of),
            })
        });
        Self { choice, sessions }
    }
}

/// A rustls session store that remembers under which name a session was
/// last stored, and the client configuration that stored it: rustls resumes
/// only with the same certificate verifier, so a later handshake that wants
/// to resume must use that configuration.
#[derive(Debug)]
pub struct SessionRecorder {
    inner: ClientSessionMemoryCache,
    stored: Mutex<Option<ServerName<'static>>>,
    config: Mutex<Option<Arc<ClientConfig>>>,
}

impl Default for SessionRecorder {
    fn default() -> Self {
        Self {
            inner: ClientSessionMemoryCache::new(8),
            stored: Mutex::new(None),
            config: Mutex::new(None),
        }
    }
}

/// Two recorders are equal when they are the same store.
impl PartialEq for SessionRecorder {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for SessionRecorder {}

impl SessionRecorder {
    /// Keeps `config`, whose resumption store is this recorder.
    pub fn keep_config(&self, config: Arc<ClientConfig>) {
        if let Ok(mut kept) = self.config.lock() {
            *kept = Some(config);
        }
    }

    /// The configuration and name to resume a stored session with, once a
    /// session (TLS 1.2 session or TLS 1.3 ticket) was stored.
    pub fn resumable(&self) -> Option<(Arc<ClientConfig>, ServerName<'static>)> {
        let name = self.stored.lock().ok().and_then(|stored| stored.clone())?;
        let config = self.config.lock().ok().and_then(|config| config.clone())?;
        Some((config, name))
    }

    fn note(&self, server_name: &ServerName<'static>) {
        if let Ok(mut stored) = self.stored.lock() {
            *stored = Some(server_name.clone());
        }
    }
}

impl ClientSessionStore for SessionRecorder {
    fn set_kx_hint(&self, server_name: ServerName<'static>, group: NamedGroup) {
        self.inner.set_kx_hint(server_name, group);
    }

    fn kx_hint(&self, server_name: &ServerName<'_>) -> Option<NamedGroup> {
        self.inner.kx_hint(server_name)
    }

    fn set_tls12_session(&self, server_name: ServerName<'static>, value: Tls12ClientSessionValue) {
        self.note(&server_name);
        self.inner.set_tls12_session(server_name, value);
    }

    fn tls12_session(&self, server_name: &ServerName<'_>) -> Option<Tls12ClientSessionValue> {
        self.inner.tls12_session(server_name)
    }

    fn remove_tls12_session(&self, server_name: &ServerName<'static>) {
        self.inner.remove_tls12_session(server_name);
    }

    fn insert_tls13_ticket(&self, server_name: ServerName<'static>, value: Tls13ClientSessionValue) {
        self.note(&server_name);
        self.inner.insert_tls13_ticket(server_name, value);
    }

    fn take_tls13_ticket(&self, server_name: &ServerName<'static>) -> Option<Tls13ClientSessionValue> {
        self.inner.take_tls13_ticket(server_name)
    }
}
