//! CAA: presentation text must parse without panicking and round-trip;
//! arbitrary wire fields must build and lint without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::caa::{self, Caa};

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        if let (Some(property), _) = caa::parse_presentation(text) {
            let shown = property.to_string();
            assert_eq!(
                caa::parse_presentation(&shown).0.as_ref(),
                Some(&property),
                "{shown}"
            );
        }
    }
    // As wire fields: flags, tag length, tag, value.
    if let [flags, tag_len, rest @ ..] = data {
        let (tag, value) = rest.split_at(usize::from(*tag_len).min(rest.len()));
        let (property, _) = Caa::from_wire(*flags, tag, value);
        let _ = property.issuer_value();
    }
});
