//! The reply parsers of SMTP, IMAP, POP3 and ManageSieve must never panic on
//! any line a server sends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mailtls_probe::smtp::{ReplyParser, ehlo_capabilities, has_keyword};
use mailtls_probe::{imap, pop3, sieve};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parser = ReplyParser::default();
    for line in text.split('\n') {
        if let Ok(Some(reply)) = parser.push_line(line) {
            assert!((200..600).contains(&reply.code));
            let capabilities = ehlo_capabilities(&reply);
            let _ = has_keyword(&capabilities, "STARTTLS");
            let _ = reply.summary();
        }
        let _ = imap::parse_greeting(line);
        let _ = imap::parse_capability_line(line);
        let _ = pop3::is_ok(line);
        let _ = pop3::unstuff(line);
        let _ = sieve::response_word(line);
        let _ = sieve::capability_name(line);
    }
});
