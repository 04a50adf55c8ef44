//! Everything in mailtls that talks to a mail server.
//!
//! [`probe_endpoint`] connects to one endpoint, speaks its protocol up to TLS
//! (SMTP and LMTP `STARTTLS`, IMAP `STARTTLS`, POP3 `STLS`, ManageSieve
//! `STARTTLS`) or starts TLS at once (implicit TLS), completes a TLS handshake
//! with rustls, captures the certificate chain and records whether it is
//! trusted, then looks at the protocol again inside TLS. What it saw becomes an
//! [`EndpointObservation`](mailtls_core::EndpointObservation); nothing here
//! judges it.
//!
//! The reply parsers ([`smtp::ReplyParser`], [`imap`], [`pop3`], [`sieve`])
//! work on lines and values, not sockets; the socket loop around them goes
//! through [`mailtls_core::transport`] so that every read is bounded.
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

pub mod assessor;
pub mod certificate;
pub mod dane;
pub mod danger;
mod endpoint_probe;
pub mod imap;
pub mod mta_sts;
mod opener;
pub mod pop3;
pub mod scheduler;
mod session;
pub mod sieve;
pub mod smtp;
pub mod tls;
pub mod tls_engine;

pub use certificate::{analyse_chain, certificate_facts, name_matches, observe_certificate, spki_der};
pub use dane::{TlsaAssociation, assess_tlsa_set, match_tlsa, rollover_scheme};
pub use endpoint_probe::{ProbeConfig, observe, probe_endpoint, probe_endpoints};
pub use opener::EndpointOpener;
pub use tls::{TrustAnchors, TrustAnchorsError};
pub use tls_engine::scan::ScanOptions;
