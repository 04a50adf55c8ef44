//! Endpoint::parse_url must never panic, and Display must parse back to the same endpoint.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_core::Endpoint;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(endpoint) = Endpoint::parse_url(text) {
        let again = Endpoint::parse_url(&endpoint.to_string()).expect("a displayed endpoint parses again");
        assert_eq!(again, endpoint);
    }
});
