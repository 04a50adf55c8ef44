//! The MTA-STS TXT record must parse without panicking and round-trip.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::mta_sts;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (record, issues) = mta_sts::parse_txt(text);
    for issue in &issues {
        if let Some(span) = issue.span {
            assert!(span.text(text).is_some(), "span {span:?} outside {text:?}");
        }
    }
    if let Some(record) = record {
        let shown = record.to_string();
        assert_eq!(mta_sts::parse_txt(&shown).0.as_ref(), Some(&record), "{shown}");
    }
});
