//! DANE: matching TLSA records against the chain a server served (RFC 6698
//! §2.1, RFC 7671, RFC 7672 §3).
//!
//! Pure functions over bytes: the records come from the resolver (with their
//! DNSSEC status), the chain from the handshake. [`match_tlsa`] matches one
//! record, [`assess_tlsa_set`] the set published for one server, with its
//! [rollover scheme](rollover_scheme).
//!
//! ```text
//! RFC 6698 §2.1.1 (Certificate Usage)
//!   2 -- ... a certificate, or the public key of such a certificate, that
//!      MUST be used as the trust anchor when validating the end entity
//!      certificate given by the server in TLS. ...
//!   3 -- ... a certificate, or the public key of such a certificate, that
//!      MUST match the end entity certificate given by the server in TLS.
//! RFC 6698 §2.1.2 (Selector)
//!   0 -- Full certificate: the Certificate binary structure as defined
//!        in [RFC5280]
//!   1 -- SubjectPublicKeyInfo: DER-encoded binary structure as defined
//!        in [RFC5280]
//! RFC 6698 §2.1.3 (Matching Type)
//!   0 -- Exact match on selected content
//!   1 -- SHA-256 hash of selected content [RFC6234]
//!   2 -- SHA-512 hash of selected content [RFC6234]
//! RFC 7672 §3.1.3: TLSA records published for SMTP servers SHOULD NOT
//!   include records with usage PKIX-TA(0) or PKIX-EE(1). ... SMTP client
//!   implementations ... treat such records as "unusable".
//! ```
//!
//! In short, from RFC 7671 §5 and RFC 7672 §3.1–3.2: a DANE-EE(3) record
//! matches the leaf alone, and neither its names nor its dates are checked. A
//! DANE-TA(2) record matches any issuer the server sends, including a
//! self-signed root (the server must send the anchor certificate); the leaf
//! must then chain to it, and carry one of the reference names: the TLSA base
//! domain or the MX host name (RFC 7672 §3.2.2). Selector 1 hashes the
//! SubjectPublicKeyInfo octets as served, never a re-encoding.

mod rollover;

use mailtls_core::{DaneAssessment, DaneStatus, SignatureCheck, TlsaMatch, TlsaRecordResult};
use rustls::pki_types::CertificateDer;
use sha2::{Digest, Sha256, Sha512};

use crate::certificate::{ChainMember, chain_members, hex, identifiers_match, path_from_leaf, spki_der};

pub use rollover::rollover_scheme;

/// One TLSA record's fields (RFC 6698 §2.1), as the resolver returns them.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TlsaAssociation {
    /// Certificate usage.
    pub usage: u8,
    /// Selector.
    pub selector: u8,
    /// Matching type.
    pub matching_type: u8,
    /// Certificate association data.
    pub data: Vec<u8>,
}

impl TlsaAssociation {
    /// A record from its fields.
    pub fn new(usage: u8, selector: u8, matching_type: u8, data: impl Into<Vec<u8>>) -> Self {
        Self {
            usage,
            selector,
            matching_type,
            data: data.into(),
        }
    }

    /// The three parameters, e.g. `3 1 1`.
    pub fn parameters(&self) -> String {
        format!("{} {} {}", self.usage, self.selector, self.matching_type)
    }

    /// The presentation form (RFC 6698 §2.2): parameters and lower-case hex.
    pub fn presentation(&self) -> String {
        format!("{} {}", self.parameters(), hex(&self.data))
    }

    /// Why a DANE SMTP client cannot use this record, if it cannot:
    /// `UnusableForSmtp` or `Unusable`.
    pub fn unusable(&self) -> Option<TlsaMatch> {
        let record = self.parameters();
        match self.usage {
            0 | 1 => {
                return Some(TlsaMatch::UnusableForSmtp {
                    reason: format!(
                        "usage {} ({}) is not used for SMTP; DANE SMTP clients treat the record as \
                         unusable (RFC 7672 §3.1.3)",
                        self.usage,
                        usage_name(self.usage)
                    ),
                });
            }
            2 | 3 => {}
            other => {
                return Some(TlsaMatch::Unusable {
                    reason: format!("TLSA {record}: certificate usage {other} is unassigned"),
                });
            }
        }
        if self.selector > 1 {
            return Some(TlsaMatch::Unusable {
                reason: format!("TLSA {record}: selector {} is unassigned", self.selector),
            });
        }
        let expected = match self.matching_type {
            0 if self.data.is_empty() => {
                return Some(TlsaMatch::Unusable {
                    reason: format!("TLSA {record}: the association data is empty"),
                });
            }
            0 => None,
            1 => Some(32),
            2 => Some(64),
            other => {
                return Some(TlsaMatch::Unusable {
                    reason: format!("TLSA {record}: matching type {other} is unassigned"),
                });
            }
        };
        match expected {
            Some(expected) if self.data.len() != expected => Some(TlsaMatch::Unusable {
                reason: format!(
                    "TLSA {record}: the association data is {} octets long, but a {} digest is {expected}",
                    self.data.len(),
                    matching_type_name(self.matching_type)
                ),
            }),
            _ => None,
        }
    }

    /// Whether the record's data matches `certificate_der` under its selector
    /// and matching type. `None` when the selector's part cannot be found.
    fn matches_certificate(&self, certificate_der: &[u8]) -> Option<bool> {
        let selected = match self.selector {
            0 => certificate_der,
            1 => spki_der(certificate_der)?,
            _ => return None,
        };
        Some(match self.matching_type {
            0 => selected == self.data.as_slice(),
            1 => Sha256::digest(selected).as_slice() == self.data.as_slice(),
            2 => Sha512::digest(selected).as_slice() == self.data.as_slice(),
            _ => return None,
        })
    }

    fn selected_part(&self) -> &'static str {
        match self.selector {
            0 => "certificate",
            _ => "SubjectPublicKeyInfo",
        }
    }
}

impl From<(u8, u8, u8, Vec<u8>)> for TlsaAssociation {
    fn from((usage, selector, matching_type, data): (u8, u8, u8, Vec<u8>)) -> Self {
        Self::new(usage, selector, matching_type, data)
    }
}

/// RFC 7218 acronym of a certificate usage.
pub fn usage_name(usage: u8) -> &'static str {
    match usage {
        0 => "PKIX-TA",
        1 => "PKIX-EE",
        2 => "DANE-TA",
        3 => "DANE-EE",
        _ => "unassigned",
    }
}

/// RFC 7218 acronym of a selector.
pub fn selector_name(selector: u8) -> &'static str {
    match selector {
        0 => "Cert",
        1 => "SPKI",
        _ => "unassigned",
    }
}

/// RFC 7218 acronym of a matching type.
pub fn matching_type_name(matching_type: u8) -> &'static str {
    match matching_type {
        0 => "Full",
        1 => "SHA2-256",
        2 => "SHA2-512",
        _ => "unassigned",
    }
}

/// Matches one TLSA record against `chain` (leaf first, as served).
/// `reference_names` are the names a DANE-TA chain's leaf must carry: the
/// TLSA base domain and the MX host name (RFC 7672 §3.2.2); DANE-EE ignores them.
pub fn match_tlsa(
    record: &TlsaAssociation,
    chain: &[CertificateDer<'_>],
    reference_names: &[&str],
) -> TlsaMatch {
    if let Some(unusable) = record.unusable() {
        return unusable;
    }
    let Some(leaf) = chain.first() else {
        return TlsaMatch::NotMatched {
            reason: "the server sent no certificate".into(),
        };
    };
    if record.usage == 3 {
        match_dane_ee(record, leaf.as_ref())
    } else {
        match_dane_ta(record, chain, reference_names)
    }
}

fn match_dane_ee(record: &TlsaAssociation, leaf: &[u8]) -> TlsaMatch {
    let part = record.selected_part();
    let how = matching_type_name(record.matching_type);
    match record.matches_certificate(leaf) {
        Some(true) => TlsaMatch::Matched {
            position: 0,
            reason: format!(
                "the leaf's {part} matches ({how}); with DANE-EE its names and dates are not checked \
                 (RFC 7672 §3.1.1)"
            ),
        },
        Some(false) => TlsaMatch::NotMatched {
            reason: format!("the leaf's {part} does not match ({how})"),
        },
        None => TlsaMatch::NotMatched {
            reason: "the leaf's SubjectPublicKeyInfo cannot be found: its DER is malformed".into(),
        },
    }
}

fn match_dane_ta(
    record: &TlsaAssociation,
    chain: &[CertificateDer<'_>],
    reference_names: &[&str],
) -> TlsaMatch {
    let part = record.selected_part();
    let anchors: Vec<usize> = chain
        .iter()
        .enumerate()
        .skip(1)
        .filter(|(_, der)| record.matches_certificate(der.as_ref()) == Some(true))
        .map(|(position, _)| position)
        .collect();
    let Some(&first_anchor) = anchors.first() else {
        let leaf_note = if record.matches_certificate(chain.first().map_or(&[][..], AsRef::as_ref))
            == Some(true)
        {
            "; the leaf matches, but a DANE-TA record must match an issuer (publish it as DANE-EE, usage 3)"
        } else {
            ""
        };
        return TlsaMatch::NotMatched {
            reason: format!(
                "no issuer certificate in the served chain matches ({part}, {}); DANE-TA needs the server \
                 to send the trust anchor{leaf_note}",
                matching_type_name(record.matching_type)
            ),
        };
    };
    let members = chain_members(chain);
    let Some(Some(leaf)) = members.first() else {
        return TlsaMatch::NotMatched {
            reason: "the leaf certificate does not decode, so it cannot be checked against the trust anchor"
                .into(),
        };
    };
    let path = path_from_leaf(&members);
    let Some(anchor) = anchors.iter().copied().find(|anchor| path.contains(anchor)) else {
        return TlsaMatch::NotMatched {
            reason: format!(
                "certificate {first_anchor} matches as trust anchor, but the leaf does not chain to it \
                 (issuer and subject names, key identifiers and signatures)"
            ),
        };
    };
    if let Some(problem) = unverified_step(&members, &path, anchor) {
        return TlsaMatch::NotMatched { reason: problem };
    }
    let subject = leaf.parsed.certificate.tbs_certificate().subject();
    let common_names = crate::certificate::common_names(subject);
    let named = reference_names
        .iter()
        .find(|name| identifiers_match(leaf.extensions.subject_alt_names.as_ref(), &common_names, name));
    match named {
        Some(name) => TlsaMatch::Matched {
            position: u32::try_from(anchor).unwrap_or(u32::MAX),
            reason: format!(
                "certificate {anchor} matches as trust anchor ({part}, {}), the leaf chains to it, and the \
                 leaf is valid for {name}",
                matching_type_name(record.matching_type)
            ),
        },
        None => TlsaMatch::NotMatched {
            reason: format!(
                "certificate {anchor} matches as trust anchor and the leaf chains to it, but the leaf is \
                 valid for none of {} (RFC 7672 §3.2.2)",
                reference_names.join(", ")
            ),
        },
    }
}

/// The first step of `path` up to `anchor` whose signature does not verify.
fn unverified_step(members: &[Option<ChainMember<'_>>], path: &[usize], anchor: usize) -> Option<String> {
    let end = path.iter().position(|&position| position == anchor)?;
    for pair in path.get(..=end)?.windows(2) {
        let [issued, issuer] = pair else { continue };
        let (Some(Some(issued_member)), Some(Some(issuer_member))) =
            (members.get(*issued), members.get(*issuer))
        else {
            return Some(format!("certificate {issued} or {issuer} does not decode"));
        };
        match crate::certificate::check_signature(&issued_member.parsed.layout, &issuer_member.parsed.layout)
        {
            SignatureCheck::Valid => {}
            SignatureCheck::Invalid => {
                return Some(format!(
                    "certificate {issuer}'s key does not verify certificate {issued}"
                ));
            }
            SignatureCheck::Unsupported { reason } => {
                return Some(format!(
                    "certificate {issued}'s signature by certificate {issuer} cannot be verified: {reason}"
                ));
            }
        }
    }
    None
}

/// One record with its result, for the report.
pub fn tlsa_record_result(
    record: &TlsaAssociation,
    chain: &[CertificateDer<'_>],
    reference_names: &[&str],
) -> TlsaRecordResult {
    TlsaRecordResult {
        record: record.presentation(),
        usage: record.usage,
        usage_name: usage_name(record.usage).to_owned(),
        selector: record.selector,
        selector_name: selector_name(record.selector).to_owned(),
        matching_type: record.matching_type,
        matching_type_name: matching_type_name(record.matching_type).to_owned(),
        result: match_tlsa(record, chain, reference_names),
    }
}

/// Assesses the TLSA RRset published for one server against the chain it
/// served. `dnssec_secure` is whether the RRset was DNSSEC-validated: without
/// that, the whole set is unusable (RFC 7672 §2.2), though each record's match
/// is still shown.
pub fn assess_tlsa_set(
    records: &[TlsaAssociation],
    chain: &[CertificateDer<'_>],
    dnssec_secure: bool,
    reference_names: &[&str],
) -> DaneAssessment {
    let results: Vec<TlsaRecordResult> = records
        .iter()
        .map(|record| tlsa_record_result(record, chain, reference_names))
        .collect();
    let matched: Vec<u32> = results
        .iter()
        .enumerate()
        .filter(|(_, result)| result.result.is_matched())
        .filter_map(|(position, _)| u32::try_from(position).ok())
        .collect();
    let usable = results.iter().filter(|result| result.result.is_usable()).count();
    let status = if !dnssec_secure {
        DaneStatus::Unusable {
            reason: "the TLSA RRset is not DNSSEC-secure: DANE clients cannot rely on it (RFC 7672 §2.2)"
                .into(),
        }
    } else if records.is_empty() {
        DaneStatus::Unusable {
            reason: "no TLSA record".into(),
        }
    } else if usable == 0 {
        DaneStatus::Unusable {
            reason: format!(
                "no TLSA record is usable for SMTP ({} published): DANE clients require TLS but cannot \
                 authenticate the server (RFC 7672 §2.2)",
                records.len()
            ),
        }
    } else if matched.is_empty() {
        DaneStatus::NotAuthenticated {
            reason: format!(
                "no usable TLSA record matches the served chain ({usable} usable of {}): DANE clients will \
                 not deliver",
                records.len()
            ),
        }
    } else {
        DaneStatus::Authenticated { matched }
    };
    DaneAssessment {
        status,
        dnssec_secure,
        reference_names: reference_names.iter().map(|name| (*name).to_owned()).collect(),
        records: results,
        rollover: rollover_scheme(records),
    }
}
