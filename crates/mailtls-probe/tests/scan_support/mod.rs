//! Servers and an opener for the scan tests.
#![allow(dead_code, clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use async_trait::async_trait;
use mailtls_core::transport::BoxStream;
use mailtls_probe::tls_engine::{HandshakeOpener, OpenError};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

/// Opens plain TCP connections (implicit TLS) and counts them.
pub(crate) struct TcpOpener {
    address: SocketAddr,
    name: Option<String>,
    opened: AtomicU64,
}

impl TcpOpener {
    pub(crate) fn new(address: SocketAddr, name: Option<&str>) -> Self {
        Self {
            address,
            name: name.map(str::to_owned),
            opened: AtomicU64::new(0),
        }
    }

    pub(crate) fn opened(&self) -> u64 {
        self.opened.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl HandshakeOpener for TcpOpener {
    async fn open(&self) -> Result<BoxStream, OpenError> {
        self.opened.fetch_add(1, Ordering::SeqCst);
        let stream = TcpStream::connect(self.address)
            .await
            .map_err(|error| OpenError::Connect {
                message: error.to_string(),
            })?;
        Ok(Box::new(stream))
    }

    fn server_name(&self) -> Option<&str> {
        self.name.as_deref()
    }
}

/// A rustls server accepting any number of connections.
pub(crate) async fn serve_rustls(config: rustls::ServerConfig) -> SocketAddr {
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                // The scanner never finishes a handshake; the error is expected.
                let _ = acceptor.accept(socket).await;
            });
        }
    });
    address
}
