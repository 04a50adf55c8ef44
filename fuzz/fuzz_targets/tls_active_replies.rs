//! The parsers of the active probes (a heartbeat reply, an RSA key from a
//! server's certificate) must never panic, and must keep their bounds.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_probe::tls_engine::active::heartbleed::{EVIDENCE_BYTES, HeartbeatMessage};
use mailtls_probe::tls_engine::active::robot::{MAX_MODULUS_BITS, RsaPublicKey};

fuzz_target!(|data: &[u8]| {
    if let Some(message) = HeartbeatMessage::parse(data) {
        assert!(message.body_start.len() <= EVIDENCE_BYTES);
        assert_eq!(message.body_length, data.len() - 3);
    }
    for key in [RsaPublicKey::from_rsa_public_key(data), RsaPublicKey::from_certificate(data)]
        .into_iter()
        .flatten()
    {
        assert!(key.modulus.bits() <= MAX_MODULUS_BITS);
        let encrypted = key.encrypt_raw(&[0x00, 0x02, 0x41]);
        assert_eq!(encrypted.len(), key.octets());
    }
});
