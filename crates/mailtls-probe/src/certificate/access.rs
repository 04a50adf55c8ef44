//! Where a client may fetch more about a certificate: OCSP responders, the
//! issuer's certificate, CRLs.
//!
//! ```text
//! RFC 5280 §4.2.2.1
//!   AuthorityInfoAccessSyntax  ::=
//!           SEQUENCE SIZE (1..MAX) OF AccessDescription
//!   AccessDescription  ::=  SEQUENCE {
//!           accessMethod          OBJECT IDENTIFIER,
//!           accessLocation        GeneralName  }
//!   id-ad-caIssuers OBJECT IDENTIFIER ::= { id-ad 2 }
//!   id-ad-ocsp OBJECT IDENTIFIER ::= { id-ad 1 }
//! RFC 5280 §4.2.1.13
//!   CRLDistributionPoints ::= SEQUENCE SIZE (1..MAX) OF DistributionPoint
//!   DistributionPoint ::= SEQUENCE {
//!        distributionPoint       [0]     DistributionPointName OPTIONAL,
//!        reasons                 [1]     ReasonFlags OPTIONAL,
//!        cRLIssuer               [2]     GeneralNames OPTIONAL }
//!   DistributionPointName ::= CHOICE {
//!        fullName                [0]     GeneralNames,
//!        nameRelativeToCRLIssuer [1]     RelativeDistinguishedName }
//! ```

use const_oid::ObjectIdentifier;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{AuthorityInfoAccessSyntax, CrlDistributionPoints};

const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");
const ID_AD_CA_ISSUERS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.2");

/// The URLs of an authorityInfoAccess extension: (OCSP, caIssuers).
pub(crate) fn authority_info_access_urls(access: &AuthorityInfoAccessSyntax) -> (Vec<String>, Vec<String>) {
    let mut ocsp = Vec::new();
    let mut ca_issuers = Vec::new();
    for description in &access.0 {
        let Some(url) = uri(&description.access_location) else {
            continue;
        };
        if description.access_method == ID_AD_OCSP {
            ocsp.push(url);
        } else if description.access_method == ID_AD_CA_ISSUERS {
            ca_issuers.push(url);
        }
    }
    (ocsp, ca_issuers)
}

/// The URLs of the full names of a cRLDistributionPoints extension.
pub(crate) fn crl_urls(points: &CrlDistributionPoints) -> Vec<String> {
    points
        .0
        .iter()
        .filter_map(|point| match &point.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(uri)
        .collect()
}

fn uri(name: &GeneralName) -> Option<String> {
    match name {
        GeneralName::UniformResourceIdentifier(uri) => Some(uri.to_string()),
        _ => None,
    }
}
