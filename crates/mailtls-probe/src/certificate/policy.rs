//! The CA/Browser Forum validation level of a certificate, from its policies.
//!
//! ```text
//! CA/Browser Forum Baseline Requirements §7.1.6.1 (Reserved Certificate Policy Identifiers)
//!   {joint-iso-itu-t(2) international-organizations(23) ca-browser-forum(140)
//!    certificate-policies(1) baseline-requirements(2) domain-validated(1)}    2.23.140.1.2.1
//!   ... organization-validated(2)                                               2.23.140.1.2.2
//!   ... individual-validated(3)                                                 2.23.140.1.2.3
//! CA/Browser Forum EV Guidelines §9.3.2
//!   {joint-iso-itu-t(2) international-organizations(23) ca-browser-forum(140)
//!    certificate-policies(1) ev-guidelines(1)}                                  2.23.140.1.1
//! ```

use const_oid::ObjectIdentifier;
use mailtls_core::ValidationLevel;

/// The reserved policy identifiers, strongest first.
const LEVELS: &[(ObjectIdentifier, ValidationLevel)] = &[
    (ObjectIdentifier::new_unwrap("2.23.140.1.1"), ValidationLevel::Ev),
    (
        ObjectIdentifier::new_unwrap("2.23.140.1.2.2"),
        ValidationLevel::Ov,
    ),
    (
        ObjectIdentifier::new_unwrap("2.23.140.1.2.3"),
        ValidationLevel::Iv,
    ),
    (
        ObjectIdentifier::new_unwrap("2.23.140.1.2.1"),
        ValidationLevel::Dv,
    ),
];

/// The strongest validation level among `policies`.
pub(crate) fn validation_level(policies: &[ObjectIdentifier]) -> Option<ValidationLevel> {
    LEVELS
        .iter()
        .find(|(oid, _)| policies.contains(oid))
        .map(|(_, level)| *level)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oid(text: &str) -> ObjectIdentifier {
        ObjectIdentifier::new(text).unwrap()
    }

    #[test]
    fn domain_validated_policy_is_dv() {
        assert_eq!(
            validation_level(&[oid("2.23.140.1.2.1")]),
            Some(ValidationLevel::Dv)
        );
    }

    #[test]
    fn ev_wins_over_ov() {
        let policies = [
            oid("2.23.140.1.2.2"),
            oid("1.3.6.1.4.1.99.1"),
            oid("2.23.140.1.1"),
        ];
        assert_eq!(validation_level(&policies), Some(ValidationLevel::Ev));
    }

    #[test]
    fn a_ca_specific_policy_alone_has_no_level() {
        assert_eq!(validation_level(&[oid("1.3.6.1.4.1.44947.1.1.1")]), None);
    }
}
