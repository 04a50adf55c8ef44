//! SPF `parse` must never panic, and its canonical form must parse back to
//! the same terms, with no problem other than a repeated redirect= or exp=.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_dns::spf::parse;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let first = parse(text);
    let canonical = first.to_string();
    let second = parse(&canonical);
    assert_eq!(first.term_list(), second.term_list(), "canonical form {canonical:?} of {text:?}");
    assert!(
        second.issues.iter().all(|issue| issue.id == "spf.syntax.duplicate_modifier"),
        "canonical form {canonical:?} has issues {:?}",
        second.issues
    );
    assert_eq!(second.to_string(), canonical, "the canonical form is a fixed point");
});
