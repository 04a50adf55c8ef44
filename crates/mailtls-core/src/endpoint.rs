//! Mail protocols, endpoints and the endpoint URL syntax of the CLI.
//!
//! ```text
//! endpoint-url = scheme "://" host [ ":" port ] [ "/" ]
//! scheme       = "smtp" / "submission" / "submissions" / "lmtp" / "imap" / "imaps"
//!              / "pop3" / "pop3s" / "sieve" / "https"
//! host         = domain / IPv4address / "[" IPv6address "]"
//! ```

use std::fmt;
use std::net::{IpAddr, Ipv6Addr};
use std::str::FromStr;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::domain::{Domain, DomainError};

/// How TLS is started on an endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum TlsMode {
    /// The connection starts in plaintext and is upgraded by a protocol command
    /// (SMTP `STARTTLS`, IMAP `STARTTLS`, POP3 `STLS`).
    Starttls,
    /// TLS starts with the first byte (RFC 8314 "implicit TLS").
    Implicit,
}

/// The application protocol spoken on an endpoint (before or inside TLS).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Dialect {
    /// SMTP (RFC 5321), including submission (RFC 6409).
    Smtp,
    /// LMTP (RFC 2033): SMTP with `LHLO`.
    Lmtp,
    /// IMAP4rev1/rev2 (RFC 3501, RFC 9051).
    Imap,
    /// POP3 (RFC 1939, RFC 2595).
    Pop3,
    /// ManageSieve (RFC 5804).
    Sieve,
    /// HTTP (the MTA-STS policy host).
    Http,
}

/// A service a mail domain runs, with its default port and TLS mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MailProtocol {
    /// Server-to-server SMTP on port 25, STARTTLS (RFC 3207).
    Smtp,
    /// Message submission on port 587, STARTTLS (RFC 6409).
    Submission,
    /// Message submission over implicit TLS on port 465 (RFC 8314).
    Submissions,
    /// LMTP, STARTTLS; LMTP has no assigned TCP port (24 is customary).
    Lmtp,
    /// IMAP on port 143, STARTTLS.
    Imap,
    /// IMAP over implicit TLS on port 993.
    Imaps,
    /// POP3 on port 110, STLS.
    Pop3,
    /// POP3 over implicit TLS on port 995.
    Pop3s,
    /// ManageSieve on port 4190, STARTTLS.
    Sieve,
    /// HTTPS on port 443 (the MTA-STS policy host).
    Https,
}

impl MailProtocol {
    /// Every protocol, in the order reports list them.
    pub const ALL: [MailProtocol; 10] = [
        Self::Smtp,
        Self::Submission,
        Self::Submissions,
        Self::Lmtp,
        Self::Imap,
        Self::Imaps,
        Self::Pop3,
        Self::Pop3s,
        Self::Sieve,
        Self::Https,
    ];

    /// The URL scheme, which is also the name used in JSON.
    pub fn scheme(self) -> &'static str {
        match self {
            Self::Smtp => "smtp",
            Self::Submission => "submission",
            Self::Submissions => "submissions",
            Self::Lmtp => "lmtp",
            Self::Imap => "imap",
            Self::Imaps => "imaps",
            Self::Pop3 => "pop3",
            Self::Pop3s => "pop3s",
            Self::Sieve => "sieve",
            Self::Https => "https",
        }
    }

    /// The protocol for a URL scheme (case-insensitive).
    pub fn from_scheme(scheme: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|p| p.scheme().eq_ignore_ascii_case(scheme))
    }

    /// The registered (or customary) port.
    pub fn default_port(self) -> u16 {
        match self {
            Self::Smtp => 25,
            Self::Submission => 587,
            Self::Submissions => 465,
            Self::Lmtp => 24,
            Self::Imap => 143,
            Self::Imaps => 993,
            Self::Pop3 => 110,
            Self::Pop3s => 995,
            Self::Sieve => 4190,
            Self::Https => 443,
        }
    }

    /// Whether TLS is negotiated in-band or from the first byte.
    pub fn tls_mode(self) -> TlsMode {
        match self {
            Self::Submissions | Self::Imaps | Self::Pop3s | Self::Https => TlsMode::Implicit,
            Self::Smtp | Self::Submission | Self::Lmtp | Self::Imap | Self::Pop3 | Self::Sieve => {
                TlsMode::Starttls
            }
        }
    }

    /// The application protocol spoken on the connection.
    pub fn dialect(self) -> Dialect {
        match self {
            Self::Smtp | Self::Submission | Self::Submissions => Dialect::Smtp,
            Self::Lmtp => Dialect::Lmtp,
            Self::Imap | Self::Imaps => Dialect::Imap,
            Self::Pop3 | Self::Pop3s => Dialect::Pop3,
            Self::Sieve => Dialect::Sieve,
            Self::Https => Dialect::Http,
        }
    }
}

impl fmt::Display for MailProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.scheme())
    }
}

/// The host part of an endpoint: a name or an address literal.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Host {
    /// A domain name, resolved through DNS and sent as SNI.
    Domain(Domain),
    /// An IP address literal; no SNI is sent for it.
    Ip(IpAddr),
}

impl Host {
    /// Parses a host: an IPv4 address, a bracketed or bare IPv6 address, or a domain.
    pub fn parse(input: &str) -> Result<Self, EndpointError> {
        if let Some(inner) = input.strip_prefix('[') {
            let literal = inner
                .strip_suffix(']')
                .ok_or_else(|| EndpointError::UnclosedBracket {
                    host: input.to_owned(),
                })?;
            return literal
                .parse::<Ipv6Addr>()
                .map(|ip| Host::Ip(IpAddr::V6(ip)))
                .map_err(|_| EndpointError::InvalidIpv6 {
                    literal: literal.to_owned(),
                });
        }
        if let Ok(ip) = input.parse::<IpAddr>() {
            return Ok(Host::Ip(ip));
        }
        Domain::parse(input)
            .map(Host::Domain)
            .map_err(|source| EndpointError::InvalidHost {
                host: input.to_owned(),
                source,
            })
    }

    /// The name to send in TLS SNI: only domain names, never address literals (RFC 6066 §3).
    pub fn sni(&self) -> Option<&Domain> {
        match self {
            Host::Domain(domain) => Some(domain),
            Host::Ip(_) => None,
        }
    }
}

impl fmt::Display for Host {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Host::Domain(domain) => write!(f, "{domain}"),
            Host::Ip(IpAddr::V6(ip)) => write!(f, "[{ip}]"),
            Host::Ip(IpAddr::V4(ip)) => write!(f, "{ip}"),
        }
    }
}

/// One service to probe: protocol, host and port.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
pub struct Endpoint {
    /// The service.
    pub protocol: MailProtocol,
    /// Where it runs.
    pub host: Host,
    /// The TCP port (the protocol's default unless given).
    pub port: u16,
}

/// Why an endpoint URL was rejected. Every variant names the offending part.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// No `scheme://` at the start.
    #[error("{input:?} has no scheme; write it as e.g. smtp://{input}")]
    MissingScheme {
        /// The input as given.
        input: String,
    },
    /// A scheme that is not one of the mail protocols.
    #[error(
        "unknown scheme {scheme:?}; expected one of smtp, submission, submissions, lmtp, imap, imaps, pop3, pop3s, sieve, https"
    )]
    UnknownScheme {
        /// The scheme as given.
        scheme: String,
    },
    /// Nothing between `://` and the port or end.
    #[error("the endpoint URL {input:?} has no host")]
    MissingHost {
        /// The input as given.
        input: String,
    },
    /// `user@` in the URL.
    #[error("the endpoint URL must not contain user information ({userinfo:?}@)")]
    Userinfo {
        /// The user information part.
        userinfo: String,
    },
    /// A path, query or fragment after the host.
    #[error("unexpected {rest:?} after the host; an endpoint URL is scheme://host[:port]")]
    TrailingPart {
        /// Everything after the authority.
        rest: String,
    },
    /// A port that is not a number from 1 to 65535.
    #[error("port {port:?} is not a number from 1 to 65535")]
    InvalidPort {
        /// The port as given.
        port: String,
    },
    /// `[` without `]`.
    #[error("IPv6 literal {host:?} has no closing bracket")]
    UnclosedBracket {
        /// The host as given.
        host: String,
    },
    /// Bracketed text that is not an IPv6 address.
    #[error("{literal:?} in brackets is not an IPv6 address")]
    InvalidIpv6 {
        /// The text between the brackets.
        literal: String,
    },
    /// A host that is neither an address nor a valid domain.
    #[error("host {host:?}: {source}")]
    InvalidHost {
        /// The host as given.
        host: String,
        /// What is wrong with it as a domain name.
        source: DomainError,
    },
}

impl Endpoint {
    /// An endpoint on the protocol's default port.
    pub fn new(protocol: MailProtocol, host: Host) -> Self {
        Self {
            port: protocol.default_port(),
            protocol,
            host,
        }
    }

    /// Parses `scheme://host[:port]`; IPv6 literals go in brackets.
    pub fn parse_url(input: &str) -> Result<Self, EndpointError> {
        let (scheme, rest) = input
            .split_once("://")
            .ok_or_else(|| EndpointError::MissingScheme {
                input: input.to_owned(),
            })?;
        let protocol = MailProtocol::from_scheme(scheme).ok_or_else(|| EndpointError::UnknownScheme {
            scheme: scheme.to_owned(),
        })?;
        let (authority, trailing) = match rest.find(['/', '?', '#']) {
            Some(at) => rest.split_at(at),
            None => (rest, ""),
        };
        if !trailing.is_empty() && trailing != "/" {
            return Err(EndpointError::TrailingPart {
                rest: trailing.to_owned(),
            });
        }
        if let Some((userinfo, _)) = authority.rsplit_once('@') {
            return Err(EndpointError::Userinfo {
                userinfo: userinfo.to_owned(),
            });
        }
        let (host_text, port_text) = split_host_port(authority);
        if host_text.is_empty() {
            return Err(EndpointError::MissingHost {
                input: input.to_owned(),
            });
        }
        let host = Host::parse(host_text)?;
        let port = match port_text {
            None => protocol.default_port(),
            Some(text) => match text.parse::<u16>() {
                Ok(port) if port != 0 && text.bytes().all(|b| b.is_ascii_digit()) => port,
                _ => {
                    return Err(EndpointError::InvalidPort {
                        port: text.to_owned(),
                    });
                }
            },
        };
        Ok(Self { protocol, host, port })
    }

    /// The TLS mode of this endpoint's protocol.
    pub fn tls_mode(&self) -> TlsMode {
        self.protocol.tls_mode()
    }
}

/// Splits `host:port`, `[v6]:port`, `[v6]` or `host`. A bare IPv6 address with
/// several colons is taken whole as the host.
fn split_host_port(authority: &str) -> (&str, Option<&str>) {
    if authority.starts_with('[') {
        return match authority.find(']') {
            Some(close) => {
                let (host, after) = authority.split_at(close + 1);
                (
                    host,
                    after
                        .strip_prefix(':')
                        .or(if after.is_empty() { None } else { Some(after) }),
                )
            }
            None => (authority, None),
        };
    }
    match authority.rsplit_once(':') {
        Some((host, _)) if host.contains(':') => (authority, None),
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    }
}

impl FromStr for Endpoint {
    type Err = EndpointError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_url(s)
    }
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}://{}:{}", self.protocol, self.host, self.port)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv4Addr;

    fn domain(name: &str) -> Host {
        Host::Domain(Domain::parse(name).unwrap())
    }

    #[test]
    fn smtp_url_gets_port_25_and_starttls() {
        let endpoint = Endpoint::parse_url("smtp://mx1.example.com").unwrap();
        assert_eq!(
            endpoint,
            Endpoint {
                protocol: MailProtocol::Smtp,
                host: domain("mx1.example.com"),
                port: 25
            }
        );
        assert_eq!(endpoint.tls_mode(), TlsMode::Starttls);
    }

    #[test]
    fn every_scheme_has_its_default_port_and_mode() {
        let expected = [
            ("smtp", 25, TlsMode::Starttls),
            ("submission", 587, TlsMode::Starttls),
            ("submissions", 465, TlsMode::Implicit),
            ("lmtp", 24, TlsMode::Starttls),
            ("imap", 143, TlsMode::Starttls),
            ("imaps", 993, TlsMode::Implicit),
            ("pop3", 110, TlsMode::Starttls),
            ("pop3s", 995, TlsMode::Implicit),
            ("sieve", 4190, TlsMode::Starttls),
            ("https", 443, TlsMode::Implicit),
        ];
        for (scheme, port, mode) in expected {
            let endpoint = Endpoint::parse_url(&format!("{scheme}://host.example")).unwrap();
            assert_eq!((endpoint.port, endpoint.tls_mode()), (port, mode), "{scheme}");
            assert_eq!(endpoint.protocol.scheme(), scheme);
        }
    }

    #[test]
    fn explicit_port_and_trailing_slash() {
        let endpoint = Endpoint::parse_url("IMAPS://Mail.Example.org:10993/").unwrap();
        assert_eq!(endpoint.protocol, MailProtocol::Imaps);
        assert_eq!(endpoint.host, domain("mail.example.org"));
        assert_eq!(endpoint.port, 10993);
    }

    #[test]
    fn ipv4_and_bracketed_ipv6_literals() {
        let v4 = Endpoint::parse_url("smtp://192.0.2.7:2525").unwrap();
        assert_eq!(v4.host, Host::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7))));
        assert_eq!(v4.port, 2525);
        let v6 = Endpoint::parse_url("submissions://[2001:db8::25]:4650").unwrap();
        assert_eq!(v6.host, Host::Ip("2001:db8::25".parse().unwrap()));
        assert_eq!(v6.port, 4650);
        let v6_default = Endpoint::parse_url("imap://[::1]").unwrap();
        assert_eq!(
            (v6_default.host, v6_default.port),
            (Host::Ip("::1".parse().unwrap()), 143)
        );
    }

    #[test]
    fn bare_ipv6_without_port_is_accepted() {
        let endpoint = Endpoint::parse_url("pop3://2001:db8::110").unwrap();
        assert_eq!(endpoint.host, Host::Ip("2001:db8::110".parse().unwrap()));
        assert_eq!(endpoint.port, 110);
    }

    #[test]
    fn idn_host_is_normalised() {
        let endpoint = Endpoint::parse_url("smtp://mx.bücher.example").unwrap();
        assert_eq!(endpoint.host, domain("mx.xn--bcher-kva.example"));
        assert_eq!(endpoint.to_string(), "smtp://mx.xn--bcher-kva.example:25");
    }

    #[test]
    fn display_round_trips() {
        for url in [
            "smtp://mx.example:25",
            "imaps://[2001:db8::1]:993",
            "pop3s://192.0.2.1:995",
        ] {
            assert_eq!(Endpoint::parse_url(url).unwrap().to_string(), url);
        }
    }

    #[test]
    fn missing_scheme_is_explained() {
        assert_eq!(
            Endpoint::parse_url("mx.example.com:25"),
            Err(EndpointError::MissingScheme {
                input: "mx.example.com:25".into()
            })
        );
    }

    #[test]
    fn unknown_scheme_is_named() {
        assert_eq!(
            Endpoint::parse_url("ftp://mx.example.com"),
            Err(EndpointError::UnknownScheme { scheme: "ftp".into() })
        );
    }

    #[test]
    fn bad_ports_are_named() {
        for port in ["0", "65536", "x25", "", "+25", "-1"] {
            assert_eq!(
                Endpoint::parse_url(&format!("smtp://mx.example:{port}")),
                Err(EndpointError::InvalidPort { port: port.into() }),
                "{port}"
            );
        }
    }

    #[test]
    fn bad_ipv6_literals_are_named() {
        assert_eq!(
            Endpoint::parse_url("smtp://[2001:db8::1:25"),
            Err(EndpointError::UnclosedBracket {
                host: "[2001:db8::1:25".into()
            })
        );
        assert_eq!(
            Endpoint::parse_url("smtp://[mx.example]:25"),
            Err(EndpointError::InvalidIpv6 {
                literal: "mx.example".into()
            })
        );
        assert_eq!(
            Endpoint::parse_url("smtp://[::1]x"),
            Err(EndpointError::InvalidPort { port: "x".into() })
        );
    }

    #[test]
    fn bad_host_names_the_label() {
        assert_eq!(
            Endpoint::parse_url("smtp://mx..example"),
            Err(EndpointError::InvalidHost {
                host: "mx..example".into(),
                source: DomainError::EmptyLabel {
                    input: "mx..example".into(),
                    position: 2
                },
            })
        );
        assert_eq!(
            Endpoint::parse_url("smtp://:25"),
            Err(EndpointError::MissingHost {
                input: "smtp://:25".into()
            })
        );
    }

    #[test]
    fn userinfo_and_paths_are_rejected() {
        assert_eq!(
            Endpoint::parse_url("smtp://user@mx.example"),
            Err(EndpointError::Userinfo {
                userinfo: "user".into()
            })
        );
        assert_eq!(
            Endpoint::parse_url("https://mta-sts.example/.well-known/mta-sts.txt"),
            Err(EndpointError::TrailingPart {
                rest: "/.well-known/mta-sts.txt".into()
            })
        );
    }

    #[test]
    fn sni_only_for_names() {
        assert_eq!(domain("mx.example").sni().map(Domain::as_str), Some("mx.example"));
        assert_eq!(Host::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST)).sni(), None);
    }

    mod properties {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn parse_url_never_panics(input in "\\PC{0,200}") {
                let _ = Endpoint::parse_url(&input);
            }

            #[test]
            fn display_then_parse_is_identity(
                scheme in prop::sample::select(MailProtocol::ALL.to_vec()),
                port in 1u16..,
                v6 in any::<[u16; 8]>(),
                use_v6 in any::<bool>(),
            ) {
                let host = if use_v6 {
                    Host::Ip(IpAddr::V6(Ipv6Addr::from(v6)))
                } else {
                    Host::Domain(Domain::parse("mx1.example.net").unwrap())
                };
                let endpoint = Endpoint { protocol: scheme, host, port };
                prop_assert_eq!(Endpoint::parse_url(&endpoint.to_string()).unwrap(), endpoint);
            }
        }
    }
}
