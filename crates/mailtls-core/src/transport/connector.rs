use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_trait::async_trait;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;
use tokio_io_timeout::TimeoutStream;

/// A byte stream to a server: what a [`Connector`] hands out.
pub trait Stream: AsyncRead + AsyncWrite + Unpin + Send + 'static {}
impl<T: AsyncRead + AsyncWrite + Unpin + Send + 'static> Stream for T {}

/// A boxed [`Stream`].
pub type BoxStream = Box<dyn Stream>;

/// Why a connection could not be opened.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConnectError {
    /// The server answered with a TCP reset.
    #[error("connection to {address} refused")]
    Refused {
        /// Where to.
        address: SocketAddr,
    },
    /// No answer within the timeout.
    #[error("connection to {address} timed out after {} ms", after.as_millis())]
    Timeout {
        /// Where to.
        address: SocketAddr,
        /// The timeout that expired.
        after: Duration,
    },
    /// Any other socket error (unreachable network, no route, a local limit).
    #[error("connection to {address} failed: {message}")]
    Io {
        /// Where to.
        address: SocketAddr,
        /// The kind of error.
        kind: io::ErrorKind,
        /// The operating system's message.
        message: String,
    },
}

/// Opens TCP connections. The only way mailtls reaches a server.
#[async_trait]
pub trait Connector: Send + Sync {
    /// Connects to `address`, giving up after `timeout`.
    async fn connect(&self, address: SocketAddr, timeout: Duration) -> Result<BoxStream, ConnectError>;
}

/// Plain TCP through tokio. Every read and write on the returned stream fails
/// with [`io::ErrorKind::TimedOut`] when it makes no progress for `io_timeout`,
/// so that a silent server cannot hold a probe forever.
#[derive(Debug, Clone, Copy)]
pub struct TcpConnector {
    /// Longest a single read or write may wait.
    pub io_timeout: Duration,
}

impl Default for TcpConnector {
    fn default() -> Self {
        Self {
            io_timeout: Duration::from_secs(30),
        }
    }
}

#[async_trait]
impl Connector for TcpConnector {
    async fn connect(&self, address: SocketAddr, timeout: Duration) -> Result<BoxStream, ConnectError> {
        let stream = match tokio::time::timeout(timeout, TcpStream::connect(address)).await {
            Err(_) => {
                return Err(ConnectError::Timeout {
                    address,
                    after: timeout,
                });
            }
            Ok(Err(error)) if error.kind() == io::ErrorKind::ConnectionRefused => {
                return Err(ConnectError::Refused { address });
            }
            Ok(Err(error)) => {
                return Err(ConnectError::Io {
                    address,
                    kind: error.kind(),
                    message: error.to_string(),
                });
            }
            Ok(Ok(stream)) => stream,
        };
        // Small writes (one command line) should leave at once.
        let _ = stream.set_nodelay(true);
        let mut stream = TimeoutStream::new(stream);
        stream.set_read_timeout(Some(self.io_timeout));
        stream.set_write_timeout(Some(self.io_timeout));
        let stream: Pin<Box<TimeoutStream<TcpStream>>> = Box::pin(stream);
        Ok(Box::new(stream))
    }
}

/// Wraps a connector and counts the connections it opened, for the report's
/// `connections` figure.
#[derive(Debug, Default)]
pub struct CountingConnector<C> {
    inner: C,
    opened: AtomicU64,
}

impl<C> CountingConnector<C> {
    /// Counts connections made through `inner`.
    pub fn new(inner: C) -> Self {
        Self {
            inner,
            opened: AtomicU64::new(0),
        }
    }

    /// Connections opened so far.
    pub fn opened(&self) -> u64 {
        self.opened.load(Ordering::Relaxed)
    }
}

#[async_trait]
impl<C: Connector> Connector for CountingConnector<C> {
    async fn connect(&self, address: SocketAddr, timeout: Duration) -> Result<BoxStream, ConnectError> {
        let stream = self.inner.connect(address, timeout).await?;
        self.opened.fetch_add(1, Ordering::Relaxed);
        Ok(stream)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    #[tokio::test]
    async fn connects_and_counts() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            socket.write_all(b"hello").await.unwrap();
        });
        let connector = CountingConnector::new(TcpConnector::default());
        let mut stream = connector.connect(address, Duration::from_secs(5)).await.unwrap();
        let mut buf = [0u8; 5];
        stream.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"hello");
        assert_eq!(connector.opened(), 1);
        server.await.unwrap();
    }

    #[tokio::test]
    async fn refused_is_reported_as_refused() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        drop(listener);
        let connector = CountingConnector::new(TcpConnector::default());
        let error = connector
            .connect(address, Duration::from_secs(5))
            .await
            .err()
            .unwrap();
        assert_eq!(error, ConnectError::Refused { address });
        assert_eq!(connector.opened(), 0);
    }

    #[tokio::test]
    async fn silent_server_read_times_out() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let _server = tokio::spawn(async move {
            let (socket, _) = listener.accept().await.unwrap();
            tokio::time::sleep(Duration::from_secs(30)).await;
            drop(socket);
        });
        let connector = TcpConnector {
            io_timeout: Duration::from_millis(100),
        };
        let mut stream = connector.connect(address, Duration::from_secs(5)).await.unwrap();
        let mut buf = [0u8; 1];
        let error = stream.read(&mut buf).await.unwrap_err();
        assert_eq!(error.kind(), io::ErrorKind::TimedOut);
    }
}
