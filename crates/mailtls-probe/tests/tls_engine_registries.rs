//! The registry tables: complete enough, sorted, without duplicates, and with
//! the IANA names and classifications a scorer relies on.
#![allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]

use mailtls_probe::tls_engine::cipher_suites::{
    self, Authentication, BulkCipher, CipherMode, KeyExchange, Mac,
};
use mailtls_probe::tls_engine::{
    ProtocolVersion, alert, extension_types, named_groups, signature_schemes, sslv2,
};

fn strictly_increasing<T: PartialOrd + Copy>(codes: impl Iterator<Item = T>) -> bool {
    let codes: Vec<T> = codes.collect();
    codes.windows(2).all(|pair| pair[0] < pair[1])
}

#[test]
fn cipher_suite_table_is_sorted_without_duplicate_code_points() {
    assert!(strictly_increasing(
        cipher_suites::all().iter().map(|suite| suite.code)
    ));
}

#[test]
fn cipher_suite_names_are_unique() {
    let mut names: Vec<&str> = cipher_suites::all().iter().map(|suite| suite.name).collect();
    names.sort_unstable();
    let count = names.len();
    names.dedup();
    assert_eq!(names.len(), count);
}

#[test]
fn cipher_suite_table_covers_the_registry() {
    assert_eq!(cipher_suites::all().len(), 346);
}

#[test]
fn known_suites_have_their_iana_names() {
    for (code, name) in [
        (0x009C, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
        (0xC02F, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
        (0x1301, "TLS_AES_128_GCM_SHA256"),
        (0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
        (0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
        (0x000A, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
        (0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
        (0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
        (0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"),
        (0x00C4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256"),
        (0xC061, "TLS_ECDHE_RSA_WITH_ARIA_256_GCM_SHA384"),
        (0xC0AF, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM_8"),
        (0xCCA9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
        (0x00FF, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"),
        (0x5600, "TLS_FALLBACK_SCSV"),
    ] {
        assert_eq!(cipher_suites::name(code), name, "0x{code:04X}");
    }
}

#[test]
fn unknown_suite_is_named_by_its_code_point() {
    assert_eq!(cipher_suites::lookup(0x0A0A), None);
    assert_eq!(cipher_suites::name(0x0A0A), "0x0A0A");
}

#[test]
fn export_rc4_suite_is_classified_as_40_bit_export_stream() {
    let suite = cipher_suites::lookup(0x0003).unwrap();
    assert_eq!(suite.key_exchange, KeyExchange::Rsa);
    assert_eq!(suite.authentication, Authentication::Rsa);
    assert_eq!(suite.cipher, BulkCipher::Rc4);
    assert_eq!(suite.strength_bits, 40);
    assert_eq!(suite.mode, CipherMode::Stream);
    assert_eq!(suite.mac, Mac::Md5);
    assert!(suite.export);
    assert_eq!(suite.max_version, ProtocolVersion::TLS1_2);
}

#[test]
fn ecdhe_gcm_suite_is_forward_secret_aead_for_tls12_only() {
    let suite = cipher_suites::lookup(0xC02F).unwrap();
    assert_eq!(suite.key_exchange, KeyExchange::Ecdhe);
    assert!(suite.key_exchange.is_forward_secret());
    assert_eq!(suite.cipher, BulkCipher::Aes);
    assert_eq!(suite.strength_bits, 128);
    assert!(suite.mode.is_aead());
    assert_eq!(
        (suite.min_version, suite.max_version),
        (ProtocolVersion::TLS1_2, ProtocolVersion::TLS1_2)
    );
}

#[test]
fn triple_des_is_112_bit_cbc_from_ssl3() {
    let suite = cipher_suites::lookup(0x000A).unwrap();
    assert_eq!(
        (suite.cipher, suite.strength_bits, suite.mode),
        (BulkCipher::TripleDes, 112, CipherMode::Cbc)
    );
    assert_eq!(suite.min_version, ProtocolVersion::SSL3_0);
}

#[test]
fn anonymous_dh_suite_has_no_authentication() {
    let suite = cipher_suites::lookup(0x0034).unwrap();
    assert_eq!(suite.key_exchange, KeyExchange::DhAnon);
    assert_eq!(suite.authentication, Authentication::Anonymous);
}

#[test]
fn tls13_applies_to_the_tls13_suites_only() {
    assert_eq!(
        cipher_suites::codes_for(ProtocolVersion::TLS1_3),
        vec![
            0x00C6, 0x00C7, 0x1301, 0x1302, 0x1303, 0x1304, 0x1305, 0xC0B4, 0xC0B5
        ]
    );
}

#[test]
fn tls13_suites_do_not_apply_to_tls12() {
    assert!(!cipher_suites::codes_for(ProtocolVersion::TLS1_2).contains(&0x1301));
    assert!(cipher_suites::codes_for(ProtocolVersion::TLS1_2).contains(&0xC02F));
}

#[test]
fn scsvs_apply_to_no_version() {
    for version in [
        ProtocolVersion::SSL3_0,
        ProtocolVersion::TLS1_2,
        ProtocolVersion::TLS1_3,
    ] {
        let codes = cipher_suites::codes_for(version);
        assert!(!codes.contains(&0x00FF) && !codes.contains(&0x5600));
    }
}

#[test]
fn named_groups_are_sorted_and_name_the_hybrids() {
    assert!(strictly_increasing(
        named_groups::NAMED_GROUPS.iter().map(|&(code, _)| code)
    ));
    assert_eq!(named_groups::name(0x11EC), "X25519MLKEM768");
    assert_eq!(named_groups::name(0x11EB), "SecP256r1MLKEM768");
    assert_eq!(named_groups::name(0x001D), "x25519");
    assert_eq!(named_groups::name(0x0017), "secp256r1");
    assert_eq!(named_groups::name(0x0100), "ffdhe2048");
    assert_eq!(named_groups::name(0x0ABC), "0x0ABC");
}

#[test]
fn signature_schemes_are_sorted_and_named() {
    assert!(strictly_increasing(
        signature_schemes::SIGNATURE_SCHEMES.iter().map(|&(code, _)| code)
    ));
    assert_eq!(signature_schemes::name(0x0804), "rsa_pss_rsae_sha256");
    assert_eq!(signature_schemes::name(0x0403), "ecdsa_secp256r1_sha256");
    assert_eq!(signature_schemes::name(0x0807), "ed25519");
}

#[test]
fn extension_types_are_sorted_and_named() {
    assert!(strictly_increasing(
        extension_types::EXTENSION_TYPES.iter().map(|&(code, _)| code)
    ));
    assert_eq!(extension_types::name(43), "supported_versions");
    assert_eq!(extension_types::name(0xFF01), "renegotiation_info");
    assert_eq!(extension_types::name(0x7777), "0x7777");
}

#[test]
fn alert_descriptions_are_sorted_and_named() {
    assert!(strictly_increasing(
        alert::ALERT_DESCRIPTIONS.iter().map(|&(code, _)| code)
    ));
    assert_eq!(alert::description_name(40), "handshake_failure");
    assert_eq!(alert::description_name(86), "inappropriate_fallback");
    assert_eq!(alert::description_name(200), "200");
}

#[test]
fn sslv2_cipher_specs_are_named() {
    assert_eq!(
        sslv2::cipher_spec_name(0x0700C0),
        "SSL_CK_DES_192_EDE3_CBC_WITH_MD5"
    );
    assert_eq!(sslv2::cipher_spec_name(0x123456), "0x123456");
}

#[test]
fn versions_have_their_usual_names() {
    assert_eq!(ProtocolVersion::SSL3_0.name(), "SSLv3");
    assert_eq!(ProtocolVersion::TLS1_3.to_string(), "TLSv1.3");
    assert_eq!(ProtocolVersion(0x7F1C).name(), "0x7F1C");
}

#[test]
fn withdrawn_export_and_des_suites_are_still_offered_in_tls12() {
    let codes = cipher_suites::codes_for(ProtocolVersion::TLS1_2);
    assert!(codes.contains(&0x0003) && codes.contains(&0x0009) && codes.contains(&0x0007));
}

#[test]
fn sha256_suites_are_not_offered_below_tls12() {
    let codes = cipher_suites::codes_for(ProtocolVersion::TLS1_1);
    assert!(!codes.contains(&0x003C) && !codes.contains(&0x009C));
    assert!(codes.contains(&0x002F));
}

proptest::proptest! {
    #[test]
    fn every_suite_and_group_name_reads_back_as_its_code(code in proptest::prelude::any::<u16>()) {
        proptest::prop_assert_eq!(cipher_suites::code_of(&cipher_suites::name(code)), Some(code));
        proptest::prop_assert_eq!(named_groups::code_of(&named_groups::name(code)), Some(code));
    }

    #[test]
    fn reading_any_name_never_panics(name in ".{0,40}") {
        let _ = cipher_suites::code_of(&name);
        let _ = named_groups::code_of(&name);
    }
}

#[test]
fn names_that_are_not_in_the_registries_read_as_nothing() {
    assert_eq!(cipher_suites::code_of("TLS_NO_SUCH_SUITE"), None);
    assert_eq!(cipher_suites::code_of("0x"), None);
    assert_eq!(named_groups::code_of("0x1G00"), None);
    assert_eq!(cipher_suites::code_of("TLS_AES_128_GCM_SHA256"), Some(0x1301));
    assert_eq!(named_groups::code_of("X25519MLKEM768"), Some(0x11EC));
}
