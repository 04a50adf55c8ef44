//! How a TLSA set prepares for a key or certificate change.
//!
//! RFC 7671 §8 describes the schemes; in short:
//!
//! ```text
//! §8.1 fixed TLSA parameters: publish the next key's record beside the
//!      current one ("3 1 1" + "3 1 1"), wait for the old RRset to expire
//!      from caches, switch keys, then withdraw the old record.
//! §8.3 new TLSA parameters: publish both parameter sets for a while
//!      ("3 1 1" + "3 0 1").
//! §8.4 server key plus issuer: a DANE-TA record for the issuing CA beside
//!      the DANE-EE record ("3 1 1" + "2 1 1") keeps a new key from the
//!      same CA matching.
//! ```
//!
//! Only usable records count, each distinct record once.

use mailtls_core::{TlsaRollover, TlsaRolloverKind};
use mailtls_dns::tlsa::{RolloverKind, Tlsa};

use super::TlsaAssociation;

/// The rollover scheme of the TLSA records published for one server, as the
/// TLSA linter of mailtls-dns classifies it, with what it means.
pub fn rollover_scheme(records: &[TlsaAssociation]) -> TlsaRollover {
    let records: Vec<Tlsa> = records
        .iter()
        .map(|record| {
            Tlsa::new(
                record.usage,
                record.selector,
                record.matching_type,
                record.data.clone(),
            )
        })
        .collect();
    let scheme = mailtls_dns::tlsa::rollover_scheme(&records);
    let (kind, note) = match scheme.kind {
        RolloverKind::Empty | RolloverKind::NoUsableRecords => (
            TlsaRolloverKind::NoUsableRecords,
            "no usable record: there is nothing to roll over",
        ),
        RolloverKind::SingleAssociation => (
            TlsaRolloverKind::SingleAssociation,
            "a single association: a new key or certificate breaks DANE until a new record is published \
             and the old one has expired from caches; publish the next key's record ahead of the change \
             (RFC 7671 §8.1) or add a DANE-TA record for the issuer (RFC 7671 §8.4)",
        ),
        RolloverKind::DaneTaOnly => (
            TlsaRolloverKind::DaneTaOnly,
            "trust anchors only: any key they certify for the server's name matches",
        ),
        RolloverKind::CurrentAndNext => (
            TlsaRolloverKind::CurrentAndNext,
            "current and next key: the key can change without breaking DANE (RFC 7671 §8.1)",
        ),
        RolloverKind::ParameterTransition => (
            TlsaRolloverKind::ParameterTransition,
            "DANE-EE records with different parameters: a change of parameters in progress (RFC 7671 §8.3); \
             there is no record for a next key",
        ),
        RolloverKind::DaneEeWithDaneTa => (
            TlsaRolloverKind::DaneEeWithDaneTa,
            "server key plus issuing CA: a new key from the same CA keeps matching (RFC 7671 §8.4)",
        ),
    };
    TlsaRollover {
        kind,
        description: scheme.description,
        note: note.to_owned(),
    }
}
