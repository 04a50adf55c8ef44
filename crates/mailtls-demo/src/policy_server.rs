//! The MTA-STS policy host: HTTPS on loopback serving
//! `/.well-known/mta-sts.txt` (RFC 8461 §3.2) with the demo's policy.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_rustls::TlsAcceptor;

/// The policy: enforce, covering the demo's only MX, for a week.
pub(crate) const POLICY: &str =
    "version: STSv1\r\nmode: enforce\r\nmx: mx1.demo.mailtls.test\r\nmax_age: 604800\r\n";
/// Longest request head read.
const MAX_REQUEST: usize = 8 * 1024;
/// How long a client may take to send its request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// Accepts connections for as long as the task lives.
pub(crate) async fn serve(listener: TcpListener, acceptor: TlsAcceptor) {
    let mut connections = JoinSet::new();
    loop {
        while connections.try_join_next().is_some() {}
        match listener.accept().await {
            Ok((stream, _)) => {
                let acceptor = acceptor.clone();
                connections.spawn(async move {
                    let _ = tokio::time::timeout(REQUEST_TIMEOUT, answer(stream, acceptor)).await;
                });
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
        }
    }
}

async fn answer(stream: tokio::net::TcpStream, acceptor: TlsAcceptor) -> std::io::Result<()> {
    let mut tls = acceptor.accept(stream).await?;
    let mut request = Vec::new();
    let mut chunk = [0u8; 1024];
    while !request.windows(4).any(|window| window == b"\r\n\r\n") {
        let read = tls.read(&mut chunk).await?;
        if read == 0 || request.len() > MAX_REQUEST {
            return Ok(());
        }
        request.extend_from_slice(chunk.get(..read).unwrap_or_default());
    }
    let response = if request.starts_with(b"GET /.well-known/mta-sts.txt ") {
        format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{POLICY}",
            POLICY.len()
        )
    } else {
        "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_owned()
    };
    tls.write_all(response.as_bytes()).await?;
    tls.shutdown().await
}
