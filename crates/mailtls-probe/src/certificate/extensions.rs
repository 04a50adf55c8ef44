//! The certificate extensions mailtls reports on.
//!
//! ```text
//! RFC 5280 §4.1
//!   Extension  ::=  SEQUENCE  {
//!        extnID      OBJECT IDENTIFIER,
//!        critical    BOOLEAN DEFAULT FALSE,
//!        extnValue   OCTET STRING
//!                    -- contains the DER encoding of an ASN.1 value
//!                    -- corresponding to the extension type identified
//!                    -- by extnID
//!        }
//! RFC 5280 §4.2: A certificate MUST NOT include more than one instance of a
//!   particular extension. ... A certificate-using system MUST reject the
//!   certificate if it encounters a critical extension it does not recognize.
//! RFC 5280 §4.2.1.9
//!   BasicConstraints ::= SEQUENCE {
//!        cA                      BOOLEAN DEFAULT FALSE,
//!        pathLenConstraint       INTEGER (0..MAX) OPTIONAL }
//! RFC 5280 §4.2.1.3
//!   KeyUsage ::= BIT STRING { digitalSignature (0), nonRepudiation (1),
//!        keyEncipherment (2), dataEncipherment (3), keyAgreement (4),
//!        keyCertSign (5), cRLSign (6), encipherOnly (7), decipherOnly (8) }
//! RFC 5280 §4.2.1.12
//!   ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId
//!   id-kp-serverAuth  { id-kp 1 }  ... id-kp-clientAuth  { id-kp 2 }
//! RFC 7633
//!   id-pe-tlsfeature OBJECT IDENTIFIER ::=  { id-pe 24 }
//!   Features ::= SEQUENCE OF INTEGER
//! ```
//!
//! A TLS feature list holding status_request (5, RFC 6066 §8) is OCSP
//! must-staple: the server promises to staple an OCSP response.
//!
//! An extension that does not decode is an anomaly, not a parse failure of the
//! certificate: the rest of the facts still stand.

use std::net::IpAddr;

use const_oid::ObjectIdentifier;
use mailtls_core::{BasicConstraintsFacts, SubjectAltNames};
use x509_cert::TbsCertificate;
use x509_cert::der::Decode;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{
    AuthorityInfoAccessSyntax, AuthorityKeyIdentifier, BasicConstraints, CertificatePolicies,
    CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages, SubjectAltName, SubjectKeyIdentifier,
};

use super::access::{authority_info_access_urls, crl_urls};
use super::sct::count_scts;

const SUBJECT_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.14");
const KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.15");
const SUBJECT_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.17");
const ISSUER_ALT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.18");
const BASIC_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.19");
const NAME_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.30");
const CRL_DISTRIBUTION_POINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.31");
const CERTIFICATE_POLICIES: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.32");
const POLICY_MAPPINGS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.33");
const AUTHORITY_KEY_IDENTIFIER: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.35");
const POLICY_CONSTRAINTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.36");
const EXTENDED_KEY_USAGE: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.37");
const FRESHEST_CRL: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.46");
const INHIBIT_ANY_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.29.54");
const AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
const SUBJECT_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.11");
const TLS_FEATURE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.24");
const EMBEDDED_SCTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.2");
const PRECERTIFICATE_POISON: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.11129.2.4.3");

/// Extensions a path validator processes, so that marking them critical is fine.
const UNDERSTOOD: &[ObjectIdentifier] = &[
    SUBJECT_KEY_IDENTIFIER,
    KEY_USAGE,
    SUBJECT_ALT_NAME,
    ISSUER_ALT_NAME,
    BASIC_CONSTRAINTS,
    NAME_CONSTRAINTS,
    CRL_DISTRIBUTION_POINTS,
    CERTIFICATE_POLICIES,
    POLICY_MAPPINGS,
    AUTHORITY_KEY_IDENTIFIER,
    POLICY_CONSTRAINTS,
    EXTENDED_KEY_USAGE,
    FRESHEST_CRL,
    INHIBIT_ANY_POLICY,
    AUTHORITY_INFO_ACCESS,
    SUBJECT_INFO_ACCESS,
    TLS_FEATURE,
    EMBEDDED_SCTS,
];

/// TLS status_request, the ExtensionType of OCSP stapling (RFC 6066 §8).
const STATUS_REQUEST: u32 = 5;

const KEY_USAGE_NAMES: &[(KeyUsages, &str)] = &[
    (KeyUsages::DigitalSignature, "digitalSignature"),
    (KeyUsages::NonRepudiation, "nonRepudiation"),
    (KeyUsages::KeyEncipherment, "keyEncipherment"),
    (KeyUsages::DataEncipherment, "dataEncipherment"),
    (KeyUsages::KeyAgreement, "keyAgreement"),
    (KeyUsages::KeyCertSign, "keyCertSign"),
    (KeyUsages::CRLSign, "cRLSign"),
    (KeyUsages::EncipherOnly, "encipherOnly"),
    (KeyUsages::DecipherOnly, "decipherOnly"),
];

const ID_KP_SERVER_AUTH: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.1");

const EXTENDED_KEY_USAGE_NAMES: &[(ObjectIdentifier, &str)] = &[
    (ID_KP_SERVER_AUTH, "serverAuth"),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.2"), "clientAuth"),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.3"), "codeSigning"),
    (
        ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4"),
        "emailProtection",
    ),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8"), "timeStamping"),
    (ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9"), "OCSPSigning"),
    (ObjectIdentifier::new_unwrap("2.5.29.37.0"), "anyExtendedKeyUsage"),
];

/// What the extensions of one certificate say.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ExtensionFacts {
    pub(crate) subject_alt_names: Option<SubjectAltNames>,
    pub(crate) basic_constraints: Option<BasicConstraintsFacts>,
    pub(crate) key_usage: Option<Vec<String>>,
    pub(crate) extended_key_usage: Option<Vec<String>>,
    pub(crate) server_auth: bool,
    pub(crate) policies: Vec<ObjectIdentifier>,
    pub(crate) embedded_scts: u32,
    pub(crate) must_staple: bool,
    pub(crate) ocsp_urls: Vec<String>,
    pub(crate) ca_issuers_urls: Vec<String>,
    pub(crate) crl_urls: Vec<String>,
    pub(crate) subject_key_id: Option<Vec<u8>>,
    pub(crate) authority_key_id: Option<Vec<u8>>,
    pub(crate) anomalies: Vec<String>,
}

/// Reads the extensions of `tbs`.
pub(crate) fn extension_facts(tbs: &TbsCertificate) -> ExtensionFacts {
    let mut facts = ExtensionFacts::default();
    let extensions = tbs.extensions().map(Vec::as_slice).unwrap_or_default();
    for (index, extension) in extensions.iter().enumerate() {
        let oid = extension.extn_id;
        if extensions
            .iter()
            .take(index)
            .any(|earlier| earlier.extn_id == oid)
        {
            facts
                .anomalies
                .push(format!("extension {oid} appears more than once (RFC 5280 §4.2)"));
            continue;
        }
        if let Err(reason) = read_extension(&mut facts, extension) {
            facts
                .anomalies
                .push(format!("extension {oid} does not decode: {reason}"));
        }
        if oid == PRECERTIFICATE_POISON {
            facts.anomalies.push(
                "the certificate carries the CT precertificate poison (RFC 6962 §3.1): it is a \
                 precertificate, not a certificate"
                    .into(),
            );
        } else if extension.critical && !UNDERSTOOD.contains(&oid) {
            facts.anomalies.push(format!(
                "extension {oid} is critical and not recognised: validators must reject the certificate"
            ));
        }
    }
    facts
}

fn read_extension(facts: &mut ExtensionFacts, extension: &Extension) -> Result<(), String> {
    let oid = extension.extn_id;
    let value = extension.extn_value.as_bytes();
    let error = |error: x509_cert::der::Error| error.to_string();
    if oid == SUBJECT_ALT_NAME {
        facts.subject_alt_names = Some(subject_alt_names(
            &SubjectAltName::from_der(value).map_err(error)?,
        ));
    } else if oid == BASIC_CONSTRAINTS {
        let constraints = BasicConstraints::from_der(value).map_err(error)?;
        facts.basic_constraints = Some(BasicConstraintsFacts {
            ca: constraints.ca,
            path_len: constraints.path_len_constraint,
            critical: extension.critical,
        });
    } else if oid == KEY_USAGE {
        let usage = KeyUsage::from_der(value).map_err(error)?;
        facts.key_usage = Some(
            KEY_USAGE_NAMES
                .iter()
                .filter(|(flag, _)| usage.0.contains(*flag))
                .map(|(_, name)| (*name).to_owned())
                .collect(),
        );
    } else if oid == EXTENDED_KEY_USAGE {
        let usage = ExtendedKeyUsage::from_der(value).map_err(error)?;
        facts.server_auth = usage.0.contains(&ID_KP_SERVER_AUTH);
        facts.extended_key_usage = Some(usage.0.iter().map(purpose_name).collect());
    } else if oid == CERTIFICATE_POLICIES {
        let policies = CertificatePolicies::from_der(value).map_err(error)?;
        facts.policies = policies.0.iter().map(|policy| policy.policy_identifier).collect();
    } else if oid == EMBEDDED_SCTS {
        facts.embedded_scts = count_scts(value)?;
    } else if oid == TLS_FEATURE {
        let features = Vec::<u32>::from_der(value).map_err(error)?;
        facts.must_staple = features.contains(&STATUS_REQUEST);
    } else if oid == AUTHORITY_INFO_ACCESS {
        let access = AuthorityInfoAccessSyntax::from_der(value).map_err(error)?;
        (facts.ocsp_urls, facts.ca_issuers_urls) = authority_info_access_urls(&access);
    } else if oid == CRL_DISTRIBUTION_POINTS {
        facts.crl_urls = crl_urls(&CrlDistributionPoints::from_der(value).map_err(error)?);
    } else if oid == SUBJECT_KEY_IDENTIFIER {
        let identifier = SubjectKeyIdentifier::from_der(value).map_err(error)?;
        facts.subject_key_id = Some(identifier.0.as_bytes().to_vec());
    } else if oid == AUTHORITY_KEY_IDENTIFIER {
        let identifier = AuthorityKeyIdentifier::from_der(value).map_err(error)?;
        facts.authority_key_id = identifier
            .key_identifier
            .map(|identifier| identifier.as_bytes().to_vec());
    }
    Ok(())
}

fn subject_alt_names(names: &SubjectAltName) -> SubjectAltNames {
    let mut out = SubjectAltNames::default();
    for name in &names.0 {
        match name {
            GeneralName::DnsName(dns) => out.dns_names.push(dns.to_string()),
            GeneralName::IpAddress(octets) => match ip_address(octets.as_bytes()) {
                Some(address) => out.ip_addresses.push(address),
                None => out.other = out.other.saturating_add(1),
            },
            _ => out.other = out.other.saturating_add(1),
        }
    }
    out
}

/// An iPAddress entry: four octets for IPv4, sixteen for IPv6 (RFC 5280 §4.2.1.6).
fn ip_address(octets: &[u8]) -> Option<IpAddr> {
    if let Ok(v4) = <[u8; 4]>::try_from(octets) {
        return Some(IpAddr::from(v4));
    }
    <[u8; 16]>::try_from(octets).ok().map(IpAddr::from)
}

fn purpose_name(oid: &ObjectIdentifier) -> String {
    EXTENDED_KEY_USAGE_NAMES
        .iter()
        .find(|(known, _)| known == oid)
        .map_or_else(|| oid.to_string(), |(_, name)| (*name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ip_addresses_have_four_or_sixteen_octets() {
        assert_eq!(ip_address(&[192, 0, 2, 1]), Some("192.0.2.1".parse().unwrap()));
        assert_eq!(ip_address(&[0u8; 16]), Some("::".parse().unwrap()));
        assert_eq!(ip_address(&[1, 2, 3]), None);
    }

    #[test]
    fn unknown_purposes_are_dotted() {
        assert_eq!(purpose_name(&ObjectIdentifier::new_unwrap("1.2.3")), "1.2.3");
        assert_eq!(purpose_name(&ID_KP_SERVER_AUTH), "serverAuth");
    }
}
