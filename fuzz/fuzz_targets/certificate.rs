//! Certificate facts, chain analysis and DANE matching must never panic on
//! anything a server could send, and a certificate either has facts or a parse
//! error, never both.
#![no_main]

use std::time::{Duration, UNIX_EPOCH};

use libfuzzer_sys::fuzz_target;
use mailtls_probe::{TlsaAssociation, analyse_chain, match_tlsa, name_matches, observe_certificate, spki_der};
use rustls_pki_types::CertificateDer;

fuzz_target!(|data: &[u8]| {
    let now = UNIX_EPOCH + Duration::from_secs(1_750_000_000);
    let observation = observe_certificate(data, now);
    assert!(observation.facts.is_some() != observation.parse_error.is_some());
    if let Some(facts) = &observation.facts {
        let _ = name_matches(facts, "mx.example.test");
        assert!(spki_der(data).is_some(), "a certificate that parses has an SPKI");
    }
    // The same bytes as leaf and as issuer: links, self-signatures, DANE-TA paths.
    let chain = [CertificateDer::from(data), CertificateDer::from(data)];
    let facts = analyse_chain(&chain, Some("mx.example.test"), |_| false);
    assert_eq!(facts.served, 2);
    for record in [
        TlsaAssociation::new(3, 1, 1, vec![0; 32]),
        TlsaAssociation::new(2, 0, 0, data.to_vec()),
    ] {
        let _ = match_tlsa(&record, &chain, &["mx.example.test"]);
    }
});
