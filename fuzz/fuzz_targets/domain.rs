//! Domain::parse must never panic, and what it accepts must be a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_core::Domain;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(domain) = Domain::parse(text) {
        assert!(domain.as_str().len() <= mailtls_core::domain::MAX_NAME_LEN);
        let again = Domain::parse(domain.as_str()).expect("a normalised name parses again");
        assert_eq!(again, domain);
        let _ = domain.to_unicode();
    }
});
