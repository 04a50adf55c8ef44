//! Exchange of whole DNS messages. The wire format itself belongs to `mailtls-dns`;
//! the transport only needs the header fields that decide delivery.
//!
//! ```text
//! RFC 1035 §4.1.1 header              RFC 1035 §4.2.2 TCP
//!   octets 0-1  ID                      two-octet length, then the message
//!   octet  2    QR|Opcode|AA|TC|RD
//! RFC 7766 §5: a truncated (TC) UDP answer is retried over TCP.
//! ```

use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpStream, UdpSocket};
use tokio::time::{Instant, timeout_at};

/// The largest DNS message: the TCP length prefix is 16 bits.
const MAX_MESSAGE: usize = 65_535;
const HEADER_LEN: usize = 12;

/// Why a DNS exchange failed. A response that arrived, however odd, is not an
/// error here: judging its content is the resolver's job.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DnsTransportError {
    /// The query is not a DNS message (shorter than a header).
    #[error("the query is {length} octets, shorter than a DNS header")]
    QueryTooShort {
        /// Its length.
        length: usize,
    },
    /// The query does not fit a DNS message.
    #[error("the query is {length} octets; a DNS message has at most 65535")]
    QueryTooLong {
        /// Its length.
        length: usize,
    },
    /// No matching answer within the timeout, after every attempt.
    #[error("no answer from {server} after {attempts} attempt(s) of {} ms", timeout.as_millis())]
    Timeout {
        /// The server asked.
        server: SocketAddr,
        /// How many times.
        attempts: u32,
        /// The per-attempt timeout.
        timeout: Duration,
    },
    /// The server's TCP answer was not a DNS message.
    #[error("malformed answer from {server}: {reason}")]
    Malformed {
        /// The server asked.
        server: SocketAddr,
        /// What was wrong.
        reason: String,
    },
    /// A socket error.
    #[error("DNS exchange with {server} failed: {message}")]
    Io {
        /// The server asked.
        server: SocketAddr,
        /// The kind of error.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
}

/// Sends one DNS query message and returns the answer message.
#[async_trait]
pub trait DnsTransport: Send + Sync {
    /// Exchanges `query` (a complete DNS message) for the server's answer.
    async fn exchange(&self, query: &[u8]) -> Result<Vec<u8>, DnsTransportError>;

    /// The server this transport talks to, for the report.
    fn server(&self) -> SocketAddr;
}

/// DNS over UDP to one server, with TCP when the answer is truncated.
#[derive(Debug, Clone)]
pub struct UdpTcpTransport {
    server: SocketAddr,
    timeout: Duration,
    attempts: u32,
}

impl UdpTcpTransport {
    /// Talks to `server`, waiting `timeout` per attempt, `attempts` times over UDP.
    pub fn new(server: SocketAddr, timeout: Duration, attempts: u32) -> Self {
        Self {
            server,
            timeout,
            attempts: attempts.max(1),
        }
    }

    fn io_error(&self, error: &io::Error) -> DnsTransportError {
        if error.kind() == io::ErrorKind::TimedOut {
            return DnsTransportError::Timeout {
                server: self.server,
                attempts: 1,
                timeout: self.timeout,
            };
        }
        DnsTransportError::Io {
            server: self.server,
            kind: error.kind(),
            message: error.to_string(),
        }
    }

    async fn exchange_udp(&self, query: &[u8]) -> Result<Option<Vec<u8>>, DnsTransportError> {
        let local: SocketAddr = if self.server.is_ipv4() {
            (Ipv4Addr::UNSPECIFIED, 0).into()
        } else {
            (Ipv6Addr::UNSPECIFIED, 0).into()
        };
        let socket = UdpSocket::bind(local).await.map_err(|e| self.io_error(&e))?;
        // connect() makes the kernel drop datagrams from any other source.
        socket.connect(self.server).await.map_err(|e| self.io_error(&e))?;
        let mut buffer = vec![0u8; MAX_MESSAGE];
        for _ in 0..self.attempts {
            socket.send(query).await.map_err(|e| self.io_error(&e))?;
            let deadline = Instant::now() + self.timeout;
            loop {
                let received = match timeout_at(deadline, socket.recv(&mut buffer)).await {
                    Err(_) => break,
                    Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused => {
                        return Err(self.io_error(&error));
                    }
                    Ok(Err(error)) => return Err(self.io_error(&error)),
                    Ok(Ok(received)) => received,
                };
                let answer = buffer.get(..received).unwrap_or_default();
                // Datagrams with another ID are late answers to earlier attempts or spoofs.
                if answer.len() >= HEADER_LEN && answer.get(..2) == query.get(..2) {
                    return Ok(Some(answer.to_vec()));
                }
            }
        }
        Ok(None)
    }

    async fn exchange_tcp(&self, query: &[u8]) -> Result<Vec<u8>, DnsTransportError> {
        let deadline = Instant::now() + self.timeout;
        let timed_out = || DnsTransportError::Timeout {
            server: self.server,
            attempts: 1,
            timeout: self.timeout,
        };
        let mut stream = timeout_at(deadline, TcpStream::connect(self.server))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| self.io_error(&e))?;
        let length = u16::try_from(query.len())
            .map_err(|_| DnsTransportError::QueryTooLong { length: query.len() })?;
        let mut framed = Vec::with_capacity(query.len() + 2);
        framed.extend_from_slice(&length.to_be_bytes());
        framed.extend_from_slice(query);
        timeout_at(deadline, stream.write_all(&framed))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| self.io_error(&e))?;
        let mut prefix = [0u8; 2];
        timeout_at(deadline, stream.read_exact(&mut prefix))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| self.io_error(&e))?;
        let length = usize::from(u16::from_be_bytes(prefix));
        if length < HEADER_LEN {
            return Err(DnsTransportError::Malformed {
                server: self.server,
                reason: format!("TCP answer of {length} octets is shorter than a DNS header"),
            });
        }
        let mut answer = vec![0u8; length];
        timeout_at(deadline, stream.read_exact(&mut answer))
            .await
            .map_err(|_| timed_out())?
            .map_err(|e| self.io_error(&e))?;
        if answer.get(..2) != query.get(..2) {
            return Err(DnsTransportError::Malformed {
                server: self.server,
                reason: "TCP answer carries another message ID than the query".into(),
            });
        }
        Ok(answer)
    }
}

/// Whether the TC (truncated) bit is set in a message header.
fn is_truncated(message: &[u8]) -> bool {
    message.get(2).is_some_and(|flags| flags & 0x02 != 0)
}

#[async_trait]
impl DnsTransport for UdpTcpTransport {
    async fn exchange(&self, query: &[u8]) -> Result<Vec<u8>, DnsTransportError> {
        if query.len() < HEADER_LEN {
            return Err(DnsTransportError::QueryTooShort { length: query.len() });
        }
        if query.len() > MAX_MESSAGE {
            return Err(DnsTransportError::QueryTooLong { length: query.len() });
        }
        match self.exchange_udp(query).await? {
            Some(answer) if is_truncated(&answer) => self.exchange_tcp(query).await,
            Some(answer) => Ok(answer),
            None => Err(DnsTransportError::Timeout {
                server: self.server,
                attempts: self.attempts,
                timeout: self.timeout,
            }),
        }
    }

    fn server(&self) -> SocketAddr {
        self.server
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::net::TcpListener;

    fn query(id: u16) -> Vec<u8> {
        let mut message = id.to_be_bytes().to_vec();
        message.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
        message.extend_from_slice(b"\x07example\x00\x00\x01\x00\x01");
        message
    }

    /// Turns a query into an answer header: QR set, optionally TC.
    fn answer_to(query: &[u8], truncated: bool) -> Vec<u8> {
        let mut answer = query.to_vec();
        answer[2] |= 0x80;
        if truncated {
            answer[2] |= 0x02;
        }
        answer
    }

    #[tokio::test]
    async fn udp_answer_with_matching_id_is_returned() {
        let server = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = server.local_addr().unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let (n, from) = server.recv_from(&mut buf).await.unwrap();
            // A stray answer with the wrong ID first: it must be ignored.
            server.send_to(&answer_to(&query(9), false), from).await.unwrap();
            server.send_to(&answer_to(&buf[..n], false), from).await.unwrap();
        });
        let transport = UdpTcpTransport::new(address, Duration::from_secs(2), 1);
        let answer = transport.exchange(&query(0x1234)).await.unwrap();
        assert_eq!(answer, answer_to(&query(0x1234), false));
    }

    #[tokio::test]
    async fn truncated_udp_answer_is_retried_over_tcp() {
        let udp = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = udp.local_addr().unwrap();
        let tcp = TcpListener::bind(address).await.unwrap();
        tokio::spawn(async move {
            let mut buf = [0u8; 512];
            let (n, from) = udp.recv_from(&mut buf).await.unwrap();
            udp.send_to(&answer_to(&buf[..n], true), from).await.unwrap();
        });
        tokio::spawn(async move {
            let (mut socket, _) = tcp.accept().await.unwrap();
            let mut prefix = [0u8; 2];
            socket.read_exact(&mut prefix).await.unwrap();
            let mut message = vec![0u8; usize::from(u16::from_be_bytes(prefix))];
            socket.read_exact(&mut message).await.unwrap();
            let mut answer = answer_to(&message, false);
            answer.extend_from_slice(&[0xAA; 1000]);
            let mut framed = u16::try_from(answer.len()).unwrap().to_be_bytes().to_vec();
            framed.extend_from_slice(&answer);
            socket.write_all(&framed).await.unwrap();
        });
        let transport = UdpTcpTransport::new(address, Duration::from_secs(2), 1);
        let answer = transport.exchange(&query(7)).await.unwrap();
        assert_eq!(answer.len(), query(7).len() + 1000);
        assert!(!is_truncated(&answer));
    }

    #[tokio::test]
    async fn silent_server_times_out_after_every_attempt() {
        let server = UdpSocket::bind("127.0.0.1:0").await.unwrap();
        let address = server.local_addr().unwrap();
        let transport = UdpTcpTransport::new(address, Duration::from_millis(50), 3);
        let error = transport.exchange(&query(1)).await.unwrap_err();
        assert_eq!(
            error,
            DnsTransportError::Timeout {
                server: address,
                attempts: 3,
                timeout: Duration::from_millis(50)
            }
        );
        drop(server);
    }

    #[tokio::test]
    async fn short_query_is_refused_before_sending() {
        let transport = UdpTcpTransport::new("127.0.0.1:53".parse().unwrap(), Duration::from_millis(50), 1);
        assert_eq!(
            transport.exchange(&[0u8; 5]).await.unwrap_err(),
            DnsTransportError::QueryTooShort { length: 5 }
        );
    }
}
