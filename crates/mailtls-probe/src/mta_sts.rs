//! Fetching an MTA-STS policy the way a sending MTA does (RFC 8461 §3.3).
//!
//! ```text
//! RFC 8461 §3.3  The policy is fetched from
//!     https://mta-sts.<domain>/.well-known/mta-sts.txt
//!   "When fetching a policy, senders SHOULD validate that the media type is
//!    text/plain" … "HTTP 3xx redirects MUST NOT be followed" … the server's
//!    certificate MUST be valid for "mta-sts.<domain>" (PKIX, RFC 6125);
//!   senders may limit the policy body (64 KiB is the figure given in §3.3)
//!   and SHOULD time out the fetch (60 seconds at most, §3.3).
//! ```
//!
//! The fetch reports every step as evidence: the addresses tried, the TLS
//! handshake and its trust verdict, the status line, the media type, the
//! body as served. A policy that a sender would refuse is reported with the
//! reason, never silently used.

use std::net::SocketAddr;
use std::time::Duration;

use mailtls_core::transport::Connector;
use mailtls_core::{Domain, TlsHandshake, TrustVerdict};
use mailtls_dns::RecordIssue;
use mailtls_dns::mta_sts::{MtaStsPolicy, parse_policy};
use rustls::pki_types::ServerName;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::tls::{self, TrustAnchors};

/// The path of the policy file.
pub const POLICY_PATH: &str = "/.well-known/mta-sts.txt";
/// Largest policy body accepted.
pub const MAX_BODY: usize = 64 * 1024;
/// Largest response head (status line and headers) accepted.
const MAX_HEAD: usize = 16 * 1024;
/// Most headers parsed.
const MAX_HEADERS: usize = 64;

/// What fetching the policy showed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PolicyFetch {
    /// The URL fetched.
    pub url: String,
    /// The address the fetch went to.
    pub address: Option<SocketAddr>,
    /// The TLS handshake with the policy host.
    pub tls: Option<TlsHandshake>,
    /// The HTTP status code.
    pub status: Option<u16>,
    /// The `Content-Type` header as served.
    pub content_type: Option<String>,
    /// The `Location` header of a redirect (not followed).
    pub location: Option<String>,
    /// The body as served (lossily UTF-8), when it was read.
    pub body: Option<String>,
    /// The policy, when a sender would accept it.
    pub policy: Option<MtaStsPolicy>,
    /// Problems the policy parser found.
    pub issues: Vec<RecordIssue>,
    /// Why a sender would not use the policy, if it would not.
    pub failure: Option<String>,
}

impl PolicyFetch {
    /// A fetch of `url` that has not happened yet.
    pub fn new(url: String) -> Self {
        Self {
            url,
            address: None,
            tls: None,
            status: None,
            content_type: None,
            location: None,
            body: None,
            policy: None,
            issues: Vec::new(),
            failure: None,
        }
    }
}

/// A response too odd to read further.
fn failed(mut fetch: PolicyFetch, reason: impl Into<String>) -> PolicyFetch {
    fetch.failure = Some(reason.into());
    fetch
}

/// Fetches and checks the MTA-STS policy of `domain` from `addresses` (those
/// of `mta-sts.<domain>`), trying each address until one answers.
pub async fn fetch_policy(
    connector: &dyn Connector,
    trust: &TrustAnchors,
    domain: &Domain,
    addresses: &[SocketAddr],
    timeout: Duration,
) -> PolicyFetch {
    let host = format!("mta-sts.{domain}");
    let fetch = PolicyFetch::new(format!("https://{host}{POLICY_PATH}"));
    let Ok(server_name) = ServerName::try_from(host.clone()) else {
        return failed(fetch, format!("{host} is not a valid TLS server name"));
    };
    let mut last_error = format!("{host} has no address");
    for address in addresses {
        match connector.connect(*address, timeout).await {
            Ok(stream) => {
                let fetch = PolicyFetch {
                    address: Some(*address),
                    ..fetch
                };
                return match tokio::time::timeout(
                    timeout * 2,
                    over_tls(stream, server_name, trust, &host, timeout, fetch.clone()),
                )
                .await
                {
                    Ok(done) => done,
                    Err(_) => failed(fetch, "the policy fetch took too long"),
                };
            }
            Err(error) => last_error = error.to_string(),
        }
    }
    failed(fetch, last_error)
}

async fn over_tls(
    stream: mailtls_core::transport::BoxStream,
    server_name: ServerName<'static>,
    trust: &TrustAnchors,
    host: &str,
    timeout: Duration,
    mut fetch: PolicyFetch,
) -> PolicyFetch {
    let (mut stream, handshake) =
        match tls::handshake(stream, server_name, trust, &[b"http/1.1"], timeout, None).await {
            Ok(done) => done,
            Err(reason) => return failed(fetch, reason),
        };
    let trusted = handshake.trust == TrustVerdict::Trusted;
    let verdict = format!("{:?}", handshake.trust);
    fetch.tls = Some(handshake);
    if !trusted {
        // RFC 8461 §3.3: the policy host's certificate MUST be valid.
        return failed(
            fetch,
            format!("the certificate of {host} is not trusted: {verdict}"),
        );
    }
    let request = format!(
        "GET {POLICY_PATH} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: mailtls/{}\r\nAccept: text/plain\r\n\
         Connection: close\r\n\r\n",
        env!("CARGO_PKG_VERSION")
    );
    if let Err(error) = stream.write_all(request.as_bytes()).await {
        return failed(fetch, format!("sending the request failed: {error}"));
    }
    let mut received = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        match stream.read(&mut chunk).await {
            Ok(0) => break,
            Ok(read) => {
                received.extend_from_slice(chunk.get(..read).unwrap_or_default());
                if received.len() > MAX_HEAD + MAX_BODY {
                    return failed(
                        fetch,
                        format!("the response is larger than {} bytes", MAX_HEAD + MAX_BODY),
                    );
                }
                if response_complete(&received) {
                    break;
                }
            }
            // A close without TLS close_notify after the whole body is common.
            Err(_) if response_complete(&received) => break,
            Err(error) => return failed(fetch, format!("reading the response failed: {error}")),
        }
    }
    read_response(fetch, &received)
}

/// Whether `received` holds a whole response with a known length.
fn response_complete(received: &[u8]) -> bool {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    match response.parse(received) {
        Ok(httparse::Status::Complete(head)) => content_length(response.headers)
            .is_some_and(|length| received.len().saturating_sub(head) >= length),
        _ => false,
    }
}

fn header<'h>(headers: &'h [httparse::Header<'_>], name: &str) -> Option<&'h [u8]> {
    headers
        .iter()
        .find(|h| h.name.eq_ignore_ascii_case(name))
        .map(|h| h.value)
}

fn content_length(headers: &[httparse::Header<'_>]) -> Option<usize> {
    std::str::from_utf8(header(headers, "content-length")?)
        .ok()?
        .trim()
        .parse()
        .ok()
}

/// Reads a whole HTTP/1.1 response and judges it as a sender would. Sans-IO.
pub fn read_response(mut fetch: PolicyFetch, received: &[u8]) -> PolicyFetch {
    let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
    let mut response = httparse::Response::new(&mut headers);
    let head = match response.parse(received) {
        Ok(httparse::Status::Complete(head)) => head,
        Ok(httparse::Status::Partial) => return failed(fetch, "the response ended before its headers did"),
        Err(error) => return failed(fetch, format!("not an HTTP response: {error}")),
    };
    let status = response.code.unwrap_or(0);
    fetch.status = Some(status);
    let text = |value: &[u8]| String::from_utf8_lossy(value).into_owned();
    fetch.content_type = header(response.headers, "content-type").map(text);
    fetch.location = header(response.headers, "location").map(text);
    if (300..400).contains(&status) {
        return failed(
            fetch,
            format!("HTTP {status}: redirects must not be followed (RFC 8461 §3.3)"),
        );
    }
    if status != 200 {
        return failed(
            fetch,
            format!("HTTP {status}: the policy host did not serve the policy"),
        );
    }
    let rest = received.get(head..).unwrap_or_default();
    let chunked = header(response.headers, "transfer-encoding").is_some_and(|value| {
        String::from_utf8_lossy(value)
            .to_ascii_lowercase()
            .contains("chunked")
    });
    let body = if chunked {
        match dechunk(rest) {
            Ok(body) => body,
            Err(reason) => return failed(fetch, reason),
        }
    } else {
        match content_length(response.headers) {
            Some(length) if length > MAX_BODY => {
                return failed(
                    fetch,
                    format!("the policy is {length} bytes; at most {MAX_BODY} are accepted"),
                );
            }
            Some(length) => rest.get(..length).unwrap_or(rest).to_vec(),
            None => rest.to_vec(),
        }
    };
    if body.len() > MAX_BODY {
        return failed(fetch, format!("the policy is larger than {MAX_BODY} bytes"));
    }
    let body = String::from_utf8_lossy(&body).into_owned();
    let media_type = fetch.content_type.as_deref().map(|value| {
        value
            .split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    });
    let (policy, issues) = parse_policy(&body);
    fetch.body = Some(body);
    fetch.issues = issues;
    if media_type.as_deref() != Some("text/plain") {
        let served = fetch.content_type.clone().unwrap_or_else(|| "missing".into());
        return failed(
            fetch,
            format!("the media type is {served}, not text/plain (RFC 8461 §3.3)"),
        );
    }
    match policy {
        Some(policy) => fetch.policy = Some(policy),
        None => return failed(fetch, "the body is not a valid MTA-STS policy"),
    }
    fetch
}

/// Decodes a chunked body (RFC 9112 §7.1), bounded by [`MAX_BODY`].
fn dechunk(mut input: &[u8]) -> Result<Vec<u8>, String> {
    let mut body = Vec::new();
    loop {
        let line_end = input
            .windows(2)
            .position(|pair| pair == b"\r\n")
            .ok_or("a chunk size line does not end")?;
        let size_text = String::from_utf8_lossy(input.get(..line_end).unwrap_or_default()).into_owned();
        let size_hex = size_text.split(';').next().unwrap_or_default().trim();
        let size =
            usize::from_str_radix(size_hex, 16).map_err(|_| format!("bad chunk size {size_text:?}"))?;
        input = input.get(line_end + 2..).unwrap_or_default();
        if size == 0 {
            return Ok(body);
        }
        if body.len().saturating_add(size) > MAX_BODY {
            return Err(format!("the policy is larger than {MAX_BODY} bytes"));
        }
        let data = input.get(..size).ok_or("a chunk is shorter than its size")?;
        body.extend_from_slice(data);
        input = input.get(size + 2..).unwrap_or_default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> PolicyFetch {
        PolicyFetch::new("https://mta-sts.example.test/.well-known/mta-sts.txt".into())
    }

    const POLICY: &str = "version: STSv1\r\nmode: enforce\r\nmx: mx1.example.test\r\nmax_age: 604800\r\n";

    #[test]
    fn valid_policy_with_content_length() {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\n\r\n{POLICY}",
            POLICY.len()
        );
        let fetch = read_response(empty(), response.as_bytes());
        assert_eq!(fetch.failure, None);
        assert_eq!(fetch.status, Some(200));
        let policy = fetch.policy.unwrap();
        assert_eq!(policy.max_age, 604_800);
        assert_eq!(fetch.body.as_deref(), Some(POLICY));
    }

    #[test]
    fn chunked_body_is_decoded() {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n{}\r\n{:x}\r\n{}\r\n0\r\n\r\n",
            &POLICY[..16],
            POLICY.len() - 16,
            &POLICY[16..]
        );
        let fetch = read_response(empty(), response.as_bytes());
        assert_eq!(fetch.failure, None, "{fetch:?}");
        assert_eq!(fetch.body.as_deref(), Some(POLICY));
    }

    #[test]
    fn redirect_is_not_followed() {
        let response =
            "HTTP/1.1 301 Moved\r\nLocation: https://elsewhere.test/p.txt\r\nContent-Length: 0\r\n\r\n";
        let fetch = read_response(empty(), response.as_bytes());
        assert_eq!(fetch.status, Some(301));
        assert_eq!(fetch.location.as_deref(), Some("https://elsewhere.test/p.txt"));
        assert!(fetch.failure.unwrap().contains("redirects must not be followed"));
        assert!(fetch.policy.is_none());
    }

    #[test]
    fn wrong_media_type_is_refused_but_the_body_is_kept() {
        let response = format!("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n{POLICY}");
        let fetch = read_response(empty(), response.as_bytes());
        assert!(fetch.failure.unwrap().contains("text/html"));
        assert_eq!(fetch.body.as_deref(), Some(POLICY));
        assert!(fetch.policy.is_none());
    }

    #[test]
    fn oversized_policy_is_refused() {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        assert!(
            read_response(empty(), response.as_bytes())
                .failure
                .unwrap()
                .contains("at most 65536")
        );
    }

    #[test]
    fn not_found_and_garbage() {
        let fetch = read_response(empty(), b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        assert!(fetch.failure.unwrap().contains("HTTP 404"));
        let fetch = read_response(empty(), b"\x16\x03\x01garbage");
        assert!(fetch.failure.unwrap().contains("not an HTTP response"));
        let fetch = read_response(empty(), b"HTTP/1.1 200 OK\r\nContent-");
        assert!(fetch.failure.unwrap().contains("ended before its headers"));
    }

    #[test]
    fn bad_chunks_are_errors() {
        assert!(dechunk(b"zz\r\nabc").is_err());
        assert!(dechunk(b"10\r\nshort").is_err());
        assert!(dechunk(b"5").is_err());
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn read_response_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..600)) {
                let _ = read_response(empty(), &bytes);
            }

            #[test]
            fn dechunk_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..200)) {
                let _ = dechunk(&bytes);
            }
        }
    }
}
