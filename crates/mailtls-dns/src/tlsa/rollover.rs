//! The TLSA set of one server as a whole: is anything usable, and can the
//! key roll over without breaking DANE?
//!
//! ```text
//! RFC 7671 §8.1 (Key Rollover with Fixed TLSA Parameters)
//!   ... the TLSA records for the new key [are published] before the new
//!   key is deployed ... Once the new key is in use, the TLSA records for
//!   the old key can be removed.
//! RFC 7671 §8 also describes publishing the issuing CA as DANE-TA(2) next
//!   to the server key as DANE-EE(3) ("3 1 1" + "2 1 1"), so that a new key
//!   from the same CA keeps matching.
//! RFC 7672 §2.2: a TLSA RRset none of whose records is usable is treated
//!   as "unusable": the client still requires TLS but cannot authenticate.
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CertUsage, Tlsa};
use crate::record_issue::{IssueLevel, RecordIssue};

/// How a TLSA set prepares for a key change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RolloverKind {
    /// No records.
    Empty,
    /// Records, but none usable for SMTP.
    NoUsableRecords,
    /// One usable association: a new key or certificate breaks DANE until
    /// the record is updated and old copies expire from caches.
    SingleAssociation,
    /// Two or more DANE-EE associations with the same parameters: the
    /// current and the next key ("3 1 1 + 3 1 1").
    CurrentAndNext,
    /// DANE-EE for the server key plus DANE-TA for its issuer ("3 1 1 + 2 1 1").
    DaneEeWithDaneTa,
    /// DANE-TA only: any key the trust anchor certifies matches.
    DaneTaOnly,
    /// DANE-EE associations with different parameters each (a change of
    /// parameters in progress, RFC 7671 §8.3).
    ParameterTransition,
}

/// The rollover scheme of a TLSA set, with a short description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RolloverScheme {
    /// The kind of scheme.
    pub kind: RolloverKind,
    /// The usable associations' parameters, e.g. `3 1 1 + 2 1 1`, then how
    /// many records are unusable, if any.
    pub description: String,
}

/// Describes the rollover scheme of the TLSA records published for one
/// server (duplicates count once).
pub fn rollover_scheme(records: &[Tlsa]) -> RolloverScheme {
    let mut distinct: Vec<&Tlsa> = Vec::new();
    for record in records {
        if !distinct.contains(&record) {
            distinct.push(record);
        }
    }
    let (mut usable, unusable): (Vec<&Tlsa>, Vec<&Tlsa>) = distinct
        .into_iter()
        .partition(|record| record.is_usable_for_smtp());
    usable.sort_by_key(|record| {
        (
            std::cmp::Reverse(record.usage),
            std::cmp::Reverse(record.selector),
            record.matching_type,
        )
    });
    let mut description = usable
        .iter()
        .map(|record| record.parameters())
        .collect::<Vec<_>>()
        .join(" + ");
    if !unusable.is_empty() {
        if !description.is_empty() {
            description.push(' ');
        }
        description.push_str(&format!("({} unusable)", unusable.len()));
    }
    let has = |usage: CertUsage| usable.iter().any(|record| record.usage == usage);
    let kind = if records.is_empty() {
        RolloverKind::Empty
    } else if usable.is_empty() {
        RolloverKind::NoUsableRecords
    } else if usable.len() == 1 {
        RolloverKind::SingleAssociation
    } else if has(CertUsage::DaneEe) && has(CertUsage::DaneTa) {
        RolloverKind::DaneEeWithDaneTa
    } else if has(CertUsage::DaneTa) {
        RolloverKind::DaneTaOnly
    } else {
        let shares_parameters = usable.iter().enumerate().any(|(index, a)| {
            usable
                .iter()
                .skip(index + 1)
                .any(|b| a.parameters() == b.parameters())
        });
        if shares_parameters {
            RolloverKind::CurrentAndNext
        } else {
            RolloverKind::ParameterTransition
        }
    };
    RolloverScheme { kind, description }
}

/// The issues of each record ([`Tlsa::lint`]) and of the set as a whole.
pub fn lint_rrset(records: &[Tlsa]) -> Vec<RecordIssue> {
    let mut issues: Vec<RecordIssue> = records.iter().flat_map(Tlsa::lint).collect();
    let scheme = rollover_scheme(records);
    match scheme.kind {
        RolloverKind::NoUsableRecords => issues.push(RecordIssue::whole(
            "tlsa.rrset.unusable",
            IssueLevel::Error,
            format!(
                "none of the {} TLSA records is usable for SMTP: DANE clients require TLS but cannot \
                 authenticate the server (RFC 7672 §2.2)",
                records.len()
            ),
        )),
        RolloverKind::SingleAssociation => issues.push(RecordIssue::whole(
            "tlsa.rollover.single",
            IssueLevel::Notice,
            format!(
                "only one usable TLSA association ({}): publish the next key's \"3 1 1\" or the issuer's \
                 \"2 1 1\" as well, so that a key change does not break DANE (RFC 7671 §8.1)",
                scheme.description
            ),
        )),
        _ => {}
    }
    issues
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ee(byte: u8) -> Tlsa {
        Tlsa::new(3, 1, 1, vec![byte; 32])
    }

    fn ta(byte: u8) -> Tlsa {
        Tlsa::new(2, 1, 1, vec![byte; 32])
    }

    #[test]
    fn current_and_next_key() {
        assert_eq!(
            rollover_scheme(&[ee(1), ee(2)]),
            RolloverScheme {
                kind: RolloverKind::CurrentAndNext,
                description: "3 1 1 + 3 1 1".into()
            }
        );
    }

    #[test]
    fn dane_ee_with_dane_ta_lists_ee_first() {
        assert_eq!(
            rollover_scheme(&[ta(1), ee(2)]),
            RolloverScheme {
                kind: RolloverKind::DaneEeWithDaneTa,
                description: "3 1 1 + 2 1 1".into()
            }
        );
    }

    #[test]
    fn duplicate_records_count_once() {
        assert_eq!(
            rollover_scheme(&[ee(1), ee(1)]).kind,
            RolloverKind::SingleAssociation
        );
    }

    #[test]
    fn unusable_records_are_counted_apart() {
        let scheme = rollover_scheme(&[ee(1), Tlsa::new(1, 1, 1, vec![0; 32])]);
        assert_eq!(
            scheme,
            RolloverScheme {
                kind: RolloverKind::SingleAssociation,
                description: "3 1 1 (1 unusable)".into()
            }
        );
    }

    #[test]
    fn different_parameters_are_a_transition() {
        let scheme = rollover_scheme(&[ee(1), Tlsa::new(3, 1, 2, vec![1; 64])]);
        assert_eq!(scheme.kind, RolloverKind::ParameterTransition);
        assert_eq!(scheme.description, "3 1 1 + 3 1 2");
    }

    #[test]
    fn set_without_usable_records_is_an_error() {
        let issues = lint_rrset(&[Tlsa::new(1, 1, 1, vec![0; 32])]);
        let ids: Vec<&str> = issues.iter().map(|issue| issue.id.as_str()).collect();
        assert_eq!(ids, ["tlsa.usage.pkix", "tlsa.rrset.unusable"]);
    }

    #[test]
    fn single_usable_record_is_a_notice() {
        let issues = lint_rrset(&[ee(1)]);
        assert_eq!(issues.len(), 1);
        assert_eq!(issues[0].id, "tlsa.rollover.single");
        assert_eq!(issues[0].level, IssueLevel::Notice);
    }

    #[test]
    fn empty_set_has_no_issues() {
        assert_eq!(rollover_scheme(&[]).kind, RolloverKind::Empty);
        assert_eq!(lint_rrset(&[]), []);
    }
}
