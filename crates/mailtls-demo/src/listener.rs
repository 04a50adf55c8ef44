//! Listening sockets on loopback and the accept loop that gives each
//! connection its own task.

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};

use mailtls_core::TlsMode;
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

use crate::error::DemoError;
use crate::session::{Dialogue, serve};

/// Connections served at once by one listener; further clients wait in the
/// kernel's backlog until one ends.
const MAX_CONNECTIONS: usize = 64;
/// How many ephemeral ports are tried for a port free on both loopback addresses.
const PORT_ATTEMPTS: u32 = 16;

/// The listeners of one service: 127.0.0.1 always, and `[::1]` on the same
/// port when the host has IPv6 loopback.
#[derive(Debug)]
pub(crate) struct LoopbackListeners {
    pub(crate) v4: TcpListener,
    pub(crate) v6: Option<TcpListener>,
}

impl LoopbackListeners {
    /// Binds an ephemeral port on 127.0.0.1 and, if it can, the same port on ::1,
    /// so that one port number serves both the A and the AAAA address of a host.
    pub(crate) async fn bind(service: &'static str) -> Result<Self, DemoError> {
        let any_v4 = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let bind_error = |address, source| DemoError::Bind {
            service,
            address,
            source,
        };
        let mut fallback = None;
        for _ in 0..PORT_ATTEMPTS {
            let v4 = TcpListener::bind(any_v4)
                .await
                .map_err(|source| bind_error(any_v4, source))?;
            let port = v4
                .local_addr()
                .map_err(|source| bind_error(any_v4, source))?
                .port();
            match TcpListener::bind((Ipv6Addr::LOCALHOST, port)).await {
                Ok(v6) => return Ok(Self { v4, v6: Some(v6) }),
                // The port is taken on ::1 only: try another one.
                Err(error) if error.kind() == io::ErrorKind::AddrInUse => fallback = Some(v4),
                // No IPv6 loopback on this host: IPv4 alone it is.
                Err(_) => return Ok(Self { v4, v6: None }),
            }
        }
        match fallback {
            Some(v4) => Ok(Self { v4, v6: None }),
            None => Err(bind_error(any_v4, io::ErrorKind::AddrNotAvailable.into())),
        }
    }

    /// The addresses listened on, IPv4 first.
    pub(crate) fn addresses(&self) -> io::Result<Vec<SocketAddr>> {
        let mut addresses = vec![self.v4.local_addr()?];
        if let Some(v6) = &self.v6 {
            addresses.push(v6.local_addr()?);
        }
        Ok(addresses)
    }

    /// Spawns one accept loop per listener into `tasks`.
    pub(crate) fn spawn<D: Dialogue>(
        self,
        tasks: &mut JoinSet<()>,
        dialogue: D,
        acceptor: TlsAcceptor,
        mode: TlsMode,
    ) {
        if let Some(v6) = self.v6 {
            tasks.spawn(accept_loop(v6, dialogue.clone(), acceptor.clone(), mode));
        }
        tasks.spawn(accept_loop(self.v4, dialogue, acceptor, mode));
    }
}

/// Accepts connections for as long as the task lives. The connections' tasks
/// belong to this loop's own set, so that cancelling the loop ends them too.
async fn accept_loop<D: Dialogue>(listener: TcpListener, dialogue: D, acceptor: TlsAcceptor, mode: TlsMode) {
    let mut connections = JoinSet::new();
    loop {
        // Reap finished connections so that the set does not grow.
        while connections.try_join_next().is_some() {}
        if connections.len() >= MAX_CONNECTIONS {
            let _ = connections.join_next().await;
            continue;
        }
        match listener.accept().await {
            Ok((stream, peer)) => {
                tracing::debug!(%peer, local = ?listener.local_addr().ok(), "connection accepted");
                connections.spawn(serve(stream, peer, dialogue.clone(), acceptor.clone(), mode));
            }
            Err(error) => {
                // Per-connection failures (a reset before accept, no free file
                // descriptor) must not end the server; pause briefly instead of spinning.
                tracing::debug!(%error, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
        }
    }
}
