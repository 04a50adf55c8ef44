//! How the chain as served hangs together: order, completeness, roots sent,
//! duplicates.
//!
//! ```text
//! RFC 8446 §4.4.2 (TLS 1.3)
//!   The sender's certificate MUST come in the first
//!   CertificateEntry in the list.  Each following certificate SHOULD
//!   directly certify the one immediately preceding it.  ...
//!   a certificate that specifies a trust anchor MAY be omitted from the
//!   chain, provided that supported peers are known to possess any
//!   omitted certificates.
//! RFC 5246 §7.4.2 (TLS 1.2)
//!   ... each following certificate MUST directly certify the one preceding it.
//! ```
//!
//! RFC 5280 §4.2.1.1 and §4.2.1.2: a certificate's authority key identifier
//! names the key that signed it, so it equals the issuer's subject key
//! identifier when both are present.
//!
//! Issuer and subject names are compared byte for byte, as WebPKI does. Only
//! the first [`MAX_CHAIN_CERTIFICATES`] certificates are looked at. mailtls
//! fetches nothing (no AIA chasing): an issuer that was not sent and is not a
//! trust anchor is reported missing.

use mailtls_core::{ChainCompleteness, ChainFacts, ChainLink, SignatureCheck};
use rustls::pki_types::CertificateDer;

use super::distinguished_name::{common_names, rfc4514};
use super::extensions::{ExtensionFacts, extension_facts};
use super::hostname::identifiers_match;
use super::parsed::ParsedCertificate;
use super::signature::{check_signature, self_signature};

/// The most certificates of a served chain that are looked at. Real chains
/// have two to four; a server sending more is recorded as `truncated`.
pub const MAX_CHAIN_CERTIFICATES: usize = 10;

/// One certificate of a chain, decoded, with what chain analysis needs.
#[derive(Debug, Clone)]
pub(crate) struct ChainMember<'a> {
    pub(crate) parsed: ParsedCertificate<'a>,
    pub(crate) extensions: ExtensionFacts,
    pub(crate) self_signed: bool,
}

/// The first [`MAX_CHAIN_CERTIFICATES`] certificates of `chain`, decoded;
/// `None` for one that does not decode.
pub(crate) fn chain_members<'a>(chain: &'a [CertificateDer<'_>]) -> Vec<Option<ChainMember<'a>>> {
    chain
        .iter()
        .take(MAX_CHAIN_CERTIFICATES)
        .map(|der| {
            let parsed = ParsedCertificate::parse(der.as_ref()).ok()?;
            let extensions = extension_facts(parsed.certificate.tbs_certificate());
            let self_signed = self_signature(
                &parsed.layout,
                parsed.is_self_issued(),
                extensions.subject_key_id.as_deref(),
                extensions.authority_key_id.as_deref(),
            )
            .self_signed;
            Some(ChainMember {
                parsed,
                extensions,
                self_signed,
            })
        })
        .collect()
}

/// Whether `issuer` issued `issued`: names, key identifiers, signature.
pub(crate) struct Issuance {
    pub(crate) names_match: bool,
    pub(crate) key_ids_match: Option<bool>,
    pub(crate) signature: SignatureCheck,
}

impl Issuance {
    pub(crate) fn of(issued: &ChainMember<'_>, issuer: &ChainMember<'_>) -> Self {
        let names_match = issued.parsed.layout.issuer.encoding == issuer.parsed.layout.subject.encoding;
        let key_ids_match = match (
            &issued.extensions.authority_key_id,
            &issuer.extensions.subject_key_id,
        ) {
            (Some(authority), Some(subject)) => Some(authority == subject),
            _ => None,
        };
        Self {
            names_match,
            key_ids_match,
            signature: check_signature(&issued.parsed.layout, &issuer.parsed.layout),
        }
    }

    /// Names match, and key identifiers where both are present.
    pub(crate) fn linked(&self) -> bool {
        self.names_match && self.key_ids_match != Some(false)
    }
}

/// The positions of the path from the leaf upwards through the served
/// certificates, in any order: each is issued by the next (linked, and the
/// signature not invalid). Ends at a self-signed certificate or where no
/// served certificate is the issuer. Empty when the leaf does not decode.
pub(crate) fn path_from_leaf(members: &[Option<ChainMember<'_>>]) -> Vec<usize> {
    let Some(Some(_)) = members.first() else {
        return Vec::new();
    };
    let mut path = vec![0];
    let mut current = 0;
    while let Some(Some(member)) = members.get(current) {
        if member.self_signed {
            break;
        }
        // Prefer the next certificate, as sent; then any other.
        let next = (current + 1..members.len())
            .chain(0..current)
            .filter(|candidate| !path.contains(candidate))
            .find(|&candidate| {
                members
                    .get(candidate)
                    .and_then(Option::as_ref)
                    .is_some_and(|issuer| {
                        let issuance = Issuance::of(member, issuer);
                        issuance.linked() && issuance.signature != SignatureCheck::Invalid
                    })
            });
        match next {
            Some(next) => {
                path.push(next);
                current = next;
            }
            None => break,
        }
    }
    path
}

/// Describes the chain `chain` as served (leaf first). `reference_name` is
/// the name the client asked for; `is_trust_anchor` tells whether a name (the
/// contents octets of a DER Name, as WebPKI stores anchor subjects) is the
/// subject of a trust anchor in use.
pub fn analyse_chain(
    chain: &[CertificateDer<'_>],
    reference_name: Option<&str>,
    is_trust_anchor: impl Fn(&[u8]) -> bool,
) -> ChainFacts {
    let members = chain_members(chain);
    let analysed = members.len();
    let links = members
        .windows(2)
        .enumerate()
        .map(|(position, pair)| chain_link(position, pair))
        .collect::<Vec<_>>();
    let in_order = links.iter().all(|link| link.issued_by_next);
    let duplicates = (0..analysed)
        .filter(|&position| {
            let der = chain.get(position).map(AsRef::<[u8]>::as_ref);
            chain
                .iter()
                .take(position)
                .any(|earlier| Some(earlier.as_ref()) == der)
        })
        .filter_map(|position| u32::try_from(position).ok())
        .collect();
    let self_signed = members
        .iter()
        .enumerate()
        .filter(|(_, member)| member.as_ref().is_some_and(|member| member.self_signed))
        .filter_map(|(position, _)| u32::try_from(position).ok())
        .collect();
    let leaf_name_matches = match (reference_name, members.first()) {
        (Some(name), Some(Some(leaf))) => {
            let subject = leaf.parsed.certificate.tbs_certificate().subject();
            Some(identifiers_match(
                leaf.extensions.subject_alt_names.as_ref(),
                &common_names(subject),
                name,
            ))
        }
        _ => None,
    };
    ChainFacts {
        served: u32::try_from(chain.len()).unwrap_or(u32::MAX),
        analysed: u32::try_from(analysed).unwrap_or(u32::MAX),
        truncated: chain.len() > analysed,
        links,
        in_order,
        completeness: completeness(&members, &is_trust_anchor),
        self_signed,
        duplicates,
        leaf_name_matches,
    }
}

fn chain_link(position: usize, pair: &[Option<ChainMember<'_>>]) -> ChainLink {
    let position = u32::try_from(position).unwrap_or(u32::MAX);
    match pair {
        [Some(issued), Some(issuer)] => {
            let issuance = Issuance::of(issued, issuer);
            ChainLink {
                position,
                names_match: issuance.names_match,
                key_ids_match: issuance.key_ids_match,
                issued_by_next: issuance.linked(),
                signature: issuance.signature,
            }
        }
        _ => ChainLink {
            position,
            names_match: false,
            key_ids_match: None,
            signature: SignatureCheck::Unsupported {
                reason: "one of the two certificates does not decode".into(),
            },
            issued_by_next: false,
        },
    }
}

fn completeness(
    members: &[Option<ChainMember<'_>>],
    is_trust_anchor: &impl Fn(&[u8]) -> bool,
) -> ChainCompleteness {
    if members.is_empty() {
        return ChainCompleteness::Unknown {
            reason: "the server sent no certificate".into(),
        };
    }
    let path = path_from_leaf(members);
    let last = path.last().and_then(|&position| {
        let member = members.get(position)?.as_ref()?;
        Some((position, member))
    });
    let Some((position, member)) = last else {
        return ChainCompleteness::Unknown {
            reason: "the leaf certificate does not decode".into(),
        };
    };
    let position = u32::try_from(position).unwrap_or(u32::MAX);
    if member.self_signed {
        return ChainCompleteness::EndsAtServedRoot { position };
    }
    let issuer = rfc4514(member.parsed.certificate.tbs_certificate().issuer());
    if is_trust_anchor(member.parsed.layout.issuer.contents) {
        ChainCompleteness::EndsAtTrustAnchor { issuer }
    } else {
        ChainCompleteness::IssuerMissing { position, issuer }
    }
}
