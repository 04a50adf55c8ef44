//! Does a certificate name a host? Service identity per RFC 6125.
//!
//! ```text
//! RFC 6125 §6.4.1: ... matching of the reference identifier against the
//!   presented identifier is performed by comparing the set of domain name
//!   labels using a case-insensitive ASCII comparison ...
//!   If the DNS domain name portion of a reference identifier is an
//!   internationalized domain name, then an implementation MUST convert any
//!   U-labels [IDNA-DEFS] in the domain name to A-labels before checking
//!   the domain name.
//! RFC 6125 §6.4.3:
//!   1. The client SHOULD NOT attempt to match a presented identifier in
//!      which the wildcard character comprises a label other than the
//!      left-most label (e.g., do not match bar.*.example.net).
//!   2. If the wildcard character is the only character of the left-most
//!      label in the presented identifier, the client SHOULD NOT compare
//!      against anything but the left-most label of the reference
//!      identifier (e.g., *.example.com would match foo.example.com but
//!      not bar.foo.example.com or example.com).
//!   3. The client MAY match a presented identifier in which the wildcard
//!      character is not the only character of the label ...
//! RFC 6125 §6.4.4: ... a client MUST NOT seek a match for a reference
//!   identifier of CN-ID if the presented identifiers include a DNS-ID,
//!   SRV-ID, URI-ID, or any application-specific identifier types
//!   supported by the client.
//! ```
//!
//! mailtls takes the strict reading of rule 3, as the CA/Browser Forum and
//! WebPKI do: a wildcard is a whole left-most label or nothing. A wildcard
//! must also stand above at least two labels (`*.com` matches nothing). The
//! commonName is consulted only when the subjectAltName extension is absent or
//! holds IP addresses alone.

use std::net::IpAddr;

use mailtls_core::{CertificateFacts, Domain, SubjectAltNames};

/// Whether the certificate described by `facts` is valid for `host`: a DNS
/// name (U-labels are converted to A-labels), or an IP address literal.
pub fn name_matches(facts: &CertificateFacts, host: &str) -> bool {
    identifiers_match(
        facts.subject_alt_names.as_ref(),
        &facts.subject_common_names,
        host,
    )
}

/// [`name_matches`] on the parts of the facts it needs.
pub(crate) fn identifiers_match(
    subject_alt_names: Option<&SubjectAltNames>,
    common_names: &[String],
    host: &str,
) -> bool {
    let host = host.trim();
    if let Ok(address) = host.parse::<IpAddr>() {
        return subject_alt_names.is_some_and(|names| names.ip_addresses.contains(&address));
    }
    let Some(reference) = reference_identifier(host) else {
        return false;
    };
    let presented: &[String] = match subject_alt_names {
        Some(names) if !names.dns_names.is_empty() || names.other > 0 => &names.dns_names,
        _ => common_names,
    };
    presented
        .iter()
        .any(|presented| dns_id_matches(presented, &reference))
}

/// The host name in the form presented identifiers are compared with:
/// A-labels, lower case, no trailing dot.
fn reference_identifier(host: &str) -> Option<String> {
    let host = host.strip_suffix('.').unwrap_or(host);
    if host.is_empty() || host.contains('*') {
        return None;
    }
    if host.is_ascii() {
        Some(host.to_ascii_lowercase())
    } else {
        Domain::parse(host).ok().map(|domain| domain.as_str().to_owned())
    }
}

/// Whether one presented DNS-ID matches the normalised reference identifier.
fn dns_id_matches(presented: &str, reference: &str) -> bool {
    if !presented.is_ascii() {
        return false;
    }
    let presented = presented
        .strip_suffix('.')
        .unwrap_or(presented)
        .to_ascii_lowercase();
    match presented.strip_prefix("*.") {
        Some(parent) => {
            if parent.contains('*') || !parent.contains('.') {
                return false;
            }
            match reference.split_once('.') {
                Some((first, rest)) => !first.is_empty() && rest == parent,
                None => false,
            }
        }
        None => !presented.contains('*') && !presented.is_empty() && presented == reference,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn san(dns: &[&str]) -> SubjectAltNames {
        SubjectAltNames {
            dns_names: dns.iter().map(|name| (*name).to_owned()).collect(),
            ..SubjectAltNames::default()
        }
    }

    #[test]
    fn exact_names_match_case_insensitively() {
        assert!(identifiers_match(
            Some(&san(&["MX.Example.Test"])),
            &[],
            "mx.example.TEST."
        ));
    }

    #[test]
    fn wildcard_matches_one_leftmost_label() {
        let names = san(&["*.example.test"]);
        assert!(identifiers_match(Some(&names), &[], "mx.example.test"));
        assert!(!identifiers_match(Some(&names), &[], "a.mx.example.test"));
        assert!(!identifiers_match(Some(&names), &[], "example.test"));
    }

    #[test]
    fn partial_label_wildcards_match_nothing() {
        assert!(!identifiers_match(
            Some(&san(&["m*.example.test"])),
            &[],
            "mx.example.test"
        ));
    }

    #[test]
    fn wildcard_over_a_single_label_matches_nothing() {
        assert!(!identifiers_match(Some(&san(&["*.test"])), &[], "example.test"));
    }

    #[test]
    fn wildcard_in_an_inner_label_matches_nothing() {
        assert!(!identifiers_match(
            Some(&san(&["mx.*.test"])),
            &[],
            "mx.example.test"
        ));
    }

    #[test]
    fn u_labels_are_compared_as_a_labels() {
        let names = san(&["XN--BCHER-KVA.example.test"]);
        assert!(identifiers_match(Some(&names), &[], "bücher.example.test"));
    }

    #[test]
    fn common_name_is_not_consulted_when_dns_names_exist() {
        let common = ["mx.example.test".to_owned()];
        assert!(!identifiers_match(
            Some(&san(&["other.example.test"])),
            &common,
            "mx.example.test"
        ));
    }

    #[test]
    fn common_name_is_consulted_without_subject_alt_names() {
        let common = ["mx.example.test".to_owned()];
        assert!(identifiers_match(None, &common, "mx.example.test"));
    }

    #[test]
    fn ip_literals_match_ip_address_entries_only() {
        let names = SubjectAltNames {
            dns_names: vec!["192.0.2.1".into()],
            ip_addresses: vec!["192.0.2.2".parse().unwrap()],
            other: 0,
        };
        assert!(identifiers_match(Some(&names), &[], "192.0.2.2"));
        assert!(!identifiers_match(Some(&names), &[], "192.0.2.1"));
    }

    #[test]
    fn a_wildcard_reference_matches_nothing() {
        assert!(!identifiers_match(
            Some(&san(&["*.example.test"])),
            &[],
            "*.example.test"
        ));
    }
}
