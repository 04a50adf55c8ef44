//! The validity period, in Unix seconds and RFC 3339, relative to a given moment.
//!
//! ```text
//! RFC 5280 §4.1.2.5
//!   Validity ::= SEQUENCE {
//!        notBefore      Time,
//!        notAfter       Time }
//!   Time ::= CHOICE {
//!        utcTime        UTCTime,
//!        generalTime    GeneralizedTime }
//!   The validity period for a certificate is the period of time from
//!   notBefore through notAfter, inclusive.
//! ```

use std::time::{SystemTime, UNIX_EPOCH};

use mailtls_core::{CertificateValidity, ValidityStatus};
use x509_cert::time::{Time, Validity};

const SECONDS_PER_DAY: i64 = 24 * 60 * 60;

/// The facts of `validity` as seen at `now`.
pub(crate) fn validity_facts(validity: &Validity, now: SystemTime) -> CertificateValidity {
    let not_before = unix_seconds(&validity.not_before);
    let not_after = unix_seconds(&validity.not_after);
    let now = system_seconds(now);
    let status = if now < not_before {
        ValidityStatus::NotYetValid
    } else if now > not_after {
        ValidityStatus::Expired
    } else {
        ValidityStatus::Valid
    };
    CertificateValidity {
        not_before,
        not_after,
        not_before_rfc3339: validity.not_before.to_date_time().to_string(),
        not_after_rfc3339: validity.not_after.to_date_time().to_string(),
        days_to_expiry: not_after.saturating_sub(now).div_euclid(SECONDS_PER_DAY),
        // Inclusive of both ends: a certificate valid from 00:00:00 to 23:59:59
        // eighty-nine days later lives ninety days.
        lifetime_days: not_after
            .saturating_sub(not_before)
            .saturating_add(1)
            .div_euclid(SECONDS_PER_DAY),
        status,
    }
}

/// Seconds since the Unix epoch. x509-cert accepts no time before 1970.
fn unix_seconds(time: &Time) -> i64 {
    i64::try_from(time.to_unix_duration().as_secs()).unwrap_or(i64::MAX)
}

/// Seconds since the Unix epoch, negative before it.
fn system_seconds(time: SystemTime) -> i64 {
    match time.duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => i64::try_from(before.duration().as_secs()).map_or(i64::MIN, |seconds| -seconds),
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use x509_cert::der::DateTime;

    use super::*;

    fn validity(not_before: u64, not_after: u64) -> Validity {
        let time = |seconds| {
            Time::GeneralTime(x509_cert::der::asn1::GeneralizedTime::from_date_time(
                DateTime::from_unix_duration(Duration::from_secs(seconds)).unwrap(),
            ))
        };
        Validity::new(time(not_before), time(not_after))
    }

    fn at(seconds: u64) -> SystemTime {
        UNIX_EPOCH + Duration::from_secs(seconds)
    }

    #[test]
    fn ninety_day_certificate_has_a_lifetime_of_ninety_days() {
        let facts = validity_facts(&validity(0, 90 * 86_400 - 1), at(0));
        assert_eq!(facts.lifetime_days, 90);
        assert_eq!(facts.days_to_expiry, 89);
        assert_eq!(facts.status, ValidityStatus::Valid);
        assert_eq!(facts.not_before_rfc3339, "1970-01-01T00:00:00Z");
        assert_eq!(facts.not_after_rfc3339, "1970-03-31T23:59:59Z");
    }

    #[test]
    fn one_second_after_not_after_is_expired_by_a_day() {
        let facts = validity_facts(&validity(0, 86_400), at(86_401));
        assert_eq!(facts.status, ValidityStatus::Expired);
        assert_eq!(facts.days_to_expiry, -1);
    }

    #[test]
    fn not_after_itself_is_still_valid() {
        let facts = validity_facts(&validity(0, 86_400), at(86_400));
        assert_eq!(facts.status, ValidityStatus::Valid);
        assert_eq!(facts.days_to_expiry, 0);
    }

    #[test]
    fn before_not_before_is_not_yet_valid() {
        let facts = validity_facts(&validity(1_000, 2_000), at(999));
        assert_eq!(facts.status, ValidityStatus::NotYetValid);
    }

    #[test]
    fn a_clock_before_1970_counts_negative_seconds() {
        assert_eq!(system_seconds(UNIX_EPOCH - Duration::from_secs(5)), -5);
    }
}
