//! Connections ready for a ClientHello, for the TLS engine: connect, and for
//! STARTTLS endpoints speak the protocol up to the server's "go ahead".

use std::net::SocketAddr;

use async_trait::async_trait;
use mailtls_core::transport::{BoxStream, Connector};
use mailtls_core::{Dialect, DialogueObservation, Endpoint, TlsMode};

use crate::endpoint_probe::ProbeConfig;
use crate::session::{Session, Stop, Transcript};
use crate::tls_engine::{HandshakeOpener, OpenError};
use crate::{imap, pop3, sieve, smtp};

/// Opens connections to one endpoint at one address through a [`Connector`],
/// borrowing the connector and the configuration of the probe it runs in.
/// The STARTTLS dialogue of each is the shortest the protocol allows: no
/// injection test, no transcript kept (the endpoint probe keeps one).
pub struct EndpointOpener<'a> {
    connector: &'a dyn Connector,
    config: &'a ProbeConfig,
    endpoint: &'a Endpoint,
    address: SocketAddr,
    server_name: Option<String>,
}

impl std::fmt::Debug for EndpointOpener<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EndpointOpener")
            .field("endpoint", &self.endpoint)
            .field("address", &self.address)
            .finish_non_exhaustive()
    }
}

impl<'a> EndpointOpener<'a> {
    /// An opener for `endpoint` at `address`.
    pub fn new(
        connector: &'a dyn Connector,
        config: &'a ProbeConfig,
        endpoint: &'a Endpoint,
        address: SocketAddr,
    ) -> Self {
        let server_name = endpoint.host.sni().map(|domain| domain.as_str().to_owned());
        Self {
            connector,
            config,
            endpoint,
            address,
            server_name,
        }
    }
}

#[async_trait]
impl HandshakeOpener for EndpointOpener<'_> {
    async fn open(&self) -> Result<BoxStream, OpenError> {
        open_ready(self.connector, self.config, self.endpoint, self.address).await
    }

    fn server_name(&self) -> Option<&str> {
        self.server_name.as_deref()
    }
}

/// Connects to `address` and, for STARTTLS endpoints, speaks the protocol up
/// to the server's "go ahead".
async fn open_ready(
    connector: &dyn Connector,
    config: &ProbeConfig,
    endpoint: &Endpoint,
    address: SocketAddr,
) -> Result<BoxStream, OpenError> {
    let stream = connector
        .connect(address, config.connect_timeout)
        .await
        .map_err(|error| OpenError::Connect {
            message: error.to_string(),
        })?;
    if endpoint.tls_mode() == TlsMode::Implicit {
        return Ok(stream);
    }
    let mut transcript = Transcript::default();
    let mut dialogue = DialogueObservation::default();
    let mut session = Session::new(stream, config.limits, &mut transcript, false);
    let ehlo = &config.ehlo_name;
    let ready = match endpoint.protocol.dialect() {
        Dialect::Smtp => smtp::before_tls(&mut session, &mut dialogue, "EHLO", ehlo, false).await,
        Dialect::Lmtp => smtp::before_tls(&mut session, &mut dialogue, "LHLO", ehlo, false).await,
        Dialect::Imap => imap::before_tls(&mut session, &mut dialogue).await,
        Dialect::Pop3 => pop3::before_tls(&mut session, &mut dialogue).await,
        Dialect::Sieve => sieve::before_tls(&mut session, &mut dialogue).await,
        Dialect::Http => Ok(true),
    };
    let (stream, _unasked) = session.finish();
    let last_reply = || {
        dialogue
            .starttls_reply
            .clone()
            .or_else(|| dialogue.greeting.last().cloned())
            .unwrap_or_else(|| "no reply".into())
    };
    match ready {
        Ok(true) => Ok(stream),
        Ok(false) => {
            let reply = last_reply();
            if reply.starts_with("421") {
                Err(OpenError::Throttled { reply })
            } else {
                Err(OpenError::Refused { reply })
            }
        }
        Err(Stop::Throttled(reason)) => Err(OpenError::Throttled { reply: reason }),
        Err(Stop::NotTested(reason)) => Err(OpenError::Refused { reply: reason }),
        Err(Stop::Error(message)) => Err(OpenError::Connect { message }),
    }
}
