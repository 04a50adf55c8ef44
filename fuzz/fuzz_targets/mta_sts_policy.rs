//! The MTA-STS policy file must parse without panicking, its spans must lie
//! inside the text, and a parsed policy must round-trip through Display.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::mta_sts;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (policy, issues) = mta_sts::parse_policy(text);
    for issue in &issues {
        if let Some(span) = issue.span {
            assert!(span.text(text).is_some(), "span {span:?} outside {text:?}");
        }
    }
    if let Some(policy) = policy {
        let shown = policy.to_string();
        assert_eq!(mta_sts::parse_policy(&shown).0.as_ref(), Some(&policy), "{shown}");
        let hosts: Vec<_> = policy.mx.iter().map(|pattern| pattern.domain.clone()).collect();
        let _ = mta_sts::policy_covers(&policy, &hosts);
    }
});
