//! DKIM key records: arbitrary text must parse without panicking and
//! round-trip through Display; arbitrary bytes as the key of either type
//! must go through the base64 and DER paths without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::dkim;

fuzz_target!(|data: &[u8]| {
    // The first byte chooses: the input as record text, or as key bytes.
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    match mode % 3 {
        0 => {
            let Ok(text) = std::str::from_utf8(rest) else {
                return;
            };
            if let (Some(record), _) = dkim::parse(text) {
                let shown = record.to_string();
                assert_eq!(dkim::parse(&shown).0.as_ref(), Some(&record), "{shown}");
            }
        }
        1 | 2 => {
            let key_type = if mode % 3 == 1 { "rsa" } else { "ed25519" };
            let encoded = base64(rest);
            let (record, _) = dkim::parse(&format!("v=DKIM1; k={key_type}; p={encoded}"));
            assert!(record.is_some(), "a record with p= is a key record");
            let _ = dkim::rsa_key_info(rest);
        }
        _ => unreachable!(),
    }
});

/// Standard base64 with padding (the fuzz crate does not depend on `base64`).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let block = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(block >> (18 - 6 * i) & 0x3f) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
