//! The URIs that tag values carry: `mailto:` report addresses (DMARC rua/ruf,
//! TLS-RPT rua, CAA iodef) and `https:` locations (TLS-RPT rua, BIMI l= and
//! a=, CAA iodef). Only the syntax is checked, enough to name the destination
//! host; nothing is fetched.
//!
//! ```text
//! RFC 3986 §3.1   scheme    = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." )
//! RFC 6068 §2     mailtoURI = "mailto:" [ to ] [ hfields ]
//!                 to        = addr-spec *("," addr-spec )
//!                 hfields   = "?" hfield *( "&" hfield )
//! RFC 5322 §3.4.1 addr-spec = local-part "@" domain
//! RFC 3986 §3.2   authority = [ userinfo "@" ] host [ ":" port ]
//! ```

use std::net::{IpAddr, Ipv6Addr};

use mailtls_core::{Domain, Host};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The address of a `mailto:` URI.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct MailtoAddress {
    /// The part before the last `@`, as written (percent-encoding kept).
    pub local_part: String,
    /// The part after the last `@`: where the mail goes.
    pub domain: Domain,
}

/// The parts of an `https:` URL that matter here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HttpsUrl {
    /// The host name or address literal.
    pub host: Host,
    /// The port, when one is written.
    pub port: Option<u16>,
    /// The path, query and fragment as written (may be empty).
    pub path: String,
}

/// Why a URI was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UriError {
    /// No `scheme:` prefix.
    #[error("{uri:?} has no URI scheme")]
    NoScheme {
        /// The URI as written.
        uri: String,
    },
    /// A scheme other than the one expected.
    #[error("{uri:?} is not a {expected}: URI")]
    WrongScheme {
        /// The URI as written.
        uri: String,
        /// The scheme wanted.
        expected: &'static str,
    },
    /// A space, control or non-ASCII character (URIs are ASCII without spaces).
    #[error("{uri:?} contains {character:?}, which a URI may not hold unencoded")]
    InvalidCharacter {
        /// The URI as written.
        uri: String,
        /// The first offending character.
        character: char,
    },
    /// A `mailto:` URI without `local@domain`.
    #[error("{uri:?} has no address of the form local-part@domain")]
    NoAddress {
        /// The URI as written.
        uri: String,
    },
    /// A host or mail domain that is not a valid name or address.
    #[error("{uri:?} names the host {host:?}, which is not a valid host name")]
    InvalidHost {
        /// The URI as written.
        uri: String,
        /// The host as written.
        host: String,
    },
    /// A port that is not a number from 0 to 65535.
    #[error("{uri:?} has the port {port:?}, which is not a number up to 65535")]
    InvalidPort {
        /// The URI as written.
        uri: String,
        /// The port as written.
        port: String,
    },
}

/// The scheme of `uri` (the text before the first `:`), if it has a valid one.
pub fn scheme(uri: &str) -> Option<&str> {
    let (scheme, _) = uri.split_once(':')?;
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(scheme)
}

/// Parses a `mailto:` URI with a single address, as DMARC, TLS-RPT and CAA
/// iodef use it. Header fields after `?` are ignored.
pub fn parse_mailto(uri: &str) -> Result<MailtoAddress, UriError> {
    let rest = strip_scheme(uri, "mailto")?;
    let address = rest.split_once('?').map_or(rest, |(address, _)| address);
    let Some((local_part, domain)) = address.rsplit_once('@') else {
        return Err(UriError::NoAddress { uri: uri.to_owned() });
    };
    if local_part.is_empty() || domain.is_empty() {
        return Err(UriError::NoAddress { uri: uri.to_owned() });
    }
    let domain = Domain::parse(domain).map_err(|_| UriError::InvalidHost {
        uri: uri.to_owned(),
        host: domain.to_owned(),
    })?;
    Ok(MailtoAddress {
        local_part: local_part.to_owned(),
        domain,
    })
}

/// Parses an `https:` URL far enough to name its host and port.
pub fn parse_https(uri: &str) -> Result<HttpsUrl, UriError> {
    parse_http_like(uri, "https")
}

/// Parses an `http:` URL (CAA iodef allows it) far enough to name its host.
pub fn parse_http(uri: &str) -> Result<HttpsUrl, UriError> {
    parse_http_like(uri, "http")
}

fn parse_http_like(uri: &str, expected: &'static str) -> Result<HttpsUrl, UriError> {
    let rest = strip_scheme(uri, expected)?;
    let Some(rest) = rest.strip_prefix("//") else {
        return Err(UriError::InvalidHost {
            uri: uri.to_owned(),
            host: String::new(),
        });
    };
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, path) = rest.split_at_checked(authority_end).unwrap_or((rest, ""));
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host_port)| host_port);
    let (host, port) = split_host_port(host_port);
    let invalid_host = || UriError::InvalidHost {
        uri: uri.to_owned(),
        host: host.to_owned(),
    };
    let host = if let Some(literal) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        Host::Ip(IpAddr::V6(
            literal.parse::<Ipv6Addr>().map_err(|_| invalid_host())?,
        ))
    } else if let Ok(ip) = host.parse::<IpAddr>() {
        Host::Ip(ip)
    } else {
        Host::Domain(Domain::parse(host).map_err(|_| invalid_host())?)
    };
    let port = match port {
        None => None,
        Some(port) => Some(port.parse::<u16>().map_err(|_| UriError::InvalidPort {
            uri: uri.to_owned(),
            port: port.to_owned(),
        })?),
    };
    Ok(HttpsUrl {
        host,
        port,
        path: path.to_owned(),
    })
}

/// Splits `host[:port]`, keeping a bracketed IPv6 literal whole.
fn split_host_port(host_port: &str) -> (&str, Option<&str>) {
    let colon = if host_port.starts_with('[') {
        host_port.find(']').and_then(|close| {
            host_port
                .get(close + 1..)
                .filter(|after| after.starts_with(':'))
                .map(|_| close + 1)
        })
    } else {
        host_port.rfind(':')
    };
    match colon {
        Some(at) => {
            let (host, port) = host_port.split_at_checked(at).unwrap_or((host_port, ""));
            (host, Some(port.get(1..).unwrap_or_default()))
        }
        None => (host_port, None),
    }
}

/// The text after `scheme:` (scheme compared case-insensitively), once the
/// URI is known to hold only URI characters.
fn strip_scheme<'u>(uri: &'u str, expected: &'static str) -> Result<&'u str, UriError> {
    if let Some(character) = uri.chars().find(|c| !c.is_ascii_graphic()) {
        return Err(UriError::InvalidCharacter {
            uri: uri.to_owned(),
            character,
        });
    }
    let Some(found) = scheme(uri) else {
        return Err(UriError::NoScheme { uri: uri.to_owned() });
    };
    if !found.eq_ignore_ascii_case(expected) {
        return Err(UriError::WrongScheme {
            uri: uri.to_owned(),
            expected,
        });
    }
    Ok(uri.get(found.len() + 1..).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mailto_names_local_part_and_domain() {
        let address = parse_mailto("mailto:dmarc-reports@Example.COM").unwrap();
        assert_eq!(address.local_part, "dmarc-reports");
        assert_eq!(address.domain.as_str(), "example.com");
    }

    #[test]
    fn mailto_scheme_is_case_insensitive_and_hfields_are_ignored() {
        let address = parse_mailto("MAILTO:a@example.org?subject=x").unwrap();
        assert_eq!(address.domain.as_str(), "example.org");
    }

    #[test]
    fn mailto_without_at_sign_has_no_address() {
        assert_eq!(
            parse_mailto("mailto:reports.example.com"),
            Err(UriError::NoAddress {
                uri: "mailto:reports.example.com".into()
            })
        );
    }

    #[test]
    fn mailto_with_bad_domain_names_the_host() {
        assert_eq!(
            parse_mailto("mailto:a@exa_mple.com"),
            Err(UriError::InvalidHost {
                uri: "mailto:a@exa_mple.com".into(),
                host: "exa_mple.com".into()
            })
        );
    }

    #[test]
    fn uri_with_space_is_rejected() {
        assert_eq!(
            parse_mailto("mailto:a @example.com"),
            Err(UriError::InvalidCharacter {
                uri: "mailto:a @example.com".into(),
                character: ' '
            })
        );
    }

    #[test]
    fn https_url_gives_host_port_and_path() {
        let url = parse_https("https://user@bimi.example.com:8443/logo.svg?x=1").unwrap();
        assert_eq!(url.host, Host::Domain(Domain::parse("bimi.example.com").unwrap()));
        assert_eq!(url.port, Some(8443));
        assert_eq!(url.path, "/logo.svg?x=1");
    }

    #[test]
    fn https_url_with_ipv6_literal() {
        let url = parse_https("https://[2001:db8::1]:443/").unwrap();
        assert_eq!(url.host, Host::Ip("2001:db8::1".parse().unwrap()));
        assert_eq!(url.port, Some(443));
    }

    #[test]
    fn http_url_is_not_https() {
        assert_eq!(
            parse_https("http://example.com/"),
            Err(UriError::WrongScheme {
                uri: "http://example.com/".into(),
                expected: "https"
            })
        );
    }

    #[test]
    fn scheme_must_start_with_a_letter() {
        assert_eq!(scheme("mailto:x@y"), Some("mailto"));
        assert_eq!(scheme("1x:y"), None);
        assert_eq!(scheme("no-colon"), None);
    }
}
