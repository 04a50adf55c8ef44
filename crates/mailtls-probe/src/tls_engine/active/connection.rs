//! What every active probe does first: open a connection through the
//! [`HandshakeOpener`], counted, bounded in time, and stopped for good when
//! the server says it is throttling; send a TLS ≤ 1.2 ClientHello and read
//! the server's first flight up to ServerHelloDone.
//!
//! ```text
//! RFC 5246 §7.3: the server's first flight
//!   ServerHello, Certificate*, ServerKeyExchange*, CertificateRequest*, ServerHelloDone
//! ```

use std::time::Duration;

use mailtls_core::transport::BoxStream;

use crate::tls_engine::BuildError;
use crate::tls_engine::alert::Alert;
use crate::tls_engine::cipher_suites::EMPTY_RENEGOTIATION_INFO_SCSV;
use crate::tls_engine::client_hello::{ClientHelloSpec, pad_out_of_f5_range};
use crate::tls_engine::exchange::{Exchange, ExchangeEnd, HandshakeOpener, OpenError, exchange};
use crate::tls_engine::extensions::{self, Extension};
use crate::tls_engine::record::{RecordReader, ServerEvent};
use crate::tls_engine::server_messages::ServerHello;
use crate::tls_engine::version::ProtocolVersion;

/// Groups offered in `supported_groups`: x25519, secp256r1, secp384r1, secp521r1.
const GROUPS: [u16; 4] = [0x001D, 0x0017, 0x0018, 0x0019];

/// Signature schemes offered in TLS 1.2: ECDSA, RSA-PSS, RSA PKCS#1 with
/// SHA-256/384/512, and the SHA-1 pair old servers need.
const SIGNATURE_SCHEMES: [u16; 11] = [
    0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601, 0x0203, 0x0201,
];

/// Opens connections for the probes: counts them, bounds the STARTTLS
/// dialogue in time, and refuses to open more once the server throttled.
pub(crate) struct Dialer<'a> {
    opener: &'a dyn HandshakeOpener,
    /// The longest wait for one reply.
    pub(crate) timeout: Duration,
    /// The name for SNI.
    pub(crate) server_name: Option<String>,
    throttled: Option<String>,
}

impl<'a> Dialer<'a> {
    /// A dialer over `opener`.
    pub(crate) fn new(
        opener: &'a dyn HandshakeOpener,
        timeout: Duration,
        server_name: Option<String>,
    ) -> Self {
        Self {
            opener,
            timeout,
            server_name,
            throttled: None,
        }
    }

    /// Why no more connections may be opened, once the server throttled.
    pub(crate) fn throttled(&self) -> Option<&str> {
        self.throttled.as_deref()
    }

    /// Opens no more connections: another dialer saw the server throttle.
    pub(crate) fn throttle(&mut self, reason: &str) {
        if self.throttled.is_none() {
            self.throttled = Some(reason.to_owned());
        }
    }

    /// A ClientHello for `version` offering `suites` and `extra` extensions,
    /// with this dialer's server name and a fresh random (see
    /// [`client_hello`]). The error is the reason in words.
    pub(crate) fn hello(
        &self,
        version: ProtocolVersion,
        suites: &[u16],
        extra: Vec<Extension>,
    ) -> Result<Vec<u8>, String> {
        client_hello(
            version,
            suites,
            self.server_name.as_deref(),
            extra,
            client_random(),
        )
        .map_err(|error| error.to_string())
    }

    /// A new connection ready for a ClientHello; every attempt adds one to
    /// `connections`. The error is the reason in words.
    pub(crate) async fn open(&mut self, connections: &mut u64) -> Result<BoxStream, String> {
        if let Some(reason) = &self.throttled {
            return Err(reason.clone());
        }
        *connections = connections.saturating_add(1);
        // A STARTTLS dialogue is a greeting and two or three replies.
        let deadline = self.timeout.saturating_mul(4);
        match tokio::time::timeout(deadline, self.opener.open()).await {
            Err(_) => Err(format!(
                "opening the connection took longer than {} ms",
                deadline.as_millis()
            )),
            Ok(Err(OpenError::Throttled { reply })) => {
                let reason = format!("the server is throttling: {reply}");
                self.throttled = Some(reason.clone());
                Err(reason)
            }
            Ok(Err(error)) => Err(error.to_string()),
            Ok(Ok(stream)) => Ok(stream),
        }
    }
}

/// A connection on which the server has sent its first flight.
pub(crate) struct FirstFlight {
    /// The connection.
    pub(crate) stream: BoxStream,
    /// The reader, which carries on with what the server sends next.
    pub(crate) reader: RecordReader,
    /// The ServerHello.
    pub(crate) hello: ServerHello,
    /// The certificate chain, DER, leaf first (empty when none was sent).
    pub(crate) der_chain: Vec<Vec<u8>>,
}

/// A ClientHello for `version` (SSL 3.0 to TLS 1.2) offering `suites`, with
/// the extensions a usual client sends plus `extra`, as a complete record.
/// SSL 3.0 hellos carry no extensions.
fn client_hello(
    version: ProtocolVersion,
    suites: &[u16],
    server_name: Option<&str>,
    extra: Vec<Extension>,
    random: [u8; 32],
) -> Result<Vec<u8>, BuildError> {
    let mut cipher_suites = suites.to_vec();
    cipher_suites.push(EMPTY_RENEGOTIATION_INFO_SCSV);
    let mut extension_list = Vec::new();
    if version > ProtocolVersion::SSL3_0 {
        if let Some(name) = server_name {
            extension_list.push(extensions::server_name(name)?);
        }
        extension_list.push(extensions::supported_groups(&GROUPS)?);
        extension_list.push(extensions::ec_point_formats(&[0])?);
        if version >= ProtocolVersion::TLS1_2 {
            extension_list.push(extensions::signature_algorithms(&SIGNATURE_SCHEMES)?);
        }
        extension_list.extend(extra);
    }
    let mut spec = ClientHelloSpec {
        record_version: if version == ProtocolVersion::SSL3_0 {
            ProtocolVersion::SSL3_0
        } else {
            ProtocolVersion::TLS1_0
        },
        client_version: version,
        random,
        session_id: Vec::new(),
        cipher_suites,
        compression_methods: vec![0],
        extensions: extension_list,
    };
    if version > ProtocolVersion::SSL3_0 {
        pad_out_of_f5_range(&mut spec)?;
    }
    spec.to_record()
}

/// One record of `content_type` with `version` in its header.
pub(crate) fn record(content_type: u8, version: ProtocolVersion, fragment: &[u8]) -> Vec<u8> {
    let mut out = vec![content_type];
    out.extend_from_slice(&version.to_bytes());
    let length = u16::try_from(fragment.len()).unwrap_or(u16::MAX);
    out.extend_from_slice(&length.to_be_bytes());
    out.extend_from_slice(fragment.get(..usize::from(length)).unwrap_or(fragment));
    out
}

/// Sends `hello` on a new connection and reads up to ServerHelloDone. The
/// error is why the server's first flight did not come, in words.
pub(crate) async fn first_flight(
    dialer: &mut Dialer<'_>,
    connections: &mut u64,
    hello: &[u8],
) -> Result<FirstFlight, String> {
    let mut stream = dialer.open(connections).await?;
    let mut reader = RecordReader::new();
    let reply = exchange(&mut stream, &mut reader, hello, dialer.timeout, |event| {
        matches!(event, ServerEvent::ServerHelloDone)
    })
    .await;
    if reply.end != ExchangeEnd::Complete {
        return Err(format!(
            "no ServerHelloDone: {}",
            describe(&reply, dialer.timeout)
        ));
    }
    let hello = reply
        .server_hello()
        .cloned()
        .ok_or("ServerHelloDone without a ServerHello")?;
    let der_chain = reply
        .events
        .iter()
        .find_map(|event| match event {
            ServerEvent::Certificate { der_chain } => Some(der_chain.clone()),
            _ => None,
        })
        .unwrap_or_default();
    Ok(FirstFlight {
        stream,
        reader,
        hello,
        der_chain,
    })
}

/// An alert as `name(code)`.
pub(crate) fn alert_name(alert: Alert) -> String {
    format!("{}({})", alert.description_name(), alert.description)
}

/// What the server did in `reply`, in words: its first alert, or how the
/// exchange ended.
pub(crate) fn describe(reply: &Exchange, timeout: Duration) -> String {
    if let Some(alert) = reply.alert() {
        return format!("alert {}", alert_name(*alert));
    }
    if let Some(ServerEvent::NotTls { first_bytes }) = reply
        .events
        .iter()
        .find(|event| matches!(event, ServerEvent::NotTls { .. }))
    {
        return format!("a reply that is not TLS ({})", hex(first_bytes));
    }
    describe_end(&reply.end, timeout)
}

/// How an exchange ended, in words.
pub(crate) fn describe_end(end: &ExchangeEnd, timeout: Duration) -> String {
    match end {
        ExchangeEnd::Complete => "a complete reply".to_owned(),
        ExchangeEnd::Refused => "a reply the reader could not follow".to_owned(),
        ExchangeEnd::Closed => "connection closed".to_owned(),
        ExchangeEnd::Failed { message } => format!("connection failed ({message})"),
        ExchangeEnd::TimedOut => format!("no reply within {} ms", timeout.as_millis()),
    }
}

/// Lower-case hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, byte| {
        let _ = write!(out, "{byte:02x}");
        out
    })
}

/// Fills `out` from the crypto provider's random source; `None` if it failed.
pub(crate) fn fill_random(out: &mut [u8]) -> Option<()> {
    rustls::crypto::aws_lc_rs::default_provider()
        .secure_random
        .fill(out)
        .ok()
}

/// A fresh 32-byte client random (zeros if the random source failed: the
/// probes do not depend on it being secret).
fn client_random() -> [u8; 32] {
    let mut random = [0u8; 32];
    if fill_random(&mut random).is_none() {
        random = [0u8; 32];
    }
    random
}
