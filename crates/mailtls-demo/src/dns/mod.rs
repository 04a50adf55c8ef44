//! The authoritative DNS server: UDP and TCP on one port of 127.0.0.1.
//!
//! ```text
//! RFC 1035 §4.2.2 (and RFC 7766 §8): over TCP, each message is prefixed
//!   with a two byte length field which gives the message length, excluding
//!   the two byte length field.
//! RFC 7766 §6.2.3: a server may process several queries on one connection.
//! ```

pub(crate) mod demo_zone;
mod responder;
pub(crate) mod zone;

use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream, UdpSocket};
use tokio::task::JoinSet;
use tokio::time::timeout;

use crate::error::DemoError;
use responder::{Transport, respond};
use zone::Zone;

/// How many ports are tried for one free for both UDP and TCP.
const PORT_ATTEMPTS: u32 = 16;
/// The largest UDP query read; longer datagrams are cut and answered FORMERR.
const UDP_BUFFER: usize = 4096;
/// How long an idle TCP connection stays open (RFC 7766 §6.2.3 suggests seconds).
const TCP_IDLE_TIMEOUT: Duration = Duration::from_secs(10);
/// TCP connections served at once.
const MAX_TCP_CONNECTIONS: usize = 64;

/// The UDP socket and the TCP listener, bound to the same port.
#[derive(Debug)]
pub(crate) struct DnsSockets {
    udp: UdpSocket,
    tcp: TcpListener,
}

impl DnsSockets {
    /// Binds an ephemeral UDP port on 127.0.0.1 and the same port for TCP,
    /// trying again with another port if that TCP port is taken.
    pub(crate) async fn bind() -> Result<Self, DemoError> {
        let any = SocketAddr::from((Ipv4Addr::LOCALHOST, 0));
        let bind_error = |address, source| DemoError::Bind {
            service: "dns",
            address,
            source,
        };
        for _ in 0..PORT_ATTEMPTS {
            let udp = UdpSocket::bind(any)
                .await
                .map_err(|source| bind_error(any, source))?;
            let address = udp.local_addr().map_err(|source| bind_error(any, source))?;
            match TcpListener::bind(address).await {
                Ok(tcp) => return Ok(Self { udp, tcp }),
                Err(error) if error.kind() == io::ErrorKind::AddrInUse => continue,
                Err(source) => return Err(bind_error(address, source)),
            }
        }
        Err(DemoError::NoDnsPort {
            attempts: PORT_ATTEMPTS,
        })
    }

    /// The address both sockets listen on.
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.udp.local_addr()
    }

    /// Spawns the UDP and the TCP server into `tasks`.
    pub(crate) fn spawn(self, tasks: &mut JoinSet<()>, zones: Arc<[Zone]>) {
        tasks.spawn(serve_udp(self.udp, Arc::clone(&zones)));
        tasks.spawn(serve_tcp(self.tcp, zones));
    }
}

async fn serve_udp(socket: UdpSocket, zones: Arc<[Zone]>) {
    let mut buffer = vec![0_u8; UDP_BUFFER];
    loop {
        let (length, peer) = match socket.recv_from(&mut buffer).await {
            Ok(received) => received,
            Err(error) => {
                tracing::debug!(%error, "DNS UDP receive failed");
                continue;
            }
        };
        let request = buffer.get(..length).unwrap_or_default();
        if let Some(response) = respond(&zones, request, Transport::Udp)
            && let Err(error) = socket.send_to(&response, peer).await
        {
            tracing::debug!(%peer, %error, "DNS UDP send failed");
        }
    }
}

async fn serve_tcp(listener: TcpListener, zones: Arc<[Zone]>) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        if connections.len() >= MAX_TCP_CONNECTIONS {
            let _ = connections.join_next().await;
            continue;
        }
        match listener.accept().await {
            Ok((stream, peer)) => {
                connections.spawn(serve_tcp_connection(stream, peer, Arc::clone(&zones)));
            }
            Err(error) => {
                tracing::debug!(%error, "DNS TCP accept failed");
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }
}

/// Answers length-prefixed queries until the client closes, goes idle, or
/// sends something that is not a query.
async fn serve_tcp_connection(mut stream: TcpStream, peer: SocketAddr, zones: Arc<[Zone]>) {
    loop {
        let mut length = [0_u8; 2];
        match timeout(TCP_IDLE_TIMEOUT, stream.read_exact(&mut length)).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) | Err(_) => return,
        }
        let mut request = vec![0_u8; usize::from(u16::from_be_bytes(length))];
        match timeout(TCP_IDLE_TIMEOUT, stream.read_exact(&mut request)).await {
            Ok(Ok(_)) => {}
            Ok(Err(_)) | Err(_) => return,
        }
        let Some(response) = respond(&zones, &request, Transport::Tcp) else {
            tracing::debug!(%peer, "DNS TCP message that cannot be answered; closing");
            return;
        };
        let Ok(prefix) = u16::try_from(response.len()) else {
            return;
        };
        let mut framed = Vec::with_capacity(response.len() + 2);
        framed.extend_from_slice(&prefix.to_be_bytes());
        framed.extend_from_slice(&response);
        if stream.write_all(&framed).await.is_err() {
            return;
        }
    }
}
