//! DMARC parsing must never panic, every span must lie inside the record, and
//! a parsed record must survive display-then-parse unchanged.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::dmarc;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (record, issues) = dmarc::parse(text);
    for issue in &issues {
        if let Some(span) = issue.span {
            assert!(span.text(text).is_some(), "span {span:?} outside {text:?}");
        }
    }
    if let Some(record) = record {
        let shown = record.to_string();
        assert_eq!(dmarc::parse(&shown).0.as_ref(), Some(&record), "{shown}");
    }
    let _ = dmarc::parse_rrset(&[text, text]);
});
