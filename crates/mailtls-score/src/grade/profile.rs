//! Profiles: the same findings judged by a published guideline. A profile is
//! a table of status changes (`tls.version.tls1_0`: warn → fail under
//! Mozilla intermediate) applied to the findings before grading; the caps
//! of [`super::caps`] then follow the changed statuses. `docs/profiles.md`
//! describes each profile and its source.

use mailtls_core::{Finding, Status};

/// One change a profile makes: findings of `rule` with a status in `from`
/// get status `to`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Override {
    /// The rule id.
    pub rule: &'static str,
    /// The statuses changed.
    pub from: &'static [Status],
    /// The new status.
    pub to: Status,
}

/// A guideline to judge by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    /// The name given to `--profile`.
    pub name: &'static str,
    /// What it is, one line.
    pub title: &'static str,
    /// The status changes, applied in order.
    pub overrides: &'static [Override],
}

const WARN: &[Status] = &[Status::Warn];
const INFO: &[Status] = &[Status::Info];
const FAIL: &[Status] = &[Status::Fail];

const fn change(rule: &'static str, from: &'static [Status], to: Status) -> Override {
    Override { rule, from, to }
}

/// Mozilla intermediate: TLS 1.2 and 1.3, forward-secret AEAD suites only,
/// DH of 2048 bits or more; the client may choose among them.
const MOZILLA_INTERMEDIATE: &[Override] = &[
    change("tls.version.tls1_0", WARN, Status::Fail),
    change("tls.version.tls1_1", WARN, Status::Fail),
    change("tls.cipher.no_forward_secrecy", WARN, Status::Fail),
    change("tls.cipher.no_aead", WARN, Status::Fail),
    change("tls.cipher.cbc", INFO, Status::Fail),
    change("tls.cipher.sweet32", WARN, Status::Fail),
    change("tls.kex.dh_weak", WARN, Status::Fail),
    change("tls.cipher.server_order", WARN, Status::Pass),
];

/// Mozilla modern: TLS 1.3 only.
const MOZILLA_MODERN: &[Override] = &[
    change("tls.version.tls1_0", WARN, Status::Fail),
    change("tls.version.tls1_1", WARN, Status::Fail),
    change("tls.version.tls1_2", INFO, Status::Fail),
    change("tls.version.tls1_3", INFO, Status::Fail),
    change("tls.cipher.no_forward_secrecy", WARN, Status::Fail),
    change("tls.cipher.no_aead", WARN, Status::Fail),
    change("tls.cipher.cbc", INFO, Status::Fail),
    change("tls.cipher.sweet32", WARN, Status::Fail),
    change("tls.kex.dh_weak", WARN, Status::Fail),
    change("tls.cipher.server_order", WARN, Status::Pass),
];

/// NCSC-NL IT Security Guidelines for TLS 2.1: TLS 1.0/1.1, 3DES and RSA key
/// exchange are "phase out" (warn), AES-CBC is "sufficient", NULL, RC4,
/// export and SSL are "insufficient" (fail); DANE is recommended for mail.
const NCSC_NL: &[Override] = &[
    change("tls.cipher.no_forward_secrecy", FAIL, Status::Warn),
    change("tls.cipher.no_aead", WARN, Status::Info),
    change("dane.tlsa.missing", INFO, Status::Warn),
];

/// BSI TR-03108 (with TR-02102-2): TLS 1.2 or later, forward secrecy,
/// strong groups, DNSSEC and DANE for the MX hosts.
const BSI_TR_03108: &[Override] = &[
    change("tls.version.tls1_0", WARN, Status::Fail),
    change("tls.version.tls1_1", WARN, Status::Fail),
    change("tls.cipher.no_forward_secrecy", WARN, Status::Fail),
    change("tls.cipher.sweet32", WARN, Status::Fail),
    change("tls.kex.dh_weak", WARN, Status::Fail),
    change("dane.tlsa.missing", INFO, Status::Fail),
    change("dane.tlsa.unusable", WARN, Status::Fail),
    change("dns.dnssec.insecure", WARN, Status::Fail),
];

/// Every profile, `default` first.
pub const PROFILES: &[Profile] = &[
    Profile {
        name: "default",
        title: "mailtls: SSL Labs-style grading adapted to mail",
        overrides: &[],
    },
    Profile {
        name: "ncsc-nl",
        title: "NCSC-NL IT Security Guidelines for TLS (2.1)",
        overrides: NCSC_NL,
    },
    Profile {
        name: "bsi-tr-03108",
        title: "BSI TR-03108 Secure E-Mail Transport, with TR-02102-2",
        overrides: BSI_TR_03108,
    },
    Profile {
        name: "mozilla-intermediate",
        title: "Mozilla Server Side TLS, intermediate configuration",
        overrides: MOZILLA_INTERMEDIATE,
    },
    Profile {
        name: "mozilla-modern",
        title: "Mozilla Server Side TLS, modern configuration",
        overrides: MOZILLA_MODERN,
    },
];

impl Profile {
    /// The profile called `name`.
    pub fn named(name: &str) -> Option<&'static Profile> {
        PROFILES
            .iter()
            .find(|profile| profile.name.eq_ignore_ascii_case(name))
    }

    /// The default profile.
    pub fn default_profile() -> &'static Profile {
        PROFILES.first().unwrap_or(&DEFAULT)
    }

    /// `findings` with this profile's status changes, worst first again.
    pub fn apply(&self, findings: &[Finding]) -> Vec<Finding> {
        let mut out: Vec<Finding> = findings
            .iter()
            .map(|finding| {
                let mut finding = finding.clone();
                for change in self.overrides.iter().filter(|change| change.rule == finding.id) {
                    if change.from.contains(&finding.status) {
                        let was = finding.status;
                        finding.status = change.to;
                        finding.severity = match (change.to, crate::rules::rule(&finding.id)) {
                            (Status::Fail | Status::Warn, Some(rule)) => rule.severity,
                            _ => mailtls_core::Severity::Info,
                        };
                        finding.detail.push_str(&format!(
                            " (Profile {}: {} instead of {}.)",
                            self.name,
                            status_name(change.to),
                            status_name(was)
                        ));
                        break;
                    }
                }
                finding
            })
            .collect();
        crate::findings::sort_worst_first(&mut out);
        out
    }
}

const DEFAULT: Profile = Profile {
    name: "default",
    title: "mailtls: SSL Labs-style grading adapted to mail",
    overrides: &[],
};

/// The JSON name of a status.
pub(crate) fn status_name(status: Status) -> &'static str {
    match status {
        Status::Pass => "pass",
        Status::Info => "info",
        Status::Warn => "warn",
        Status::Fail => "fail",
        Status::NotTested => "not_tested",
        Status::Error => "error",
    }
}

/// Every profile name, for `--help` and error messages.
pub fn profile_names() -> Vec<&'static str> {
    PROFILES.iter().map(|profile| profile.name).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_override_names_a_catalogue_rule() {
        for profile in PROFILES {
            for change in profile.overrides {
                assert!(
                    crate::rules::rule(change.rule).is_some(),
                    "{} {}",
                    profile.name,
                    change.rule
                );
            }
        }
    }

    #[test]
    fn profiles_are_found_by_name() {
        assert_eq!(Profile::named("NCSC-NL").map(|p| p.name), Some("ncsc-nl"));
        assert_eq!(Profile::named("nope"), None);
        assert_eq!(Profile::default_profile().name, "default");
    }
}
