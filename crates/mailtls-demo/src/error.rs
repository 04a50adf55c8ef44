//! Why the demo environment could not start.

use std::io;
use std::net::SocketAddr;

/// Why [`DemoEnvironment::start`](crate::DemoEnvironment::start) failed.
///
/// Every variant says which part of the environment failed and carries the
/// underlying error as its source.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    /// `start` was polled outside a tokio runtime, so no server task could be spawned.
    #[error("the demo environment must be started inside a tokio runtime")]
    NoRuntime,
    /// A key or certificate of the throw-away PKI could not be generated.
    #[error("could not generate the {what}: {source}")]
    Pki {
        /// What was being generated, e.g. `certificate for mx1.demo.mailtls.test`.
        what: String,
        /// The error from the certificate generator.
        source: rcgen::Error,
    },
    /// A rustls server configuration could not be built from the generated key and certificate.
    #[error("could not build the TLS configuration for {host}: {source}")]
    TlsConfig {
        /// The host name the configuration serves.
        host: String,
        /// The error from rustls.
        source: rustls::Error,
    },
    /// A listening socket could not be opened.
    #[error("could not listen on {address} for the {service} server: {source}")]
    Bind {
        /// The server that needed the socket, e.g. `smtp` or `dns`.
        service: &'static str,
        /// The address asked for (port 0 means any free port).
        address: SocketAddr,
        /// The operating system's error.
        source: io::Error,
    },
    /// No port was free on 127.0.0.1 for both UDP and TCP, which the DNS server needs.
    #[error("no port on 127.0.0.1 was free for both UDP and TCP after {attempts} attempts")]
    NoDnsPort {
        /// How many ports were tried.
        attempts: u32,
    },
    /// A record of the demo zone could not be built.
    #[error("could not build the {record_type} record at {owner}: {reason}")]
    Zone {
        /// The owner name of the record.
        owner: String,
        /// The record type, e.g. `TLSA`.
        record_type: &'static str,
        /// What went wrong.
        reason: String,
    },
    /// A start-up task (key generation) ended without a result.
    #[error("the start-up task {task} did not finish: {source}")]
    Task {
        /// The task, e.g. `DKIM key generation`.
        task: &'static str,
        /// Why it did not finish (it panicked or was cancelled).
        source: tokio::task::JoinError,
    },
}
