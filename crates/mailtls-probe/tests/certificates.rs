//! Certificate and chain facts from DER, against certificates made with rcgen
//! and the demo environment's servers.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

mod pki;

use std::time::{Duration, UNIX_EPOCH};

use mailtls_core::transport::TcpConnector;
use mailtls_core::{
    BasicConstraintsFacts, CertificateFacts, CertificateParseError, ChainCompleteness, MailProtocol,
    PublicKeyAlgorithm, SignatureCheck, SubjectAltNames, ValidationLevel, ValidityStatus,
};
use mailtls_demo::DemoEnvironment;
use mailtls_probe::certificate::MAX_CHAIN_CERTIFICATES;
use mailtls_probe::{
    ProbeConfig, TrustAnchors, analyse_chain, certificate_facts, name_matches, observe_certificate,
    probe_endpoint, spki_der,
};
use proptest::prelude::*;
use rcgen::{
    CrlDistributionPoint, PKCS_ECDSA_P384_SHA384, PKCS_ED25519, PKCS_RSA_SHA256, SerialNumber, date_time_ymd,
};
use rustls_pki_types::CertificateDer;
use sha1::Sha1;
use sha2::{Digest, Sha256};

use pki::{
    Issued, ca_params, extension, hierarchy, key, leaf_params, now, oid, self_signed, self_signed_with,
    sequence, signed, tlv,
};

fn facts(issued: &Issued) -> CertificateFacts {
    certificate_facts(issued.der.as_ref(), now()).unwrap()
}

fn facts_of(issued: &Issued) -> CertificateFacts {
    facts(issued)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn no_anchor(_: &[u8]) -> bool {
    false
}

// --- one certificate -------------------------------------------------------

#[test]
fn ecdsa_p256_leaf_has_its_names_key_and_usages() {
    let chain = hierarchy(&["mx.example.test"]);
    let facts = facts(&chain.leaf);
    assert_eq!(facts.version, 3);
    assert_eq!(facts.subject, "CN=mx.example.test,O=mailtls test");
    assert_eq!(facts.issuer, "CN=Test Intermediate,O=mailtls test");
    assert_eq!(facts.subject_common_names, vec!["mx.example.test".to_owned()]);
    assert_eq!(
        facts.subject_alt_names,
        Some(SubjectAltNames {
            dns_names: vec!["mx.example.test".into()],
            ip_addresses: vec![],
            other: 0,
        })
    );
    assert_eq!(facts.public_key.algorithm, PublicKeyAlgorithm::Ec);
    assert_eq!(facts.public_key.curve.as_deref(), Some("P-256"));
    assert_eq!(facts.public_key.bits, Some(256));
    assert_eq!(facts.public_key.oid, "1.2.840.10045.2.1");
    assert_eq!(facts.signature_algorithm.name, "ecdsa-with-SHA256");
    assert_eq!(facts.signature_algorithm.oid, "1.2.840.10045.4.3.2");
    assert_eq!(
        facts.basic_constraints,
        Some(BasicConstraintsFacts {
            ca: false,
            path_len: None,
            critical: true,
        })
    );
    assert_eq!(facts.key_usage, Some(vec!["digitalSignature".to_owned()]));
    assert_eq!(facts.extended_key_usage, Some(vec!["serverAuth".to_owned()]));
    assert!(facts.server_auth);
    assert!(!facts.self_issued);
    assert_eq!(facts.self_signature, None);
    assert!(!facts.self_signed);
    assert!(facts.anomalies.is_empty(), "{:?}", facts.anomalies);
}

#[test]
fn fingerprints_are_of_the_der_and_the_spki_as_served() {
    let chain = hierarchy(&["mx.example.test"]);
    let der = chain.leaf.der.as_ref();
    let observation = observe_certificate(der, now());
    let facts = observation.facts.unwrap();
    assert_eq!(observation.sha256, hex(&Sha256::digest(der)));
    assert_eq!(facts.sha1, hex(&Sha1::digest(der)));
    let spki = rcgen::PublicKeyData::subject_public_key_info(&chain.leaf.key);
    assert_eq!(spki_der(der).unwrap(), spki.as_slice());
    assert_eq!(facts.spki_sha256, hex(&Sha256::digest(&spki)));
    assert_eq!(observation.parse_error, None);
}

#[test]
fn observation_keeps_the_der_as_base64() {
    use base64::Engine;
    let root = self_signed(ca_params("Test Root"));
    let observation = observe_certificate(root.der.as_ref(), now());
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&observation.der_base64)
        .unwrap();
    assert_eq!(decoded, root.der.as_ref());
}

#[test]
fn serial_number_is_hex_of_its_octets() {
    let mut params = leaf_params(&["mx.example.test"]);
    params.serial_number = Some(SerialNumber::from_slice(&[0x0A, 0xBC, 0xDE]));
    let root = self_signed(ca_params("Test Root"));
    assert_eq!(facts(&signed(params, &root)).serial, "0abcde");
}

#[test]
fn p384_key_and_signature_are_named() {
    let root = self_signed(ca_params("Test Root"));
    let leaf = pki::signed_with(
        leaf_params(&["mx.example.test"]),
        key(&PKCS_ECDSA_P384_SHA384),
        &root,
    );
    let facts = facts(&leaf);
    assert_eq!(facts.public_key.curve.as_deref(), Some("P-384"));
    assert_eq!(facts.public_key.bits, Some(384));
    // The issuer's key (P-256) decides the signature algorithm.
    assert_eq!(facts.signature_algorithm.name, "ecdsa-with-SHA256");
    let p384_root = self_signed_with(ca_params("P-384 Root"), key(&PKCS_ECDSA_P384_SHA384));
    assert_eq!(facts_of(&p384_root).signature_algorithm.name, "ecdsa-with-SHA384");
}

#[test]
fn ed25519_key_and_signature_are_named() {
    let root = self_signed_with(ca_params("Ed25519 Root"), key(&PKCS_ED25519));
    let facts = facts(&root);
    assert_eq!(facts.public_key.algorithm, PublicKeyAlgorithm::Ed25519);
    assert_eq!(facts.public_key.bits, Some(256));
    assert_eq!(facts.public_key.curve, None);
    assert_eq!(facts.signature_algorithm.name, "Ed25519");
    assert_eq!(facts.self_signature, Some(SignatureCheck::Valid));
}

#[test]
fn rsa_2048_key_has_its_modulus_size() {
    let root = self_signed_with(ca_params("RSA Root"), key(&PKCS_RSA_SHA256));
    let facts = facts(&root);
    assert_eq!(facts.public_key.algorithm, PublicKeyAlgorithm::Rsa);
    assert_eq!(facts.public_key.bits, Some(2048));
    assert_eq!(facts.public_key.oid, "1.2.840.113549.1.1.1");
    assert_eq!(facts.signature_algorithm.name, "sha256WithRSAEncryption");
    assert_eq!(facts.self_signature, Some(SignatureCheck::Valid));
    assert!(facts.self_signed);
}

#[test]
fn self_signed_ca_is_recognised() {
    let root = self_signed(ca_params("Test Root"));
    let facts = facts(&root);
    assert!(facts.self_issued);
    assert_eq!(facts.self_signature, Some(SignatureCheck::Valid));
    assert!(facts.self_signed);
    assert_eq!(
        facts.basic_constraints.map(|constraints| constraints.ca),
        Some(true)
    );
    assert_eq!(
        facts.key_usage,
        Some(vec!["keyCertSign".to_owned(), "cRLSign".to_owned()])
    );
    assert_eq!(facts.subject, facts.issuer);
}

#[test]
fn self_issued_but_signed_by_another_key_is_not_self_signed() {
    // Same name as the root that signs it: self-issued, not self-signed.
    let root = self_signed(ca_params("Same Name"));
    let impostor = signed(ca_params("Same Name"), &root);
    let facts = facts(&impostor);
    assert!(facts.self_issued);
    assert_eq!(facts.self_signature, Some(SignatureCheck::Invalid));
    assert!(!facts.self_signed);
}

#[test]
fn validity_is_given_in_unix_seconds_and_rfc3339() {
    let root = self_signed(ca_params("Test Root"));
    let validity = facts(&root).validity;
    assert_eq!(validity.not_before, 1_735_689_600);
    assert_eq!(validity.not_after, 1_767_225_600);
    assert_eq!(validity.not_before_rfc3339, "2025-01-01T00:00:00Z");
    assert_eq!(validity.not_after_rfc3339, "2026-01-01T00:00:00Z");
    assert_eq!(validity.lifetime_days, 365);
    // 2025-06-01 to 2026-01-01: 214 days.
    assert_eq!(validity.days_to_expiry, 214);
    assert_eq!(validity.status, ValidityStatus::Valid);
}

#[test]
fn expired_certificate_has_negative_days_to_expiry() {
    let mut params = ca_params("Old Root");
    params.not_before = date_time_ymd(2020, 1, 1);
    params.not_after = date_time_ymd(2025, 5, 1);
    let validity = facts(&self_signed(params)).validity;
    assert_eq!(validity.status, ValidityStatus::Expired);
    assert_eq!(validity.days_to_expiry, -31);
}

#[test]
fn certificate_from_the_future_is_not_yet_valid() {
    let mut params = ca_params("Future Root");
    params.not_before = date_time_ymd(2025, 7, 1);
    params.not_after = date_time_ymd(2026, 7, 1);
    let validity = facts(&self_signed(params)).validity;
    assert_eq!(validity.status, ValidityStatus::NotYetValid);
    assert_eq!(validity.days_to_expiry, 395);
}

#[test]
fn validity_after_2049_is_read_from_generalized_time() {
    let mut params = ca_params("Long Root");
    params.not_after = date_time_ymd(2051, 1, 1);
    let validity = facts(&self_signed(params)).validity;
    assert_eq!(validity.not_after_rfc3339, "2051-01-01T00:00:00Z");
    assert_eq!(validity.not_after, 2_556_144_000);
}

#[test]
fn days_to_expiry_follow_the_given_time() {
    let root = self_signed(ca_params("Test Root"));
    let later = UNIX_EPOCH + Duration::from_secs(1_767_225_600 - 86_400);
    let facts = certificate_facts(root.der.as_ref(), later).unwrap();
    assert_eq!(facts.validity.days_to_expiry, 1);
}

#[test]
fn wildcard_san_matches_one_label_below() {
    let chain = hierarchy(&["*.example.test"]);
    let facts = facts(&chain.leaf);
    assert!(name_matches(&facts, "mx.example.test"));
    assert!(name_matches(&facts, "MX.EXAMPLE.TEST."));
    assert!(!name_matches(&facts, "a.mx.example.test"));
    assert!(!name_matches(&facts, "example.test"));
}

#[test]
fn common_name_is_ignored_when_subject_alt_names_exist() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["other.example.test"]);
    params.distinguished_name = pki::name("mx.example.test");
    let facts = facts(&signed(params, &root));
    assert!(!name_matches(&facts, "mx.example.test"));
    assert!(name_matches(&facts, "other.example.test"));
}

#[test]
fn ip_address_sans_are_listed_and_matched() {
    let chain = hierarchy(&["192.0.2.25", "mx.example.test"]);
    let facts = facts(&chain.leaf);
    let names = facts.subject_alt_names.clone().unwrap();
    assert_eq!(
        names.ip_addresses,
        vec!["192.0.2.25".parse::<std::net::IpAddr>().unwrap()]
    );
    assert_eq!(names.dns_names, vec!["mx.example.test".to_owned()]);
    assert!(name_matches(&facts, "192.0.2.25"));
    assert!(!name_matches(&facts, "192.0.2.26"));
}

#[test]
fn must_staple_is_the_tls_feature_status_request() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    // Features ::= SEQUENCE OF INTEGER { 5 }
    params.custom_extensions.push(extension(
        &[1, 3, 6, 1, 5, 5, 7, 1, 24],
        sequence(&[tlv(0x02, &[5])]),
    ));
    assert!(facts(&signed(params, &root)).must_staple);
    assert!(!facts(&hierarchy(&["mx.example.test"]).leaf).must_staple);
}

#[test]
fn tls_feature_without_status_request_is_not_must_staple() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    params.custom_extensions.push(extension(
        &[1, 3, 6, 1, 5, 5, 7, 1, 24],
        sequence(&[tlv(0x02, &[17])]),
    ));
    assert!(!facts(&signed(params, &root)).must_staple);
}

fn with_policies(policies: &[&[u64]]) -> CertificateFacts {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    let information: Vec<Vec<u8>> = policies.iter().map(|policy| sequence(&[oid(policy)])).collect();
    params
        .custom_extensions
        .push(extension(&[2, 5, 29, 32], sequence(&information)));
    facts(&signed(params, &root))
}

#[test]
fn domain_validated_policy_is_classified_dv() {
    let facts = with_policies(&[&[2, 23, 140, 1, 2, 1], &[1, 3, 6, 1, 4, 1, 44947, 1, 1, 1]]);
    assert_eq!(
        facts.policies,
        vec!["2.23.140.1.2.1".to_owned(), "1.3.6.1.4.1.44947.1.1.1".to_owned()]
    );
    assert_eq!(facts.validation_level, Some(ValidationLevel::Dv));
}

#[test]
fn organization_validated_policy_is_classified_ov() {
    assert_eq!(
        with_policies(&[&[2, 23, 140, 1, 2, 2]]).validation_level,
        Some(ValidationLevel::Ov)
    );
}

#[test]
fn extended_validation_policy_is_classified_ev() {
    assert_eq!(
        with_policies(&[&[2, 23, 140, 1, 1]]).validation_level,
        Some(ValidationLevel::Ev)
    );
}

#[test]
fn no_policies_means_no_validation_level() {
    let facts = facts(&hierarchy(&["mx.example.test"]).leaf);
    assert!(facts.policies.is_empty());
    assert_eq!(facts.validation_level, None);
}

#[test]
fn embedded_scts_are_counted() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    let sct = [0xAAu8; 40];
    let mut list = Vec::new();
    for _ in 0..3 {
        list.extend(u16::try_from(sct.len()).unwrap().to_be_bytes());
        list.extend(sct);
    }
    let mut tls = u16::try_from(list.len()).unwrap().to_be_bytes().to_vec();
    tls.extend(list);
    params
        .custom_extensions
        .push(extension(&[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2], tlv(0x04, &tls)));
    let facts = facts(&signed(params, &root));
    assert_eq!(facts.embedded_scts, 3);
    assert!(facts.anomalies.is_empty(), "{:?}", facts.anomalies);
}

#[test]
fn malformed_sct_list_is_an_anomaly_not_a_parse_error() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    params.custom_extensions.push(extension(
        &[1, 3, 6, 1, 4, 1, 11129, 2, 4, 2],
        tlv(0x04, &[0x00, 0x10, 0x00, 0x01]),
    ));
    let facts = facts(&signed(params, &root));
    assert_eq!(facts.embedded_scts, 0);
    assert_eq!(
        facts.anomalies,
        vec![
            "extension 1.3.6.1.4.1.11129.2.4.2 does not decode: the SCT list declares 16 octets but holds 2"
                .to_owned()
        ]
    );
}

#[test]
fn authority_info_access_and_crl_urls_are_listed() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    let access = sequence(&[
        sequence(&[
            oid(&[1, 3, 6, 1, 5, 5, 7, 48, 1]),
            tlv(0x86, b"http://ocsp.example.test"),
        ]),
        sequence(&[
            oid(&[1, 3, 6, 1, 5, 5, 7, 48, 2]),
            tlv(0x86, b"http://ca.example.test/int.der"),
        ]),
    ]);
    params
        .custom_extensions
        .push(extension(&[1, 3, 6, 1, 5, 5, 7, 1, 1], access));
    params.crl_distribution_points = vec![CrlDistributionPoint {
        uris: vec!["http://crl.example.test/int.crl".into()],
    }];
    let facts = facts(&signed(params, &root));
    assert_eq!(facts.ocsp_urls, vec!["http://ocsp.example.test".to_owned()]);
    assert_eq!(
        facts.ca_issuers_urls,
        vec!["http://ca.example.test/int.der".to_owned()]
    );
    assert_eq!(facts.crl_urls, vec!["http://crl.example.test/int.crl".to_owned()]);
}

#[test]
fn key_identifiers_are_hex() {
    let chain = hierarchy(&["mx.example.test"]);
    let leaf = facts(&chain.leaf);
    let intermediate = facts(&chain.intermediate);
    assert_eq!(leaf.authority_key_id, intermediate.subject_key_id);
    assert_eq!(leaf.authority_key_id.as_ref().map(String::len), Some(40));
}

#[test]
fn unknown_critical_extension_is_an_anomaly() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    let mut critical = extension(&[1, 3, 6, 1, 4, 1, 99999, 1], tlv(0x05, &[]));
    critical.set_criticality(true);
    params.custom_extensions.push(critical);
    let facts = facts(&signed(params, &root));
    assert_eq!(
        facts.anomalies,
        vec![
            "extension 1.3.6.1.4.1.99999.1 is critical and not recognised: validators must reject the certificate"
                .to_owned()
        ]
    );
}

#[test]
fn extension_present_twice_is_an_anomaly() {
    let root = self_signed(ca_params("Test Root"));
    let mut params = leaf_params(&["mx.example.test"]);
    params.custom_extensions.push(extension(
        &[2, 5, 29, 32],
        sequence(&[sequence(&[oid(&[2, 23, 140, 1, 2, 1])])]),
    ));
    params.custom_extensions.push(extension(
        &[2, 5, 29, 32],
        sequence(&[sequence(&[oid(&[2, 23, 140, 1, 2, 2])])]),
    ));
    let facts = facts(&signed(params, &root));
    assert_eq!(
        facts.anomalies,
        vec!["extension 2.5.29.32 appears more than once (RFC 5280 §4.2)".to_owned()]
    );
    assert_eq!(facts.validation_level, Some(ValidationLevel::Dv));
}

// --- DER that does not parse -----------------------------------------------

#[test]
fn garbage_is_a_parse_error_with_the_decoders_reason() {
    let observation = observe_certificate(b"hello, world", now());
    assert_eq!(observation.facts, None);
    assert_eq!(
        observation.parse_error,
        Some(CertificateParseError {
            reason: "unexpected ASN.1 DER tag: expected SEQUENCE, got APPLICATION [8] (constructed)".into(),
            offset: None,
        })
    );
    assert_eq!(observation.sha256, hex(&Sha256::digest(b"hello, world")));
}

#[test]
fn empty_input_is_a_parse_error() {
    let error = certificate_facts(&[], now()).unwrap_err();
    assert_eq!(error.offset, Some(0));
}

#[test]
fn truncated_der_is_a_parse_error_with_an_offset() {
    let root = self_signed(ca_params("Test Root"));
    let der = root.der.as_ref();
    let error = certificate_facts(&der[..100], now()).unwrap_err();
    assert_eq!(
        error.reason,
        "ASN.1 DER message is incomplete: expected 101, actual 100"
    );
    assert_eq!(error.offset, Some(100));
}

#[test]
fn trailing_bytes_after_the_certificate_are_a_parse_error() {
    let root = self_signed(ca_params("Test Root"));
    let mut der = root.der.to_vec();
    der.push(0);
    let error = certificate_facts(&der, now()).unwrap_err();
    assert_eq!(error.offset, Some(u32::try_from(der.len() - 1).unwrap()));
}

// --- chains ------------------------------------------------------------------

#[test]
fn chain_in_issuing_order_ends_at_the_served_root() {
    let pki = hierarchy(&["mx.example.test"]);
    let chain = [pki.leaf.der, pki.intermediate.der, pki.root.der];
    let facts = analyse_chain(&chain, Some("mx.example.test"), no_anchor);
    assert_eq!(facts.served, 3);
    assert_eq!(facts.analysed, 3);
    assert!(!facts.truncated);
    assert!(facts.in_order);
    assert_eq!(facts.links.len(), 2);
    assert!(facts.links.iter().all(|link| link.names_match
        && link.key_ids_match == Some(true)
        && link.signature == SignatureCheck::Valid
        && link.issued_by_next));
    assert_eq!(
        facts.completeness,
        ChainCompleteness::EndsAtServedRoot { position: 2 }
    );
    assert_eq!(facts.self_signed, vec![2]);
    assert!(facts.duplicates.is_empty());
    assert_eq!(facts.leaf_name_matches, Some(true));
}

#[test]
fn chain_in_the_wrong_order_is_not_in_order_but_complete() {
    let pki = hierarchy(&["mx.example.test"]);
    let chain = [pki.leaf.der, pki.root.der, pki.intermediate.der];
    let facts = analyse_chain(&chain, None, no_anchor);
    assert!(!facts.in_order);
    assert!(!facts.links[0].names_match);
    assert!(!facts.links[0].issued_by_next);
    assert_eq!(facts.links[0].signature, SignatureCheck::Invalid);
    assert!(!facts.links[1].issued_by_next);
    assert_eq!(
        facts.completeness,
        ChainCompleteness::EndsAtServedRoot { position: 1 }
    );
    assert_eq!(facts.leaf_name_matches, None);
}

#[test]
fn missing_intermediate_leaves_the_issuer_missing() {
    let pki = hierarchy(&["mx.example.test"]);
    let chain = [pki.leaf.der, pki.root.der];
    let facts = analyse_chain(&chain, Some("mx.example.test"), no_anchor);
    assert!(!facts.in_order);
    assert_eq!(
        facts.completeness,
        ChainCompleteness::IssuerMissing {
            position: 0,
            issuer: "CN=Test Intermediate,O=mailtls test".into(),
        }
    );
    assert_eq!(facts.self_signed, vec![1]);
}

#[test]
fn chain_without_root_ends_at_a_trust_anchor() {
    use x509_cert::der::{Decode, Encode};
    let pki = hierarchy(&["mx.example.test"]);
    // WebPKI keeps an anchor's subject as the contents octets of its Name.
    let root = x509_cert::Certificate::from_der(pki.root.der.as_ref()).unwrap();
    let name = root.tbs_certificate().subject().to_der().unwrap();
    assert!(name[1] < 0x80, "a short-form length");
    let anchor_subject = name[2..].to_vec();
    let chain = [pki.leaf.der, pki.intermediate.der];
    let facts = analyse_chain(&chain, None, |subject| subject == anchor_subject.as_slice());
    assert_eq!(
        facts.completeness,
        ChainCompleteness::EndsAtTrustAnchor {
            issuer: "CN=Test Root,O=mailtls test".into(),
        }
    );
    assert!(facts.in_order);
    assert!(facts.self_signed.is_empty());
}

#[test]
fn a_certificate_sent_twice_is_a_duplicate() {
    let pki = hierarchy(&["mx.example.test"]);
    let chain = [pki.leaf.der, pki.intermediate.der.clone(), pki.intermediate.der];
    let facts = analyse_chain(&chain, None, no_anchor);
    assert_eq!(facts.duplicates, vec![2]);
    assert!(!facts.in_order);
}

#[test]
fn chain_beyond_the_bound_is_truncated() {
    let pki = hierarchy(&["mx.example.test"]);
    let mut chain = vec![pki.leaf.der, pki.intermediate.der];
    chain.extend(std::iter::repeat_n(pki.root.der, 10));
    let facts = analyse_chain(&chain, None, no_anchor);
    assert_eq!(facts.served, 12);
    assert_eq!(usize::try_from(facts.analysed).unwrap(), MAX_CHAIN_CERTIFICATES);
    assert!(facts.truncated);
    assert_eq!(facts.links.len(), MAX_CHAIN_CERTIFICATES - 1);
    assert_eq!(facts.duplicates, (3..10).collect::<Vec<u32>>());
}

#[test]
fn unparseable_leaf_leaves_completeness_unknown() {
    let pki = hierarchy(&["mx.example.test"]);
    let chain = [CertificateDer::from(vec![0x30, 0x00]), pki.root.der];
    let facts = analyse_chain(&chain, Some("mx.example.test"), no_anchor);
    assert_eq!(
        facts.completeness,
        ChainCompleteness::Unknown {
            reason: "the leaf certificate does not decode".into(),
        }
    );
    assert_eq!(facts.leaf_name_matches, None);
    assert_eq!(
        facts.links[0].signature,
        SignatureCheck::Unsupported {
            reason: "one of the two certificates does not decode".into(),
        }
    );
}

#[test]
fn leaf_for_another_name_does_not_match() {
    let pki = hierarchy(&["imap.example.test"]);
    let chain = [pki.leaf.der, pki.intermediate.der];
    let facts = analyse_chain(&chain, Some("mx.example.test"), no_anchor);
    assert_eq!(facts.leaf_name_matches, Some(false));
}

#[test]
fn no_certificate_leaves_completeness_unknown() {
    let facts = analyse_chain(&[], None, no_anchor);
    assert_eq!(facts.served, 0);
    assert!(facts.in_order);
    assert_eq!(
        facts.completeness,
        ChainCompleteness::Unknown {
            reason: "the server sent no certificate".into(),
        }
    );
}

// --- the demo servers ------------------------------------------------------

#[tokio::test]
async fn demo_mx1_certificate_facts_are_observed_in_the_handshake() {
    let demo = DemoEnvironment::start().await.unwrap();
    let smtp = demo.service(MailProtocol::Smtp).unwrap();
    let config = ProbeConfig {
        trust: TrustAnchors::mozilla()
            .with_der(demo.ca_certificate_der().clone())
            .unwrap(),
        ..ProbeConfig::default()
    };
    let observation = probe_endpoint(&TcpConnector::default(), &config, &smtp.endpoint, smtp.address).await;
    let tls = observation.tls.unwrap();
    let leaf = &tls.certificates[0];
    assert_eq!(leaf.parse_error, None);
    let facts = leaf.facts.clone().unwrap();
    assert_eq!(
        facts
            .subject_alt_names
            .as_ref()
            .map(|names| names.dns_names.clone()),
        Some(vec!["mx1.demo.mailtls.test".to_owned()])
    );
    assert_eq!(facts.public_key.algorithm, PublicKeyAlgorithm::Ec);
    assert_eq!(facts.public_key.curve.as_deref(), Some("P-256"));
    assert_eq!(facts.signature_algorithm.name, "ecdsa-with-SHA256");
    assert_eq!(facts.issuer, "CN=mailtls demo CA,O=mailtls demo");
    assert_eq!(
        facts.basic_constraints.map(|constraints| constraints.ca),
        Some(false)
    );
    assert!(facts.server_auth);
    assert!(!facts.self_signed);
    assert_eq!(facts.validity.status, ValidityStatus::Valid);
    assert!(name_matches(&facts, "mx1.demo.mailtls.test"));
    let chain = tls.chain.unwrap();
    assert_eq!(chain.served, 1);
    assert_eq!(chain.leaf_name_matches, Some(true));
    assert_eq!(
        chain.completeness,
        ChainCompleteness::EndsAtTrustAnchor {
            issuer: "CN=mailtls demo CA,O=mailtls demo".into(),
        }
    );
    assert_eq!(tls.dane, None);
}

#[tokio::test]
async fn demo_chain_without_its_ca_as_anchor_misses_the_issuer() {
    let demo = DemoEnvironment::start().await.unwrap();
    let imaps = demo.service(MailProtocol::Imaps).unwrap();
    let observation = probe_endpoint(
        &TcpConnector::default(),
        &ProbeConfig::default(),
        &imaps.endpoint,
        imaps.address,
    )
    .await;
    let chain = observation.tls.unwrap().chain.unwrap();
    assert_eq!(
        chain.completeness,
        ChainCompleteness::IssuerMissing {
            position: 0,
            issuer: "CN=mailtls demo CA,O=mailtls demo".into(),
        }
    );
}

// --- nothing panics ----------------------------------------------------------

fn sample_der() -> Vec<u8> {
    hierarchy(&["mx.example.test"]).leaf.der.to_vec()
}

proptest! {
    #[test]
    fn facts_of_arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let observation = observe_certificate(&bytes, now());
        prop_assert!(observation.facts.is_some() != observation.parse_error.is_some());
    }

    #[test]
    fn facts_of_mutated_der_never_panic(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut der = SAMPLE.with(Clone::clone);
        for (index, byte) in flips {
            let at = index.index(der.len());
            der[at] ^= byte;
        }
        if truncate {
            der.truncate(cut.index(der.len()));
        }
        let observation = observe_certificate(&der, now());
        prop_assert!(observation.facts.is_some() != observation.parse_error.is_some());
        let chain = [CertificateDer::from(der.clone()), CertificateDer::from(der)];
        let facts = analyse_chain(&chain, Some("mx.example.test"), |_| false);
        prop_assert_eq!(facts.served, 2);
    }
}

thread_local! {
    static SAMPLE: Vec<u8> = sample_der();
}
