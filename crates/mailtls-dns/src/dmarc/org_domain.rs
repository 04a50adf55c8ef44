//! The organisational domain (RFC 7489 §3.2) and the authorisation of
//! external report destinations (RFC 7489 §7.1).
//!
//! ```text
//! RFC 7489 §3.2
//!   1. Acquire a "public suffix" list ...
//!   2. Break the subject DNS domain name into a set of "n" ordered labels.
//!   3. Search the public suffix list for the name that matches the largest
//!      number of labels found in the subject DNS domain. Let that number be "x".
//!   4. Construct a new DNS domain name using the name that matched from the
//!      public suffix list and prefixing to it the "x+1"th label from the
//!      subject domain. This new name is the Organizational Domain.
//!
//! RFC 7489 §7.1
//!   1. Extract the host portion of the authority component of the URI.
//!      Call this the "destination host", as it refers to a Report Receiver.
//!   2. Prepend the string "_report._dmarc".
//!   3. Prepend the domain name from which the policy was retrieved, after
//!      conversion to an A-label if needed.
//!   4. Query the DNS for a TXT record at the constructed name. ...
//!   5. For each record returned, parse the result as a series of
//!      "tag=value" pairs, i.e., the same overall format as the policy
//!      record (see Section 6.4). In particular, the "v=DMARC1" tag is
//!      mandatory and MUST appear first in the list. Discard any that do
//!      not pass this test.
//!   6. If the result includes no TXT resource records that pass basic
//!      parsing, a positive determination of the external reporting
//!      relationship cannot be made; stop.
//! ```
//!
//! The public suffix list is the one compiled into the `psl` crate, ICANN
//! and private sections both, as RFC 7489 leaves the choice open and common
//! receivers use the whole list.

use mailtls_core::Domain;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::DmarcRecord;
use crate::tag_list;

/// The organisational domain of `domain`: its public suffix plus one label.
/// A name that is itself a public suffix is its own organisational domain.
pub fn organizational_domain(domain: &Domain) -> Domain {
    psl::domain_str(domain.as_str())
        .and_then(|org| Domain::parse(org).ok())
        .unwrap_or_else(|| domain.clone())
}

/// Which report tag a destination comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportKind {
    /// `rua`: aggregate reports.
    Aggregate,
    /// `ruf`: failure reports.
    Failure,
}

/// A report destination outside the policy domain's organisational domain,
/// which must confirm that it accepts the reports (RFC 7489 §7.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExternalDestination {
    /// Whether it receives aggregate or failure reports.
    pub kind: ReportKind,
    /// The URI as published (without size limit).
    pub uri: String,
    /// The domain of the `mailto:` address.
    pub destination: Domain,
    /// The TXT name to query: `<policy-domain>._report._dmarc.<destination>`.
    /// It holds underscores, so it is a DNS name but not a [`Domain`].
    pub authorization_name: String,
}

/// The `mailto:` destinations of `record` whose domain is not within the
/// organisational domain of `policy_domain`, the domain whose `_dmarc`
/// record this is, with the name at which each must authorise the reports.
pub fn external_report_destinations(
    policy_domain: &Domain,
    record: &DmarcRecord,
) -> Vec<ExternalDestination> {
    let org = organizational_domain(policy_domain);
    let tagged = record
        .aggregate_report_uris
        .iter()
        .map(|uri| (ReportKind::Aggregate, uri))
        .chain(
            record
                .failure_report_uris
                .iter()
                .map(|uri| (ReportKind::Failure, uri)),
        );
    tagged
        .filter_map(|(kind, uri)| {
            let destination = uri.mailto()?.domain;
            (!destination.is_subdomain_of(&org)).then(|| ExternalDestination {
                kind,
                uri: uri.uri.clone(),
                authorization_name: report_authorization_name(policy_domain, &destination),
                destination,
            })
        })
        .collect()
}

/// `<policy-domain>._report._dmarc.<destination>` (RFC 7489 §7.1 steps 1-3).
pub fn report_authorization_name(policy_domain: &Domain, destination: &Domain) -> String {
    format!("{policy_domain}._report._dmarc.{destination}")
}

/// Judges the TXT records (strings joined) found at a
/// [`report_authorization_name`]: the destination accepts the reports when at
/// least one of them starts with `v=DMARC1` (RFC 7489 §7.1 steps 5-6).
pub fn reports_authorized<S: AsRef<str>>(txt_records: &[S]) -> bool {
    txt_records
        .iter()
        .any(|text| tag_list::starts_with_version(text.as_ref(), "DMARC1"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dmarc::parse;

    fn domain(name: &str) -> Domain {
        Domain::parse(name).unwrap()
    }

    #[test]
    fn organizational_domain_of_a_subdomain_is_suffix_plus_one() {
        assert_eq!(
            organizational_domain(&domain("mail.sub.example.com")),
            domain("example.com")
        );
    }

    #[test]
    fn organizational_domain_respects_multi_label_suffixes() {
        assert_eq!(
            organizational_domain(&domain("a.b.example.co.uk")),
            domain("example.co.uk")
        );
    }

    #[test]
    fn public_suffix_is_its_own_organizational_domain() {
        assert_eq!(organizational_domain(&domain("co.uk")), domain("co.uk"));
    }

    #[test]
    fn external_destination_names_the_authorisation_record() {
        let (record, _) = parse(
            "v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:d@reports.thirdparty.example.net; \
             ruf=mailto:f@sub.example.com",
        );
        let external = external_report_destinations(&domain("mail.example.com"), &record.unwrap());
        assert_eq!(
            external,
            [ExternalDestination {
                kind: ReportKind::Aggregate,
                uri: "mailto:d@reports.thirdparty.example.net".into(),
                destination: domain("reports.thirdparty.example.net"),
                authorization_name: "mail.example.com._report._dmarc.reports.thirdparty.example.net".into(),
            }]
        );
    }

    #[test]
    fn authorisation_needs_a_record_starting_with_dmarc1() {
        assert!(reports_authorized(&["v=DMARC1"]));
        assert!(reports_authorized(&["other", "v=DMARC1;"]));
        assert!(!reports_authorized(&["v=spf1 -all"]));
        assert!(!reports_authorized::<&str>(&[]));
    }
}
