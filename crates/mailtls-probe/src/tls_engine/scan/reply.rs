//! What one reply to a probe hello means, as a value: a ServerHello (with the
//! key exchange that followed), an SSLv2 SERVER-HELLO, a refusal, silence,
//! or something that is not TLS. Sans-IO.

use std::time::Duration;

use crate::tls_engine::exchange::{Exchange, ExchangeEnd};
use crate::tls_engine::record::ServerEvent;
use crate::tls_engine::server_messages::{ServerHello, ServerKeyExchange};
use crate::tls_engine::sslv2::Sslv2ServerHello;

/// The meaning of one reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Reply {
    /// A ServerHello or HelloRetryRequest, and the ServerKeyExchange when one followed.
    Hello {
        /// The hello.
        hello: Box<ServerHello>,
        /// The key exchange message, TLS 1.2 and older.
        key_exchange: Option<ServerKeyExchange>,
    },
    /// An SSL 2.0 SERVER-HELLO.
    Sslv2(Box<Sslv2ServerHello>),
    /// A refusal the protocol provides for: an alert, an SSLv2 ERROR.
    Refused {
        /// What the server said.
        evidence: String,
    },
    /// No reply at all: the connection was closed or reset, or the timeout passed.
    Silent {
        /// How it ended.
        evidence: String,
        /// Whether the server closed the connection in good order (EOF), as
        /// some servers (Dovecot) do when no suite is shared, rather than
        /// resetting it or letting the timeout pass, as servers that choke
        /// on a hello do.
        closed: bool,
    },
    /// Something that is not a TLS reply.
    Garbage {
        /// What came.
        evidence: String,
    },
}

impl Reply {
    /// Why this reply is not an acceptance, for evidence.
    pub(crate) fn refusal(&self) -> String {
        match self {
            Self::Hello { hello, .. } => format!(
                "ServerHello {} {}",
                hello.negotiated_version(),
                crate::tls_engine::cipher_suites::name(hello.cipher_suite)
            ),
            Self::Sslv2(_) => "SSLv2 SERVER-HELLO".to_owned(),
            Self::Refused { evidence } | Self::Silent { evidence, .. } | Self::Garbage { evidence } => {
                evidence.clone()
            }
        }
    }
}

/// Reads `exchange` as a [`Reply`], and lists its odd events as anomalies.
pub(crate) fn classify(exchange: &Exchange, timeout: Duration) -> (Reply, Vec<String>) {
    let anomalies: Vec<String> = exchange
        .events
        .iter()
        .filter_map(|event| match event {
            ServerEvent::Unexpected { what, offset } => Some(format!("odd reply at byte {offset}: {what:?}")),
            _ => None,
        })
        .collect();
    for event in &exchange.events {
        match event {
            ServerEvent::ServerHello(hello) => {
                let key_exchange = exchange.events.iter().find_map(|event| match event {
                    ServerEvent::ServerKeyExchange(message) => Some(message.clone()),
                    _ => None,
                });
                return (
                    Reply::Hello {
                        hello: Box::new(hello.clone()),
                        key_exchange,
                    },
                    anomalies,
                );
            }
            ServerEvent::Sslv2ServerHello(hello) => {
                return (Reply::Sslv2(Box::new(hello.clone())), anomalies);
            }
            ServerEvent::Alert(alert) => {
                let level = match alert.level {
                    1 => "warning".to_owned(),
                    2 => "fatal".to_owned(),
                    other => format!("level {other}"),
                };
                let evidence = format!(
                    "alert {level} {}({})",
                    alert.description_name(),
                    alert.description
                );
                return (Reply::Refused { evidence }, anomalies);
            }
            ServerEvent::Sslv2Error { code } => {
                return (
                    Reply::Refused {
                        evidence: format!("SSLv2 ERROR {code}"),
                    },
                    anomalies,
                );
            }
            ServerEvent::NotTls { first_bytes } => {
                return (
                    Reply::Garbage {
                        evidence: format!("not TLS: {}", escape(first_bytes)),
                    },
                    anomalies,
                );
            }
            ServerEvent::Unexpected { what, .. } => {
                return (
                    Reply::Garbage {
                        evidence: format!("malformed reply: {what:?}"),
                    },
                    anomalies,
                );
            }
            _ => {}
        }
    }
    let evidence = if let Some(first) = exchange.events.first() {
        format!("reply without a ServerHello, starting with {}", event_name(first))
    } else {
        match &exchange.end {
            ExchangeEnd::Closed => "connection closed without a reply".to_owned(),
            ExchangeEnd::Failed { message } => format!("connection failed without a reply: {message}"),
            ExchangeEnd::TimedOut => format!("no reply within {} s", timeout.as_secs()),
            ExchangeEnd::Complete | ExchangeEnd::Refused => "no reply".to_owned(),
        }
    };
    if exchange.events.is_empty() {
        let closed = exchange.end == ExchangeEnd::Closed;
        (Reply::Silent { evidence, closed }, anomalies)
    } else {
        (Reply::Garbage { evidence }, anomalies)
    }
}

fn event_name(event: &ServerEvent) -> &'static str {
    match event {
        ServerEvent::ServerHello(_) => "ServerHello",
        ServerEvent::Certificate { .. } => "Certificate",
        ServerEvent::ServerKeyExchange(_) => "ServerKeyExchange",
        ServerEvent::ServerHelloDone => "ServerHelloDone",
        ServerEvent::OtherHandshake { .. } => "a handshake message",
        ServerEvent::Alert(_) => "an alert",
        ServerEvent::ChangeCipherSpec => "ChangeCipherSpec",
        ServerEvent::EncryptedRecord { .. } => "an encrypted record",
        ServerEvent::Heartbeat { .. } => "a heartbeat record",
        ServerEvent::Sslv2ServerHello(_) => "an SSLv2 SERVER-HELLO",
        ServerEvent::Sslv2Error { .. } => "an SSLv2 ERROR",
        ServerEvent::NotTls { .. } => "bytes that are not TLS",
        _ => "something unexpected",
    }
}

/// Bytes as printable ASCII, other bytes as `\xNN`.
pub(crate) fn escape(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|&byte| {
            if byte.is_ascii_graphic() || byte == b' ' {
                char::from(byte).to_string()
            } else {
                format!("\\x{byte:02x}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tls_engine::alert::Alert;

    #[test]
    fn a_fatal_alert_is_a_refusal_naming_the_alert() {
        let exchange = Exchange {
            events: vec![ServerEvent::Alert(Alert {
                level: 2,
                description: 40,
            })],
            end: ExchangeEnd::Refused,
        };
        let (reply, anomalies) = classify(&exchange, Duration::from_secs(5));
        assert_eq!(
            reply,
            Reply::Refused {
                evidence: "alert fatal handshake_failure(40)".to_owned()
            }
        );
        assert!(anomalies.is_empty());
    }

    #[test]
    fn an_empty_reply_is_silence_saying_how_it_ended() {
        let exchange = Exchange {
            events: Vec::new(),
            end: ExchangeEnd::TimedOut,
        };
        let (reply, _) = classify(&exchange, Duration::from_secs(7));
        assert_eq!(
            reply,
            Reply::Silent {
                evidence: "no reply within 7 s".to_owned(),
                closed: false,
            }
        );
    }

    #[test]
    fn an_smtp_line_is_garbage_with_the_line_as_evidence() {
        let exchange = Exchange {
            events: vec![ServerEvent::NotTls {
                first_bytes: b"554 no\r\n".to_vec(),
            }],
            end: ExchangeEnd::Refused,
        };
        let (reply, _) = classify(&exchange, Duration::from_secs(5));
        assert_eq!(
            reply,
            Reply::Garbage {
                evidence: "not TLS: 554 no\\x0d\\x0a".to_owned()
            }
        );
    }
}
