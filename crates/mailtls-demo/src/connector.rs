//! A connector that reaches the demo's servers at the ports a real domain
//! would use.
//!
//! DNS can say where a submission or IMAP server listens (SRV carries the
//! port), but not an MX (always port 25) or the MTA-STS host (443). The demo
//! binds ephemeral ports, so this connector takes connections to port 25 and
//! 443 on loopback to the demo's SMTP and policy servers. Any other address
//! that is not one of the demo's servers is refused without a packet sent, so
//! that a demo assessment can never reach an unrelated service on this host.

use std::net::SocketAddr;
use std::time::Duration;

use async_trait::async_trait;
use mailtls_core::transport::{BoxStream, ConnectError, Connector, TcpConnector};

/// See the module documentation.
#[derive(Debug, Clone)]
pub struct DemoConnector {
    inner: TcpConnector,
    smtp: Vec<SocketAddr>,
    policy: SocketAddr,
    allowed: Vec<SocketAddr>,
}

impl DemoConnector {
    pub(crate) fn new(smtp: Vec<SocketAddr>, policy: SocketAddr, allowed: Vec<SocketAddr>) -> Self {
        Self {
            inner: TcpConnector::default(),
            smtp,
            policy,
            allowed,
        }
    }

    /// Where a connection to `address` really goes, if anywhere.
    pub fn route(&self, address: SocketAddr) -> Option<SocketAddr> {
        if self.allowed.contains(&address) {
            return Some(address);
        }
        if !address.ip().is_loopback() {
            return None;
        }
        match address.port() {
            // The same address family as asked, when the SMTP server listens on it.
            25 => self
                .smtp
                .iter()
                .find(|smtp| smtp.is_ipv4() == address.is_ipv4())
                .or(self.smtp.first())
                .copied(),
            443 => Some(self.policy),
            _ => None,
        }
    }
}

#[async_trait]
impl Connector for DemoConnector {
    async fn connect(&self, address: SocketAddr, timeout: Duration) -> Result<BoxStream, ConnectError> {
        match self.route(address) {
            Some(target) => self.inner.connect(target, timeout).await,
            None => Err(ConnectError::Refused { address }),
        }
    }
}
