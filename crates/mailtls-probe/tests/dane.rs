//! DANE TLSA matching (RFC 6698, RFC 7671, RFC 7672) against chains made with rcgen.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod pki;

use mailtls_core::{DaneStatus, TlsaMatch, TlsaRolloverKind};
use mailtls_probe::{TlsaAssociation, assess_tlsa_set, match_tlsa, rollover_scheme, spki_der};
use rcgen::date_time_ymd;
use rustls_pki_types::CertificateDer;
use sha2::{Digest, Sha256, Sha512};

use pki::{Hierarchy, Issued, ca_params, hierarchy, leaf_params, self_signed, signed};

const MX: &str = "mx.example.test";
const NAMES: &[&str] = &["example.test", MX];

fn spki(issued: &Issued) -> Vec<u8> {
    spki_der(issued.der.as_ref()).unwrap().to_vec()
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    Sha256::digest(bytes).to_vec()
}

fn chain(pki: &Hierarchy) -> Vec<CertificateDer<'static>> {
    vec![pki.leaf.der.clone(), pki.intermediate.der.clone()]
}

fn matched_at(result: &TlsaMatch) -> Option<u32> {
    match result {
        TlsaMatch::Matched { position, .. } => Some(*position),
        _ => None,
    }
}

fn reason(result: &TlsaMatch) -> &str {
    match result {
        TlsaMatch::Matched { reason, .. }
        | TlsaMatch::NotMatched { reason }
        | TlsaMatch::UnusableForSmtp { reason }
        | TlsaMatch::Unusable { reason } => reason,
    }
}

// --- DANE-EE -------------------------------------------------------------------

#[test]
fn dane_ee_spki_sha256_matches_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 1, 1, sha256(&spki(&pki.leaf)));
    let result = match_tlsa(&record, &chain(&pki), NAMES);
    assert_eq!(
        result,
        TlsaMatch::Matched {
            position: 0,
            reason: "the leaf's SubjectPublicKeyInfo matches (SHA2-256); with DANE-EE its names and dates \
                     are not checked (RFC 7672 §3.1.1)"
                .into(),
        }
    );
}

#[test]
fn dane_ee_certificate_sha256_matches_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 0, 1, sha256(pki.leaf.der.as_ref()));
    assert_eq!(matched_at(&match_tlsa(&record, &chain(&pki), NAMES)), Some(0));
}

#[test]
fn dane_ee_spki_sha512_matches_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 1, 2, Sha512::digest(spki(&pki.leaf)).to_vec());
    assert_eq!(matched_at(&match_tlsa(&record, &chain(&pki), NAMES)), Some(0));
}

#[test]
fn dane_ee_full_certificate_matches_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 0, 0, pki.leaf.der.to_vec());
    assert_eq!(matched_at(&match_tlsa(&record, &chain(&pki), NAMES)), Some(0));
}

#[test]
fn dane_ee_full_spki_matches_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 1, 0, spki(&pki.leaf));
    assert_eq!(matched_at(&match_tlsa(&record, &chain(&pki), NAMES)), Some(0));
}

#[test]
fn dane_ee_for_another_key_does_not_match() {
    let pki = hierarchy(&[MX]);
    let other = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 1, 1, sha256(&spki(&other.leaf)));
    assert_eq!(
        match_tlsa(&record, &chain(&pki), NAMES),
        TlsaMatch::NotMatched {
            reason: "the leaf's SubjectPublicKeyInfo does not match (SHA2-256)".into(),
        }
    );
}

#[test]
fn dane_ee_matches_only_the_leaf() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(3, 1, 1, sha256(&spki(&pki.intermediate)));
    assert!(matches!(
        match_tlsa(&record, &chain(&pki), NAMES),
        TlsaMatch::NotMatched { .. }
    ));
}

#[test]
fn dane_ee_ignores_names_and_expiry() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["unrelated.example.org"]);
    params.not_before = date_time_ymd(2001, 1, 1);
    params.not_after = date_time_ymd(2002, 1, 1);
    let leaf = signed(params, &root);
    let record = TlsaAssociation::new(3, 1, 1, sha256(&spki(&leaf)));
    assert_eq!(matched_at(&match_tlsa(&record, &[leaf.der], NAMES)), Some(0));
}

#[test]
fn dane_ee_spki_of_undecodable_leaf_does_not_match() {
    let record = TlsaAssociation::new(3, 1, 1, vec![0; 32]);
    let result = match_tlsa(&record, &[CertificateDer::from(vec![1, 2, 3])], NAMES);
    assert_eq!(
        result,
        TlsaMatch::NotMatched {
            reason: "the leaf's SubjectPublicKeyInfo cannot be found: its DER is malformed".into(),
        }
    );
}

#[test]
fn no_certificate_matches_nothing() {
    let record = TlsaAssociation::new(3, 1, 1, vec![0; 32]);
    assert_eq!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::NotMatched {
            reason: "the server sent no certificate".into(),
        }
    );
}

// --- DANE-TA -------------------------------------------------------------------

#[test]
fn dane_ta_matches_the_served_intermediate() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.intermediate)));
    let result = match_tlsa(&record, &chain(&pki), NAMES);
    assert_eq!(
        result,
        TlsaMatch::Matched {
            position: 1,
            reason:
                "certificate 1 matches as trust anchor (SubjectPublicKeyInfo, SHA2-256), the leaf chains \
                     to it, and the leaf is valid for mx.example.test"
                    .into(),
        }
    );
}

#[test]
fn dane_ta_matches_a_served_self_signed_root() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(2, 0, 1, sha256(pki.root.der.as_ref()));
    let full = [
        pki.leaf.der.clone(),
        pki.intermediate.der.clone(),
        pki.root.der.clone(),
    ];
    assert_eq!(matched_at(&match_tlsa(&record, &full, NAMES)), Some(2));
}

#[test]
fn dane_ta_finds_the_anchor_in_a_chain_out_of_order() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.root)));
    let jumbled = [
        pki.leaf.der.clone(),
        pki.root.der.clone(),
        pki.intermediate.der.clone(),
    ];
    assert_eq!(matched_at(&match_tlsa(&record, &jumbled, NAMES)), Some(1));
}

#[test]
fn dane_ta_accepts_the_tlsa_base_domain_as_name() {
    let pki = hierarchy(&["*.example.test"]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.intermediate)));
    let result = match_tlsa(&record, &chain(&pki), &["mail.example.test", "other.example.org"]);
    assert_eq!(matched_at(&result), Some(1));
    assert!(
        reason(&result).ends_with("valid for mail.example.test"),
        "{result:?}"
    );
}

#[test]
fn dane_ta_requires_a_reference_name_on_the_leaf() {
    let pki = hierarchy(&["imap.example.test"]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.intermediate)));
    assert_eq!(
        match_tlsa(&record, &chain(&pki), NAMES),
        TlsaMatch::NotMatched {
            reason: "certificate 1 matches as trust anchor and the leaf chains to it, but the leaf is valid \
                     for none of example.test, mx.example.test (RFC 7672 §3.2.2)"
                .into(),
        }
    );
}

#[test]
fn dane_ta_needs_the_anchor_to_be_sent() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.root)));
    assert_eq!(
        match_tlsa(&record, &chain(&pki), NAMES),
        TlsaMatch::NotMatched {
            reason: "no issuer certificate in the served chain matches (SubjectPublicKeyInfo, SHA2-256); \
                     DANE-TA needs the server to send the trust anchor"
                .into(),
        }
    );
}

#[test]
fn dane_ta_record_for_the_leaf_says_to_use_dane_ee() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&pki.leaf)));
    let result = match_tlsa(&record, &chain(&pki), NAMES);
    assert!(
        reason(&result).ends_with(
            "the leaf matches, but a DANE-TA record must match an issuer (publish it as DANE-EE, usage 3)"
        ),
        "{result:?}"
    );
}

#[test]
fn dane_ta_for_a_ca_the_leaf_does_not_chain_to_does_not_match() {
    let pki = hierarchy(&[MX]);
    let unrelated = self_signed(ca_params("Unrelated Root"));
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&unrelated)));
    let served = [
        pki.leaf.der.clone(),
        pki.intermediate.der.clone(),
        unrelated.der.clone(),
    ];
    assert_eq!(
        match_tlsa(&record, &served, NAMES),
        TlsaMatch::NotMatched {
            reason: "certificate 2 matches as trust anchor, but the leaf does not chain to it (issuer and \
                     subject names, key identifiers and signatures)"
                .into(),
        }
    );
}

#[test]
fn dane_ta_refuses_a_leaf_that_only_names_the_anchor() {
    // A CA with the anchor's name but another key signs the leaf: the names
    // link, the signature does not.
    let anchor = self_signed(ca_params("Test Intermediate"));
    let forger = self_signed(ca_params("Test Intermediate"));
    let mut params = leaf_params(&[MX]);
    params.use_authority_key_identifier_extension = false;
    let leaf = signed(params, &forger);
    let record = TlsaAssociation::new(2, 1, 1, sha256(&spki(&anchor)));
    let result = match_tlsa(&record, &[leaf.der, anchor.der], NAMES);
    assert!(
        reason(&result)
            .starts_with("certificate 1 matches as trust anchor, but the leaf does not chain to it"),
        "{result:?}"
    );
}

// --- records that cannot be used -------------------------------------------------

#[test]
fn pkix_ee_is_unusable_for_smtp() {
    let pki = hierarchy(&[MX]);
    let record = TlsaAssociation::new(1, 1, 1, sha256(&spki(&pki.leaf)));
    assert_eq!(
        match_tlsa(&record, &chain(&pki), NAMES),
        TlsaMatch::UnusableForSmtp {
            reason: "usage 1 (PKIX-EE) is not used for SMTP; DANE SMTP clients treat the record as unusable \
                     (RFC 7672 §3.1.3)"
                .into(),
        }
    );
}

#[test]
fn pkix_ta_is_unusable_for_smtp() {
    let record = TlsaAssociation::new(0, 0, 1, vec![0; 32]);
    assert!(matches!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::UnusableForSmtp { .. }
    ));
}

#[test]
fn unassigned_usage_is_unusable() {
    let record = TlsaAssociation::new(4, 1, 1, vec![0; 32]);
    assert_eq!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::Unusable {
            reason: "TLSA 4 1 1: certificate usage 4 is unassigned".into(),
        }
    );
}

#[test]
fn unassigned_selector_is_unusable() {
    let record = TlsaAssociation::new(3, 2, 1, vec![0; 32]);
    assert_eq!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::Unusable {
            reason: "TLSA 3 2 1: selector 2 is unassigned".into(),
        }
    );
}

#[test]
fn unassigned_matching_type_is_unusable() {
    let record = TlsaAssociation::new(3, 1, 255, vec![0; 32]);
    assert_eq!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::Unusable {
            reason: "TLSA 3 1 255: matching type 255 is unassigned".into(),
        }
    );
}

#[test]
fn digest_of_the_wrong_length_is_unusable() {
    let record = TlsaAssociation::new(3, 1, 1, vec![0; 31]);
    assert_eq!(
        match_tlsa(&record, &[], NAMES),
        TlsaMatch::Unusable {
            reason: "TLSA 3 1 1: the association data is 31 octets long, but a SHA2-256 digest is 32".into(),
        }
    );
}

// --- the record set ----------------------------------------------------------------

#[test]
fn matching_set_over_dnssec_authenticates() {
    let pki = hierarchy(&[MX]);
    let records = [
        TlsaAssociation::new(3, 1, 1, vec![0xAB; 32]),
        TlsaAssociation::new(3, 1, 1, sha256(&spki(&pki.leaf))),
    ];
    let assessment = assess_tlsa_set(&records, &chain(&pki), true, NAMES);
    assert_eq!(assessment.status, DaneStatus::Authenticated { matched: vec![1] });
    assert!(assessment.dnssec_secure);
    assert_eq!(
        assessment.reference_names,
        vec!["example.test".to_owned(), MX.to_owned()]
    );
    assert_eq!(assessment.records.len(), 2);
    assert_eq!(assessment.records[0].record, format!("3 1 1 {}", "ab".repeat(32)));
    assert_eq!(assessment.records[1].usage_name, "DANE-EE");
    assert_eq!(assessment.records[1].selector_name, "SPKI");
    assert_eq!(assessment.records[1].matching_type_name, "SHA2-256");
    assert!(assessment.records[1].result.is_matched());
}

#[test]
fn tlsa_without_dnssec_is_unusable() {
    let pki = hierarchy(&[MX]);
    let records = [TlsaAssociation::new(3, 1, 1, sha256(&spki(&pki.leaf)))];
    let assessment = assess_tlsa_set(&records, &chain(&pki), false, NAMES);
    assert_eq!(
        assessment.status,
        DaneStatus::Unusable {
            reason: "the TLSA RRset is not DNSSEC-secure: DANE clients cannot rely on it (RFC 7672 §2.2)"
                .into(),
        }
    );
    // Each record's match is still shown as evidence.
    assert!(assessment.records[0].result.is_matched());
}

#[test]
fn usable_set_that_matches_nothing_is_not_authenticated() {
    let pki = hierarchy(&[MX]);
    let records = [
        TlsaAssociation::new(3, 1, 1, vec![0xAB; 32]),
        TlsaAssociation::new(1, 1, 1, sha256(&spki(&pki.leaf))),
    ];
    assert_eq!(
        assess_tlsa_set(&records, &chain(&pki), true, NAMES).status,
        DaneStatus::NotAuthenticated {
            reason: "no usable TLSA record matches the served chain (1 usable of 2): DANE clients will not \
                     deliver"
                .into(),
        }
    );
}

#[test]
fn set_of_pkix_records_only_is_unusable() {
    let pki = hierarchy(&[MX]);
    let records = [TlsaAssociation::new(1, 1, 1, sha256(&spki(&pki.leaf)))];
    assert_eq!(
        assess_tlsa_set(&records, &chain(&pki), true, NAMES).status,
        DaneStatus::Unusable {
            reason: "no TLSA record is usable for SMTP (1 published): DANE clients require TLS but cannot \
                     authenticate the server (RFC 7672 §2.2)"
                .into(),
        }
    );
}

#[test]
fn empty_set_is_unusable() {
    assert_eq!(
        assess_tlsa_set(&[], &[], true, NAMES).status,
        DaneStatus::Unusable {
            reason: "no TLSA record".into(),
        }
    );
}

#[test]
fn tuple_converts_into_a_record() {
    let record = TlsaAssociation::from((3, 1, 1, vec![0x0F, 0xA0]));
    assert_eq!(record.presentation(), "3 1 1 0fa0");
    assert_eq!(record.parameters(), "3 1 1");
}

// --- rollover ------------------------------------------------------------------------

fn ee(byte: u8) -> TlsaAssociation {
    TlsaAssociation::new(3, 1, 1, vec![byte; 32])
}

fn ta(byte: u8) -> TlsaAssociation {
    TlsaAssociation::new(2, 1, 1, vec![byte; 32])
}

#[test]
fn single_dane_ee_record_has_no_rollover_prepared() {
    let rollover = rollover_scheme(&[ee(1)]);
    assert_eq!(rollover.kind, TlsaRolloverKind::SingleAssociation);
    assert_eq!(rollover.description, "3 1 1");
    assert!(
        rollover.note.starts_with("a single association"),
        "{}",
        rollover.note
    );
}

#[test]
fn current_and_next_key_is_recognised() {
    let rollover = rollover_scheme(&[ee(1), ee(2)]);
    assert_eq!(rollover.kind, TlsaRolloverKind::CurrentAndNext);
    assert_eq!(rollover.description, "3 1 1 + 3 1 1");
}

#[test]
fn dane_ee_with_dane_ta_is_recognised_in_any_order() {
    let rollover = rollover_scheme(&[ta(1), ee(2)]);
    assert_eq!(rollover.kind, TlsaRolloverKind::DaneEeWithDaneTa);
    assert_eq!(rollover.description, "3 1 1 + 2 1 1");
}

#[test]
fn two_trust_anchors_are_dane_ta_only() {
    let rollover = rollover_scheme(&[ta(1), ta(2)]);
    assert_eq!(rollover.kind, TlsaRolloverKind::DaneTaOnly);
    assert_eq!(rollover.description, "2 1 1 + 2 1 1");
}

#[test]
fn different_dane_ee_parameters_are_a_transition() {
    let rollover = rollover_scheme(&[ee(1), TlsaAssociation::new(3, 0, 1, vec![2; 32])]);
    assert_eq!(rollover.kind, TlsaRolloverKind::ParameterTransition);
    assert_eq!(rollover.description, "3 1 1 + 3 0 1");
}

#[test]
fn duplicate_records_count_once() {
    let rollover = rollover_scheme(&[ee(1), ee(1)]);
    assert_eq!(rollover.kind, TlsaRolloverKind::SingleAssociation);
    assert_eq!(rollover.description, "3 1 1");
}

#[test]
fn unusable_records_are_counted_apart() {
    let rollover = rollover_scheme(&[ee(1), TlsaAssociation::new(1, 1, 1, vec![3; 32])]);
    assert_eq!(rollover.kind, TlsaRolloverKind::SingleAssociation);
    assert_eq!(rollover.description, "3 1 1 (1 unusable)");
}

#[test]
fn no_usable_record_has_nothing_to_roll_over() {
    let rollover = rollover_scheme(&[TlsaAssociation::new(0, 0, 1, vec![3; 32])]);
    assert_eq!(rollover.kind, TlsaRolloverKind::NoUsableRecords);
    assert_eq!(rollover.description, "(1 unusable)");
}
