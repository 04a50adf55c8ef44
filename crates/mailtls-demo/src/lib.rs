//! A complete mail domain on loopback, for demonstrations and tests.
//!
//! [`DemoEnvironment::start`] brings up, in well under a second and on
//! ephemeral ports of 127.0.0.1:
//!
//! - an authoritative DNS server for `demo.mailtls.test.` (UDP and TCP on one
//!   port) publishing MX, SPF, DMARC, MTA-STS, TLS-RPT, DKIM, CAA, SRV, TLSA and
//!   PTR records;
//! - an SMTP MX with STARTTLS and an SMTP submission server on implicit TLS
//!   (`mx1.demo.mailtls.test`);
//! - IMAP with STARTTLS, IMAP on implicit TLS and POP3 with STLS
//!   (`imap.demo.mailtls.test`);
//! - a throw-away CA that issued the servers' certificates.
//!
//! # Why it is built this way
//!
//! The environment is meant to be probed by mailtls exactly like a real
//! domain, so it publishes what a real domain publishes and the records tell
//! the truth about what runs: the SRV records carry the real ports (that is
//! how a client finds the servers), the TLSA record hashes the key mx1 really
//! serves, the DKIM record holds a key generated at start. The servers
//! behave like well-configured production servers: no authentication before
//! TLS, pipelined plaintext dropped when TLS starts, bounded lines, error
//! limits and idle timeouts. A good assessment of the demo is therefore a
//! meaningful result, and a regression in the assessor shows up as a change
//! in it.
//!
//! Nothing leaves loopback. The servers run as tasks of the caller's tokio
//! runtime and stop when the environment is dropped.
//!
//! # Example
//!
//! ```
//! use mailtls_core::MailProtocol;
//! use mailtls_demo::DemoEnvironment;
//!
//! # tokio::runtime::Runtime::new().unwrap().block_on(async {
//! let demo = DemoEnvironment::start().await?;
//! let smtp = demo.service(MailProtocol::Smtp).expect("the demo runs an MX");
//! assert_eq!(smtp.endpoint.host.to_string(), "mx1.demo.mailtls.test");
//! assert_eq!(smtp.endpoint.port, smtp.address.port());
//! assert!(demo.ca_certificate_pem().starts_with("-----BEGIN CERTIFICATE-----"));
//! # Ok::<(), mailtls_demo::DemoError>(())
//! # }).unwrap();
//! ```
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::indexing_slicing, clippy::panic))]

mod connector;
mod dkim;
mod dns;
mod environment;
mod error;
mod imap;
mod line;
mod listener;
mod pki;
mod policy_server;
mod pop3;
mod session;
mod smtp;

pub use connector::DemoConnector;
pub use environment::{DemoEnvironment, DemoService};
pub use error::DemoError;
